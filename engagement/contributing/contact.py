"""What the engagement app's direct contact (五挂钩 links, contact days) contributes: reports,
navigation, home counts, merge lines."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from engagement.contributing import ENGAGEMENT_GROUP
from governance.registry import MergeCount, NavItem, registry

MISSING_LINKS_MESSAGE = ngettext_lazy(
    "%(count)d 个村（社区）五挂钩未全部落实。", "%(count)d 个村（社区）五挂钩未全部落实。", "count"
)


def register() -> None:
    """Called once from engagement.contributions.register()."""
    from engagement.api.reports.contact import ContactDaysReport, ContactLinksReport
    from engagement.models import ContactDay, ContactLink
    from engagement.pages import contact as pages

    registry.add_report(ContactLinksReport)
    registry.add_report(ContactDaysReport)
    registry.nav["engagement_contact_links"] = NavItem(
        "engagement_contact_links",
        _("五挂钩"),
        "engagement:contact_links",
        ("engagement:contact_links", "engagement:contact_link_fill", "engagement:contact_link_end"),
        order=80,
        shown_to=pages.may_view_links,
        group=ENGAGEMENT_GROUP,
    )
    registry.nav["engagement_contact_days"] = NavItem(
        "engagement_contact_days",
        _("组织直联日"),
        "engagement:contact_days",
        ("engagement:contact_days", "engagement:contact_day_add"),
        order=81,
        shown_to=pages.may_view_days,
        group=ENGAGEMENT_GROUP,
    )
    registry.add_pending_work(
        "engagement_missing_links",
        MISSING_LINKS_MESSAGE,
        count=villages_missing_links_count,
        url_name="engagement:contact_links",
        link_label=_("去落实"),
        order=80,
    )
    for line in (
        MergeCount.of("engagement_contact_links", _("五挂钩"), ContactLink, order=80),
        MergeCount.of("engagement_contact_days", _("组织直联日"), ContactDay, order=81),
    ):
        registry.merge_counts[line.key] = line


def villages_missing_links_count(user) -> int:
    """The home page's count, for who may fill links: the active villages of their jurisdiction
    (where they hold engagement.add_contactlink, among the divisions they view) lacking at least
    one of the five links today. One query (none for who may fill none)."""
    from engagement.querysets.contact import villages_missing_links
    from governance import clock
    from governance.access.querysets import held_condition, holds_anywhere
    from villages.models import Division

    perm = "engagement.add_contactlink"
    if not holds_anywhere(user, perm):
        return 0
    villages = Division.objects.restrict(user, "view")
    if not user.is_superuser:
        villages = villages.filter(held_condition(user, perm, "code"))
    return villages_missing_links(villages, clock.today()).count()
