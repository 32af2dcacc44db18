"""What the covenants app shows on other apps' pages (governance.registry): the covenant record
on a person's page and the published covenants on a village's public page."""

from __future__ import annotations

from covenants.choices import EligibilityAction, VersionStatus
from covenants.filters import state_of
from covenants.models import Clause, CovenantVersion, Violation
from covenants.pages.base import sanction_text, tier_texts
from covenants.services.sanctions import eligibility_from, in_force, sanctions_of
from governance import clock
from governance.access.querysets import holds_in

# The eligibility questions the person's panel answers for today (the compliance award is the
# award run's, per period).
PANEL_ACTIONS = (
    EligibilityAction.ASSET_BIDDING,
    EligibilityAction.ELECTION,
    EligibilityAction.NOMINATION,
    EligibilityAction.DIVIDENDS,
    EligibilityAction.HOMESTEAD_ALLOCATION,
)


def person_record(person, request) -> dict | None:
    """违约记录 on a person's page: their violations, each with its tier and what it brought, the
    sanctions in force today and whether they may bid for collective assets, be elected or
    nominated, receive dividends or a homestead allocation today. Two queries (the violations, and
    the sanctions engine's); only for those who may view violations in the person's village."""
    user = request.user
    village = person.village_code()
    if not holds_in(user, "covenants.view_violation", village):
        return None
    violations = list(
        Violation.objects.restrict(user, "view")
        .filter(person=person)
        .select_related("clause__version__covenant")
        .order_by("-occurred_on", "-id")
    )
    for violation in violations:
        violation.state_label = state_of(violation)
    today = clock.today()
    sanctions = sanctions_of([person.pk]).get(person.pk, [])
    tier_texts(violations, sanctions)
    eligibility = []
    for action in PANEL_ACTIONS:
        answer = eligibility_from(sanctions, action, today)
        eligibility.append({"action": action, "label": EligibilityAction(action).label, "answer": answer})
    return {
        "person": person,
        "violations": violations,
        "sanctions_today": [sanction_text(sanction) for sanction in in_force(sanctions, today)],
        "eligibility": eligibility,
        "today": today,
        "may_record": holds_in(user, "covenants.add_violation", village),
        "village_code": village,
    }


def public_covenants(division) -> dict | None:
    """The village's covenants in force with their clauses, for its public page: only published
    versions, and nothing about any person. Two queries (the versions, their clauses)."""
    versions = list(
        CovenantVersion.objects.filter(covenant__division=division, status=VersionStatus.PUBLISHED)
        .select_related("covenant")
        .order_by("covenant__kind", "covenant_id")
    )
    if not versions:
        return None
    clauses: dict[int, list] = {version.pk: [] for version in versions}
    for clause in Clause.objects.filter(version__in=versions).order_by("version_id", "number"):
        clauses[clause.version_id].append(clause)
    return {"covenants": [{"version": version, "clauses": clauses[version.pk]} for version in versions]}
