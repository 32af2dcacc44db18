"""What the engagement app contributes to the portal (governance/registry.py): its role grants, its
API router and pages, the dashboard, the computed indicators and the demo; each theme's reports,
navigation, home counts and merge lines through its module of engagement/contributing/. Called
from EngagementConfig.ready()."""

from django.utils.translation import gettext_lazy as _

from engagement.contributing import ENGAGEMENT_GROUP
from governance.registry import NavItem, registry


def register() -> None:
    from engagement.contributing import centres, contact, deliberation, party, visits
    from engagement.grants import GRANTS
    from engagement.indicators import INDICATORS
    from engagement.pages.dashboard import may_view_dashboard

    registry.add_grants(GRANTS)
    registry.add_api_urls("engagement.api.urls")
    registry.add_page_urls("engagement.pages.urls")
    for indicator in INDICATORS:
        registry.add_indicator(indicator)
    registry.nav["engagement_dashboard"] = NavItem(
        "engagement_dashboard",
        _("联系服务看板"),
        "engagement:dashboard",
        ("engagement:dashboard",),
        order=79,
        shown_to=may_view_dashboard,
        group=ENGAGEMENT_GROUP,
    )
    for theme in (contact, visits, deliberation, party, centres):
        theme.register()
    registry.demo_steps["engagement"] = load_demo_step


def load_demo_step() -> str:
    """The engagement part of manage.py load_demo (engagement/demo/); its one-line summary."""
    from engagement.demo import load_demo_engagement

    return load_demo_engagement()
