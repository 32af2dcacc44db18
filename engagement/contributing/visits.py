"""What the engagement app's visits, visiting cadres and their quotas, kept contacts contributes:
reports, navigation, home counts, merge lines."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from engagement.contributing import ENGAGEMENT_GROUP
from governance.registry import MergeCount, NavItem, registry

BEHIND_MESSAGE = ngettext_lazy(
    "%(count)d 名走访干部尚未完成走访要求。", "%(count)d 名走访干部尚未完成走访要求。", "count"
)


def register() -> None:
    """Called once from engagement.contributions.register()."""
    from engagement.api.reports.visits import KeptContactsReport, VisitCoverageReport
    from engagement.models import KeptContact, Visit, VisitingCadre
    from engagement.pages import visits as pages

    registry.add_report(VisitCoverageReport)
    registry.add_report(KeptContactsReport)
    nav = (
        (
            "engagement_visits",
            _("走访记录"),
            "engagement:visits_list",
            ("engagement:visits_list", "engagement:visits_detail"),
            82,
            pages.may_view_visits,
        ),
        (
            "engagement_visit_new",
            _("登记走访"),
            "engagement:visits_new",
            ("engagement:visits_new",),
            83,
            pages.may_record_visits,
        ),
        (
            "engagement_visiting_cadres",
            _("走访干部"),
            "engagement:visits_cadres",
            (
                "engagement:visits_cadres",
                "engagement:visits_cadre_new",
                "engagement:visits_cadre_edit",
                "engagement:visits_cadre_coverage",
            ),
            84,
            pages.may_view_cadres,
        ),
        (
            "engagement_visit_coverage",
            _("走访覆盖"),
            "engagement:visits_coverage",
            ("engagement:visits_coverage",),
            85,
            pages.may_view_cadres,
        ),
        (
            "engagement_kept_contacts",
            _("联系群众"),
            "engagement:visits_contacts",
            ("engagement:visits_contacts", "engagement:visits_contact_new"),
            86,
            pages.may_view_kept_contacts,
        ),
    )
    for key, label, url_name, active, order, shown_to in nav:
        registry.nav[key] = NavItem(
            key, label, url_name, active, order=order, shown_to=shown_to, group=ENGAGEMENT_GROUP
        )
    registry.add_pending_work(
        "engagement_cadres_behind",
        BEHIND_MESSAGE,
        count=cadres_behind_count,
        url_name="engagement:visits_coverage",
        link_label=_("去查看"),
        order=80,
    )
    for line in (
        MergeCount.of("engagement_visits", _("走访记录"), Visit, order=80),
        MergeCount.of("engagement_visiting_cadres", _("走访干部"), VisitingCadre, order=81),
        MergeCount.of("engagement_kept_contacts", _("联系对象"), KeptContact, order=82),
    ):
        registry.merge_counts[line.key] = line


def cadres_behind_count(user) -> int:
    """The active visiting cadres of the user's jurisdiction short of a quota in the running
    half-year's windows (the year's, the half-year's, the term so far), for who may change visits:
    two queries (the cadres, one statement of counts)."""
    from engagement.models import VisitingCadre
    from engagement.querysets.visits import cadres_behind
    from governance import clock
    from governance.access.querysets import holds_anywhere
    from governance.periods import Period

    if not holds_anywhere(user, "engagement.change_visit"):
        return 0
    today = clock.today()
    period = Period.parse(f"{today.year}-H{1 if today.month <= 6 else 2}")
    cadres = VisitingCadre.objects.restrict(user, "view").filter(active=True)
    return len(cadres_behind(cadres, period))
