"""What the covenants app contributes to the portal (governance/registry.py): its role grants, its
API router and pages, the navigation, the covenant record on a person's page, the covenants in
force on a village's public page and the home page's count of violations to confirm. Called from
CovenantsConfig.ready()."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from governance.eligibility import Eligibility, batch_checks
from governance.registry import NavItem, Panel, PendingWork, registry


def register() -> None:
    from covenants.grants import GRANTS

    registry.add_grants(GRANTS)
    registry.add_api_urls("covenants.api.urls")
    from covenants.api.reports import (
        AwardTotalsReport,
        CovenantCoverageReport,
        SanctionsInForceReport,
        ViolationsByCategoryReport,
    )

    registry.add_report(AwardTotalsReport)
    registry.add_report(CovenantCoverageReport)
    registry.add_report(ViolationsByCategoryReport)
    registry.add_report(SanctionsInForceReport)
    # Evidence files of violations, downloadable at /files/covenants.violationevidence/<pk>/.
    registry.add_private_file_model("covenants.ViolationEvidence")
    registry.eligibility_checks["covenant_sanctions"] = sanction_reasons
    # The same bars for many people at once, with the day they end (rights_lists' bidders).
    batch_checks["covenant_sanctions"] = sanction_answers
    registry.demo_steps["covenants"] = load_demo_step
    register_pages()


def register_pages() -> None:
    from covenants.pages import panels

    registry.add_page_urls("covenants.pages.urls")
    registry.nav["covenants"] = NavItem(
        "covenants",
        _("村规民约"),
        "covenants:violations",
        (
            "covenants:violations",
            "covenants:violation",
            "covenants:covenants",
            "covenants:covenant",
            "covenants:version",
            "covenants:reviews",
            "covenants:honour_lists",
            "covenants:nominations_to_approve",
        ),
        order=40,
        shown_to=may_view_violations,
    )
    registry.person_panels["covenant_record"] = Panel(
        key="covenant_record", template="covenants/person_panel.html", context=panels.person_record, order=50
    )
    registry.public_sections["covenant"] = Panel(
        key="covenant", template="covenants/public_covenant.html", context=panels.public_covenants, order=10
    )
    registry.pending_work["violations_to_confirm"] = PendingWork(
        key="violations_to_confirm",
        message=lambda count: (
            ngettext("%(count)d 条违约记录待认定。", "%(count)d 条违约记录待认定。", count) % {"count": count}
        ),
        count=violations_to_confirm,
        url_name="covenants:violations_to_confirm",
        link_label=_("去认定"),
        order=40,
    )
    # The red and black lists (红黑榜) of the current period (covenants.pages.honour_lists).
    registry.public_sections["honour_lists"] = Panel(
        key="honour_lists",
        template="covenants/public_honour_lists.html",
        context=public_honour_lists,
        order=15,
    )
    registry.pending_work["nominations_to_approve"] = PendingWork(
        key="nominations_to_approve",
        message=lambda count: (
            ngettext("%(count)d 个红榜提名待审批。", "%(count)d 个红榜提名待审批。", count) % {"count": count}
        ),
        count=nominations_to_approve,
        url_name="covenants:nominations_to_approve",
        link_label=_("去审批"),
        order=47,
    )
    registry.pending_work["versions_to_review"] = PendingWork(
        key="versions_to_review",
        message=lambda count: (
            ngettext("%(count)d 个公约版本待审查。", "%(count)d 个公约版本待审查。", count) % {"count": count}
        ),
        count=versions_to_review,
        url_name="covenants:reviews",
        link_label=_("去审查"),
        order=45,
    )


def public_honour_lists(division):
    from covenants.pages.honour_lists import public_honour_lists as context

    return context(division)


def nominations_to_approve(user) -> int:
    """Counted only for those who may approve somewhere (no query for the others)."""
    from covenants.models import RedListNomination
    from governance.access.querysets import holds_anywhere

    if not holds_anywhere(user, "covenants.approve_redlistnomination"):
        return 0
    return RedListNomination.objects.awaiting_approval_by(user).count()


def versions_to_review(user) -> int:
    from covenants.models import CovenantVersion

    return CovenantVersion.objects.awaiting_review_by(user).count()


def may_view_violations(user) -> bool:
    """The navigation's 村规民约 item: for those who view violations somewhere."""
    from governance.access.querysets import holds_anywhere

    return holds_anywhere(user, "covenants.view_violation")


def violations_to_confirm(user) -> int:
    """Counted only for those who may confirm somewhere (no query for the others)."""
    from covenants.models import Violation
    from governance.access.querysets import holds_anywhere

    if not holds_anywhere(user, "covenants.confirm_violation"):
        return 0
    return Violation.objects.awaiting_confirmation_by(user).count()


def sanction_reasons(person_id: int, action: str, on) -> list[str]:
    """Why covenant sanctions bar the person from `action` on `on`, one sentence per bar."""
    from covenants.services.sanctions import eligibility
    from covenants.texts import describe_bar

    return [describe_bar(sanction) for sanction in eligibility(person_id, action, on).reasons]


def sanction_answers(person_ids, action: str, on) -> dict[int, Eligibility]:
    """governance.eligibility's answer for the people covenant sanctions bar from `action` on
    `on`: the bars in words and the first day they are free (one query for all of them)."""
    from covenants.services.sanctions import eligibility_from, sanctions_of
    from covenants.texts import describe_bar

    answers = {}
    for person_id, sanctions in sanctions_of(person_ids).items():
        answer = eligibility_from(sanctions, action, on)
        if not answer.eligible:
            reasons = tuple(describe_bar(sanction) for sanction in answer.reasons)
            answers[person_id] = Eligibility(False, answer.eligible_from, reasons)
    return answers


def load_demo_step() -> str:
    """The covenants part of manage.py load_demo (covenants/demo/); its one-line summary."""
    from covenants.demo import load_demo_covenants

    return load_demo_covenants()
