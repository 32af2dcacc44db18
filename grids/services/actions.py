"""The workflow actions of the grids app, as the audit trail names them."""

from __future__ import annotations

from enum import StrEnum


class GridsAction(StrEnum):
    """Each service's action (pgh_context "action"), passed to governance.audit.acting_as."""

    CREATE_GRID = "create_grid"
    CHANGE_GRID = "change_grid"
    SAVE_CATEGORY = "save_event_category"
    REPORT_EVENT = "report_event"
    ASSESS_EVENT = "assess_event"
    RECORD_ARRIVAL = "record_department_arrival"
    HANDLE_EVENT = "handle_event"
    EVALUATE_EVENT = "evaluate_event"
    CLOSE_EVENT = "close_event"
    ADD_EVENT_PHOTOS = "add_event_photos"
