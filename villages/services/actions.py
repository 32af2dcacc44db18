"""The workflow actions of the villages app, as the audit trail names them."""

from enum import StrEnum


class VillagesAction(StrEnum):
    """The workflow actions of this app, as the audit trail names them (pgh_context "action")."""

    SUBMIT_FILING = "submit_filing"
    DECIDE_FILING = "decide_filing"
    RETIRE_DIVISION = "retire_division"
    IMPORT_ROLL = "import_roll"
