"""Workflow actions of the covenants app: one function per action, atomic, with the acting user.

One module per workflow: violations (record, confirm, appeal, rectify, refer, evidence), covenants
(the texts, their versions and review), awards (the compliance award and its runs), honour_lists
(the red and black lists and the nominations), eligibility (the logged eligibility question), and
sanctions, the rules: what confirmed violations bar, derived at query time. The actions and the
pages' `may_*` predicates are re-exported here (`from covenants import services`); the submodules
import one another, never this package.
"""

from covenants.services.actions import CovenantsAction
from covenants.services.awards import (
    approve_award_run,
    discard_award_run,
    may_approve_award_run,
    may_discard_award_run,
    may_recompute_award_run,
    preview_award_run,
    recompute_award_run,
)
from covenants.services.covenants import (
    create_covenant,
    edit_version,
    may_edit_version,
    may_review_version,
    missing_reviewers,
    move_version,
    next_clause_number,
    remove_clause,
    review_clause,
    save_clause,
    start_version,
)
from covenants.services.eligibility import ask_eligibility
from covenants.services.honour_lists import (
    approve_nomination,
    decide_nomination,
    may_decide_nomination,
    may_nominate,
    may_withdraw_nomination,
    nominate,
    reject_nomination,
    withdraw_nomination,
)
from covenants.services.violations import (
    add_evidence,
    confirm_violation,
    decide_appeal,
    file_appeal,
    mark_rectified,
    may_add_evidence,
    may_appeal,
    may_confirm,
    may_decide_appeal,
    may_rectify,
    may_refer,
    record_violation,
    refer_violation,
)

__all__ = [
    "CovenantsAction",
    "add_evidence",
    "approve_award_run",
    "approve_nomination",
    "ask_eligibility",
    "confirm_violation",
    "create_covenant",
    "decide_appeal",
    "decide_nomination",
    "discard_award_run",
    "edit_version",
    "file_appeal",
    "mark_rectified",
    "may_add_evidence",
    "may_appeal",
    "may_approve_award_run",
    "may_confirm",
    "may_decide_appeal",
    "may_decide_nomination",
    "may_discard_award_run",
    "may_edit_version",
    "may_nominate",
    "may_recompute_award_run",
    "may_rectify",
    "may_refer",
    "may_review_version",
    "missing_reviewers",
    "may_withdraw_nomination",
    "move_version",
    "next_clause_number",
    "nominate",
    "preview_award_run",
    "recompute_award_run",
    "record_violation",
    "refer_violation",
    "reject_nomination",
    "remove_clause",
    "review_clause",
    "save_clause",
    "start_version",
    "withdraw_nomination",
]
