"""What the engagement app's party members' service posts, point rules, points and the pioneer
index contributes: the reports (service-posts, pioneer-index), the navigation, the home page's
count of party members without a post (for who records claims), and the merge lines."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from engagement.contributing import ENGAGEMENT_GROUP
from governance.registry import MergeCount, NavItem, registry

CLAIM_PERM = "engagement.add_postclaim"


def register() -> None:
    """Called once from engagement.contributions.register()."""
    from engagement.api.reports.party import PioneerIndexReport, ServicePostsReport
    from engagement.models import PointEntry, ServicePost, VillagerPointEntry
    from engagement.pages import party as pages

    registry.add_report(ServicePostsReport)
    registry.add_report(PioneerIndexReport)
    for key, label, url_name, active, order, shown_to in (
        (
            "party_posts",
            _("党员服务岗"),
            "engagement:party_posts",
            (
                "engagement:party_posts",
                "engagement:party_village_posts",
                "engagement:party_post_add",
                "engagement:party_claim_add",
                "engagement:party_claim_leave",
                "engagement:party_members_without_post",
            ),
            91,
            pages.may_view_posts,
        ),
        (
            "party_points",
            _("党员积分"),
            "engagement:party_points",
            ("engagement:party_points", "engagement:party_points_award"),
            92,
            pages.may_view_points,
        ),
        (
            "party_pioneer_index",
            _("党员先锋指数"),
            "engagement:party_pioneer_index",
            ("engagement:party_pioneer_index",),
            93,
            pages.may_view_points,
        ),
        (
            "party_point_rules",
            _("党员积分规则"),
            "engagement:party_point_rules",
            ("engagement:party_point_rules", "engagement:party_point_rule_add", "engagement:party_point_rule_edit"),
            94,
            pages.may_view_rules,
        ),
        (
            "party_villager_points",
            _("村民积分"),
            "engagement:party_villager_points",
            ("engagement:party_villager_points", "engagement:party_villager_points_add"),
            95,
            pages.may_view_villager_points,
        ),
    ):
        registry.nav[key] = NavItem(
            key, label, url_name, active, order=order, shown_to=shown_to, group=ENGAGEMENT_GROUP
        )
    registry.add_pending_work(
        "party_members_without_post",
        ngettext_lazy("%(count)d 名党员尚未认领服务岗。", "%(count)d 名党员尚未认领服务岗。", "count"),
        count=members_without_post_count,
        url_name="engagement:party_members_without_post",
        link_label=_("去认岗"),
        order=84,
    )
    for line in (
        MergeCount.of("service_posts", _("党员服务岗"), ServicePost, order=84),
        MergeCount.of("point_entries", _("党员积分"), PointEntry, order=85),
        MergeCount.of("villager_points", _("村民积分"), VillagerPointEntry, order=86),
    ):
        registry.merge_counts[line.key] = line


def members_without_post_count(user) -> int:
    """Party members holding no post today in the branches where the user records claims (who
    keeps the village's records): one query, none for who records none."""
    from engagement.pages.party import members_without_post
    from governance.access.querysets import holds_anywhere

    if not holds_anywhere(user, CLAIM_PERM):
        return 0
    return members_without_post(user, CLAIM_PERM).count()
