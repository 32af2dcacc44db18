"""What the villages app contributes to the portal: its API router and pages, the navigation,
the home page's jurisdiction panel and its count of filings to decide, and the grants of each
role on its models (governance/registry.py). Called from VillagesConfig.ready()."""

from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from governance.registry import NavItem, Panel, registry


def register() -> None:
    from villages import pickers
    from villages.api import reports
    from villages.grants import GRANTS

    registry.add_grants(GRANTS)
    registry.add_api_urls("villages.api.urls")
    registry.add_report(reports.ReserveCadresReport)
    registry.add_report(reports.TermsExpiredReport)
    registry.add_page_urls("villages.pages.urls")
    pickers.register()  # divisions, people and households for the searchable pickers
    for item in NAVIGATION:
        registry.nav[item.key] = item
    registry.add_pending_work(
        "filings",
        ngettext_lazy("有 %(count)d 条任职备案等待您审核。", "有 %(count)d 条任职备案等待您审核。", "count"),
        count=filings_awaiting,
        url_name="villages:filings",
        link_label=_("去审核"),
        order=10,
    )
    registry.add_pending_work(
        "expired_terms",
        ngettext_lazy(
            "%(count)d 个村（社区）“两委”任期已届满，尚未换届。",
            "%(count)d 个村（社区）“两委”任期已届满，尚未换届。",
            "count",
        ),
        count=expired_terms,
        url_name="villages:expired_terms",
        link_label=_("去查看"),
        order=15,
    )
    registry.home_panels["jurisdiction"] = Panel(
        key="jurisdiction", template="villages/home_jurisdiction.html", context=jurisdiction_panel, order=10
    )
    register_merge_counts()


def register_merge_counts() -> None:
    """What a village merged away (撤并) carries over of the hierarchy (the merge page's preview):
    its cooperatives (撤村不撤社: they stay, under the successor), households, people, current
    members, party members and current posts."""
    from django.db.models import Q

    from governance.registry import MergeCount
    from villages.models import Division, Household, Level, Membership, PartyMembership, Person, Position

    def current_positions(code: str) -> int:
        return Position.objects.current().filter(division__code__startswith=code).count()

    for line in (
        MergeCount.of(
            "cooperatives", _("经济社"), Division, where=Q(level=Level.COOPERATIVE, retired_on__isnull=True), order=10
        ),
        MergeCount.of("households", _("户"), Household, order=11),
        MergeCount.of("people", _("人员"), Person, order=12),
        MergeCount.of("members", _("集体经济组织成员（在册）"), Membership, where=Q(left_on__isnull=True), order=13),
        MergeCount.of("party_members", _("党员"), PartyMembership, order=14),
        MergeCount(key="positions", label=_("现任职务"), count=current_positions, order=15),
    ):
        registry.merge_counts[line.key] = line


NAVIGATION = (
    NavItem(
        "people",
        _("人员"),
        "villages:people",
        ("villages:people", "villages:person"),
        order=10,
        model="villages.Person",
    ),
    NavItem("cadres", _("任职"), "villages:cadres", ("villages:cadres",), order=20, model="villages.Position"),
    NavItem(
        "filings",
        _("备案"),
        "villages:filings",
        ("villages:filings", "villages:filing"),
        order=30,
        model="villages.PositionFiling",
    ),
)


def filings_awaiting(user) -> int:
    """Filings (备案) the user may decide: the same restrict() the filing list uses."""
    from villages.models import PositionFiling

    return PositionFiling.objects.restrict(user, "view").awaiting_decision_by(user).count()


def expired_terms(user) -> int:
    """Villages whose committees are out of term that the user is told of: the queryset of the
    list the count links to (Division.objects.committees_out_of_term_for), today; one query."""
    from governance import clock
    from villages.models import Division

    return Division.objects.committees_out_of_term_for(user, clock.today()).count()


def jurisdiction_panel(request) -> dict:
    """The divisions the user is assigned to, each with the roles held there and its counts.

    A superuser holds no assignments and starts at the top of the hierarchy instead.
    """
    from villages.models import Division

    user = request.user
    divisions = Division.objects.restrict(user, "view").for_home_panel()
    if user.is_superuser:
        return {"divisions": list(divisions.tops()), "is_superuser": True}
    shown = list(divisions.assigned_to(user))
    for division in shown:
        # Role names are stored in Chinese, as marked for translation in roles.py: translate the
        # stored name so that the English page names the role in English.
        division.role_names = [gettext(assignment.role.name) for assignment in division.assignments_held]
    return {"divisions": shown, "is_superuser": False}
