"""What the engagement app's deliberation bodies, the guiding catalogue, topics and meetings
contributes: reports, navigation, home counts, merge lines."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from engagement.contributing import ENGAGEMENT_GROUP
from governance.registry import MergeCount, NavItem, registry

TOPICS_TO_REVIEW = ngettext_lazy("%(count)d 个协商议题待预审。", "%(count)d 个协商议题待预审。", "count")


def register() -> None:
    """Called once from engagement.contributions.register()."""
    from engagement.api.reports.deliberation import DeliberationCoverageReport, DeliberationTopicsReport
    from engagement.models import DeliberationBody, Meeting, Topic
    from engagement.pages import deliberation as pages

    registry.add_report(DeliberationCoverageReport)
    registry.add_report(DeliberationTopicsReport)
    topic_views = tuple(
        f"engagement:{name}"
        for name in (
            "deliberation_topics",
            "deliberation_topics_to_review",
            "deliberation_topics_to_deliberate",
            "deliberation_topics_done",
            "deliberation_topic_propose",
            "deliberation_topic_review",
            "deliberation_topic_deliberate",
        )
    )
    body_views = tuple(
        f"engagement:{name}"
        for name in (
            "deliberation_bodies",
            "deliberation_village",
            "deliberation_body_add",
            "deliberation_body_edit",
            "deliberation_member_add",
            "deliberation_meeting_add",
        )
    )
    for item in (
        NavItem(
            "deliberation_topics",
            _("协商议题"),
            "engagement:deliberation_topics",
            topic_views,
            order=87,
            shown_to=pages.may_view_topics,
            group=ENGAGEMENT_GROUP,
        ),
        NavItem(
            "deliberation_bodies",
            _("议事会"),
            "engagement:deliberation_bodies",
            body_views,
            order=88,
            shown_to=pages.may_view_bodies,
            group=ENGAGEMENT_GROUP,
        ),
        NavItem(
            "deliberation_meetings",
            _("协商会议"),
            "engagement:deliberation_meetings",
            ("engagement:deliberation_meetings",),
            order=89,
            shown_to=pages.may_view_meetings,
            group=ENGAGEMENT_GROUP,
        ),
        NavItem(
            "deliberation_catalogue",
            _("议事协商指导目录"),
            "engagement:deliberation_catalogue",
            (
                "engagement:deliberation_catalogue",
                "engagement:deliberation_catalogue_add",
                "engagement:deliberation_catalogue_edit",
            ),
            order=90,
            shown_to=pages.may_view_catalogue,
            group=ENGAGEMENT_GROUP,
        ),
    ):
        registry.nav[item.key] = item
    registry.add_pending_work(
        "deliberation_topics_to_review",
        TOPICS_TO_REVIEW,
        count=topics_to_review,
        url_name="engagement:deliberation_topics_to_review",
        link_label=_("去预审"),
        order=84,
    )
    for line in (
        MergeCount.of("deliberation_bodies", _("议事协商组织"), DeliberationBody, order=84),
        MergeCount.of("deliberation_meetings", _("协商会议"), Meeting, order=85),
        MergeCount.of("deliberation_topics", _("协商议题"), Topic, order=86),
    ):
        registry.merge_counts[line.key] = line


def topics_to_review(user) -> int:
    """The topics waiting for pre-review that `user` may review (never their own): one query, none
    for a user who reviews nowhere."""
    from governance.access.querysets import holds_anywhere

    if not holds_anywhere(user, "engagement.review_topic"):
        return 0
    from engagement.models import Topic

    return Topic.objects.reviewable_by(user).count()
