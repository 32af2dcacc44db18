"""Multi-step actions of the villages app: one module per workflow, one function per action,
atomic, with the acting user.

As in Zulip's zerver/actions: each function checks the acting user's right over the target
inside its transaction (governance.guards), writes, and leaves an audit trail (pghistory
triggers, with the acting user attached as context, and the action named by VillagesAction).
Side effects (a task's `.delay`, a notification) go in `transaction.on_commit`, so that nothing
is sent for a write that rolls back; none of these actions has one yet. Errors are Django
ValidationError (field-level, Chinese and English) or PermissionDenied; API views turn them into
400 and 403.

- filings.py: submitting a position for filing (备案) and deciding it (four eyes);
- divisions.py: retiring a division merged into another (撤并);
- rolls.py: saving a village's roll (花名册) or its members and shares from XLSX, all or nothing;
- actions.py: VillagesAction, the names of these actions in the audit trail.

The public functions are re-exported here: `from villages import services; services.decide_filing`.
"""

from villages.services.actions import VillagesAction
from villages.services.divisions import retire_division
from villages.services.filings import (
    decide_filing,
    holds_receiving_side_or_grant,
    may_decide_filing,
    may_submit_filing,
    submit_filing,
)
from villages.services.rolls import import_roll, may_import_roll

__all__ = [
    "VillagesAction",
    "decide_filing",
    "holds_receiving_side_or_grant",
    "import_roll",
    "may_decide_filing",
    "may_import_roll",
    "may_submit_filing",
    "retire_division",
    "submit_filing",
]
