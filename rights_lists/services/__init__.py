"""Workflow actions of the rights_lists app, one module per workflow: lists.py (lists, versions,
templates), decisions.py (四议两公开 and the steps after it) with steps.py (the checks of one
meeting), admission.py (village matter admission), transactions.py (collective asset
transactions); actions.py names them for the audit trail (RightsListsAction).

Every action is one function: atomic, with a keyword-only `acting_user`; it locks its row,
re-checks the acting user's right where the record lies inside the transaction
(governance.guards), and writes under the audit context naming the action. Errors are field-level
ValidationErrors or PermissionDenied, which the API turns into 400 and 403 and the pages into form
errors and 403. The `may_*` predicates say what the pages may offer; the action has the last word.

The actions of lists and decisions are re-exported here (`services.record_step`); admission and
transactions are imported as their modules (`from rights_lists.services import transactions`).
"""

from rights_lists.services.actions import RightsListsAction
from rights_lists.services.decisions import (
    PUBLISHED_FROM,
    add_attachments,
    may_add_attachment,
    may_publish,
    may_record_implementation,
    may_record_next_step,
    may_record_step,
    may_withdraw,
    open_decision,
    publish_decision,
    record_implementation,
    record_step,
    withdraw_decision,
)
from rights_lists.services.lists import adopt_template, create_list, import_items, new_version, publish_list
from rights_lists.services.steps import StepAssessment, assess_step, next_step

__all__ = [
    "PUBLISHED_FROM",
    "RightsListsAction",
    "StepAssessment",
    "add_attachments",
    "adopt_template",
    "assess_step",
    "create_list",
    "import_items",
    "may_add_attachment",
    "may_publish",
    "may_record_implementation",
    "may_record_next_step",
    "may_record_step",
    "may_withdraw",
    "new_version",
    "next_step",
    "open_decision",
    "publish_decision",
    "publish_list",
    "record_implementation",
    "record_step",
    "withdraw_decision",
]
