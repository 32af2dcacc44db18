"""Village covenants (村规民约): covenants, their versions and clauses, and violations.

A village or community has one general covenant and any number of special ones. Each covenant
has versions made of numbered clauses; one version at a time is in force (published). A clause
says what a violation of it can lead to. A violation keeps the clause, and so the version, it
was judged under. Sanctions are not stored: covenants.services.sanctions derives them from confirmed
violations and their clauses' rules, by date, at query time.
"""

from covenants.choices import (  # noqa: F401 (re-exported: `from covenants.models import VersionStatus`)
    DEFAULT_REPEAT_WINDOW_MONTHS,
    EDITABLE_VERSION_STATUSES,
    AwardRule,
    AwardRunStatus,
    CovenantKind,
    EligibilityAction,
    NominationStatus,
    Severity,
    VersionStatus,
)
from covenants.models.awards import AwardPayout, AwardRun
from covenants.models.covenants import Clause, Covenant, CovenantVersion
from covenants.models.honour_lists import RedListNomination
from covenants.models.validators import validate_period
from covenants.models.violations import EligibilityQuery, Violation, ViolationEvidence

__all__ = [
    "AwardPayout",
    "AwardRun",
    "Clause",
    "Covenant",
    "CovenantVersion",
    "EligibilityQuery",
    "RedListNomination",
    "Violation",
    "ViolationEvidence",
    "validate_period",
]
