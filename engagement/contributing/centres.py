"""What the engagement app's service centres, operating funds, emergency plans and drills
contributes: reports, navigation, home counts, merge lines."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from engagement.contributing import ENGAGEMENT_GROUP
from governance.registry import MergeCount, NavItem, registry

PLANS_DUE_MESSAGE = ngettext_lazy("%(count)d 个应急预案一年内未演练。", "%(count)d 个应急预案一年内未演练。", "count")


def register() -> None:
    """Called once from engagement.contributions.register()."""
    from engagement.api.reports.centres import REPORTS
    from engagement.pages import centres as pages

    for report in REPORTS:
        registry.add_report(report)
    registry.nav["engagement_centres"] = NavItem(
        "engagement_centres",
        _("服务中心与应急"),
        "engagement:centres",
        pages.ACTIVE_VIEWS,
        order=96,
        shown_to=pages.may_view_centres,
        group=ENGAGEMENT_GROUP,
    )
    registry.add_pending_work(
        "engagement_plans_due_a_drill",
        PLANS_DUE_MESSAGE,
        count=plans_due_count,
        url_name="engagement:centres_plans_due",
        link_label=_("去登记演练"),
        order=95,
    )
    register_merge_counts()


def plans_due_count(user) -> int:
    """Emergency plans without a drill for a year, for who keeps the village's records (who may
    record drills there): one query, none for a user who records drills nowhere."""
    from engagement.pages.centres import plans_due_a_drill, records_drills_somewhere

    if not records_drills_somewhere(user):
        return 0
    return plans_due_a_drill(user).count()


def register_merge_counts() -> None:
    """What a village merged away (撤并) carries over of the theme (the merge page's preview): its
    service centre, which stays a station serving its households, its area and households counted
    in its successor's from then on (the service-centres report adds them up); its operating funds,
    which count in the successor's year; its emergency plans with their drills."""
    from engagement.models import Drill, EmergencyPlan, OperatingFund, ServiceCentre

    for line in (
        MergeCount.of("engagement_service_centres", _("党群服务中心（站点）"), ServiceCentre, order=95),
        MergeCount.of("engagement_operating_funds", _("村级运转经费"), OperatingFund, order=96),
        MergeCount.of("engagement_emergency_plans", _("应急预案"), EmergencyPlan, order=97),
        MergeCount.of("engagement_drills", _("应急演练"), Drill, order=98),
    ):
        registry.merge_counts[line.key] = line
