"""What the covenants app contributes to the portal (governance/registry.py): its role grants, its
API router and pages, the navigation, the covenant record on a person's page, the covenants in
force on a village's public page and the home page's count of violations to confirm. Called from
CovenantsConfig.ready()."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy, pgettext_lazy

from governance.eligibility import Eligibility, batch_checks
from governance.registry import DivisionLink, HubLink, NavItem, Panel, registry

# The navigation's drop-down of the app: the covenants first, then the violation register.
# The top bar's menu: a context of its own, so that its English can be short ("Covenants") where
# pages say "Village covenants"; the English top bar keeps to two rows at 1366 px.
COVENANTS_GROUP = pgettext_lazy("top bar", "村规民约")
# The heading of the app's links on a division's page (division_links).
COVENANTS_SECTION = _("村规民约")


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
    register_division_links()
    register_merge_counts()


def register_merge_counts() -> None:
    """What a village merged away (撤并) carries over of the covenants: its covenants, the
    violations recorded in it, its award runs (the merge page's preview)."""
    from covenants.models import AwardRun, Covenant, Violation
    from governance.registry import MergeCount

    for line in (
        MergeCount.of("covenants", _("公约"), Covenant, order=40),
        MergeCount.of("violations", _("违约记录"), Violation, order=41),
        MergeCount.of("award_runs", _("公约遵守奖发放"), AwardRun, order=42),
    ):
        registry.merge_counts[line.key] = line


def register_pages() -> None:
    from covenants.pages import panels

    registry.add_page_urls("covenants.pages.urls")
    registry.nav["covenants"] = NavItem(
        "covenants",
        _("公约"),
        "covenants:covenants",
        ("covenants:covenants", "covenants:covenant", "covenants:version", "covenants:reviews"),
        order=40,
        shown_to=may_view_covenants,
        group=COVENANTS_GROUP,
    )
    registry.nav["covenant_violations"] = NavItem(
        "covenant_violations",
        _("违约登记"),
        "covenants:violations",
        (
            "covenants:violations",
            "covenants:violation",
            "covenants:honour_lists",
            "covenants:nominations_to_approve",
        ),
        order=41,
        shown_to=may_view_violations,
        group=COVENANTS_GROUP,
    )
    registry.person_panels["covenant_record"] = Panel(
        key="covenant_record", template="covenants/person_panel.html", context=panels.person_record, order=50
    )
    registry.public_sections["covenant"] = Panel(
        key="covenant", template="covenants/public_covenant.html", context=panels.public_covenants, order=10
    )
    registry.add_pending_work(
        "violations_to_confirm",
        ngettext_lazy("%(count)d 条违约记录待认定。", "%(count)d 条违约记录待认定。", "count"),
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
    registry.add_pending_work(
        "nominations_to_approve",
        ngettext_lazy("%(count)d 个红榜提名待审批。", "%(count)d 个红榜提名待审批。", "count"),
        count=nominations_to_approve,
        url_name="covenants:nominations_to_approve",
        link_label=_("去审批"),
        order=47,
    )
    registry.add_pending_work(
        "versions_to_review",
        ngettext_lazy("%(count)d 个公约版本待审查。", "%(count)d 个公约版本待审查。", "count"),
        count=versions_to_review,
        url_name="covenants:reviews",
        link_label=_("去审查"),
        order=45,
    )


def register_division_links() -> None:
    """The covenants' links on a village's or cooperative's page (villages' hub): the covenants
    binding its people (a cooperative's are its village's), its honour lists and award runs."""
    registry.division_links["covenants"] = DivisionLink(
        "covenants", COVENANTS_SECTION, _("公约"), covenants_link, levels=("village", "cooperative"), order=10
    )
    registry.division_links["honour_lists"] = DivisionLink(
        "honour_lists", COVENANTS_SECTION, _("红黑榜"), honour_lists_link, order=12
    )
    registry.division_links["award_runs"] = DivisionLink(
        "award_runs", COVENANTS_SECTION, _("公约遵守奖"), award_runs_link, levels=("village", "cooperative"), order=14
    )


IN_FORCE_LABEL = _("%(title)s（第 %(number)s 版施行中）")


def covenants_link(division, user) -> HubLink | None:
    """The covenants of the division's village (for a cooperative: its village's, which bind its
    members) that the user reads, their count and each version in force: one query."""
    from django.urls import reverse

    from covenants.models import Covenant
    from governance.access.querysets import holds_anywhere
    from villages.choices import CODE_LENGTH_BY_LEVEL, Level

    if not holds_anywhere(user, "covenants.view_covenant"):
        return None
    village_code = division.code[: CODE_LENGTH_BY_LEVEL[Level.VILLAGE]]
    readable = Covenant.objects.restrict(user, "view").filter(division_id=village_code)
    covenants = list(readable.with_version_in_force().order_by("kind"))
    in_force = tuple(
        (
            IN_FORCE_LABEL % {"title": covenant.title, "number": covenant.version_in_force_number},
            reverse("covenants:covenant", args=[covenant.pk]),
        )
        for covenant in covenants
        if covenant.version_in_force
    )
    return HubLink(url=f"{reverse('covenants:covenants')}?division={village_code}", count=len(covenants), more=in_force)


def honour_lists_link(division, user) -> HubLink | None:
    """The village's red and black lists, for who views them there (no query)."""
    from django.urls import reverse

    from governance.access.querysets import holds_in

    if not holds_in(user, "covenants.view_redlistnomination", division.code):
        return None
    return HubLink(url=reverse("covenants:honour_lists", args=[division.code]))


def award_runs_link(division, user) -> HubLink | None:
    """The division's award runs the user views and their count: one query."""
    from django.urls import reverse

    from covenants.models import AwardRun
    from governance.access.querysets import holds_in

    if not holds_in(user, "covenants.view_awardrun", division.code):
        return None
    count = AwardRun.objects.restrict(user, "view").filter(division_id=division.code).count()
    return HubLink(url=reverse("covenants:award_runs", args=[division.code]), count=count)


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


def may_view_covenants(user) -> bool:
    """The navigation's 公约 item: for those who view covenants somewhere."""
    from governance.access.querysets import holds_anywhere

    return holds_anywhere(user, "covenants.view_covenant")


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
