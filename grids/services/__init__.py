"""The workflows of the grids app, one function per action (README "Services"):

- grids.py: drawing a grid with its worker, changing it;
- categories.py: a district's event categories and their time limits;
- events.py: the flow of an event (report, assess or whistle, arrival, handle, evaluate, close).
"""

from grids.services.categories import category_of_district, ensure_categories, save_category
from grids.services.events import (
    add_photos,
    assess_event,
    close_event,
    evaluate_event,
    handle_event,
    may_add_photos,
    may_assess,
    may_close,
    may_evaluate,
    may_handle,
    may_record_arrival,
    record_arrival,
    report_event,
)
from grids.services.grids import change_grid, create_grid

__all__ = [
    "add_photos",
    "assess_event",
    "category_of_district",
    "change_grid",
    "close_event",
    "create_grid",
    "ensure_categories",
    "evaluate_event",
    "handle_event",
    "may_add_photos",
    "may_assess",
    "may_close",
    "may_evaluate",
    "may_handle",
    "may_record_arrival",
    "record_arrival",
    "report_event",
    "save_category",
]
