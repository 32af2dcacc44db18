from grids.models.events import EventPhoto, EventStep, GridEvent
from grids.models.grids import EventCategory, Grid

__all__ = ["EventCategory", "EventPhoto", "EventStep", "Grid", "GridEvent"]
