"""The workflow actions of the rights_lists app, as the audit trail names them (pgh_context "action")."""

from enum import StrEnum


class RightsListsAction(StrEnum):
    """One member per service action; the values are stored in the audit trail: never rename one."""

    # Lists (services/lists.py).
    CREATE_LIST = "create_list"
    NEW_LIST_VERSION = "new_list_version"
    PUBLISH_LIST = "publish_list"
    IMPORT_ITEMS = "import_items"
    ADOPT_TEMPLATE = "adopt_template"
    # Decisions (services/decisions.py).
    OPEN_DECISION = "open_decision"
    RECORD_STEP = "record_step"
    PUBLISH_DECISION = "publish_decision"
    RECORD_IMPLEMENTATION = "record_implementation"
    WITHDRAW_DECISION = "withdraw_decision"
    ADD_ATTACHMENTS = "add_decision_attachments"
    # Village matter admission (services/admission.py).
    FILE_ADMISSION_REQUEST = "file_admission_request"
    GRANT_ADMISSION_EXCEPTION = "grant_admission_exception"
    # Collective asset transactions (services/transactions.py).
    FILE_TRANSACTION = "file_asset_transaction"
    CHECK_BIDDERS = "check_asset_bidders"
    REVIEW_TRANSACTION = "review_asset_transaction"
    CONCLUDE_TRANSACTION = "conclude_asset_transaction"
    ADD_TRANSACTION_FILES = "add_asset_transaction_files"
