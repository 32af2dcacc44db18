"""The workflow actions of the covenants app, as the audit trail names them."""

from __future__ import annotations

from enum import StrEnum


class CovenantsAction(StrEnum):
    """Each service's action (pgh_context "action"), passed to governance.audit.acting_as."""

    RECORD_VIOLATION = "record_violation"
    CONFIRM_VIOLATION = "confirm_violation"
    FILE_APPEAL = "file_appeal"
    DECIDE_APPEAL = "decide_appeal"
    RECTIFY_VIOLATION = "rectify_violation"
    REFER_VIOLATION = "refer_violation"
    MOVE_VERSION = "move_version"
    CREATE_COVENANT = "create_covenant"
    START_VERSION = "start_version"
    EDIT_VERSION = "edit_version"
    SAVE_CLAUSE = "save_clause"
    REMOVE_CLAUSE = "remove_clause"
    REVIEW_CLAUSE = "review_clause"
    # Kept for the audit events written before issue 15: the village no longer chooses a reviewer.
    ASSIGN_REVIEWER = "assign_reviewer"
    ASK_ELIGIBILITY = "ask_eligibility"
    ADD_EVIDENCE = "add_evidence"
    PREVIEW_AWARD_RUN = "preview_award_run"
    RECOMPUTE_AWARD_RUN = "recompute_award_run"
    APPROVE_AWARD_RUN = "approve_award_run"
    DISCARD_AWARD_RUN = "discard_award_run"
    NOMINATE_TO_RED_LIST = "nominate_to_red_list"
    DECIDE_RED_LIST_NOMINATION = "decide_red_list_nomination"
    WITHDRAW_RED_LIST_NOMINATION = "withdraw_red_list_nomination"
