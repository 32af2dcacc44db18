"""What each theme of the engagement app contributes to the portal, one module per theme
(engagement/contributions.py calls each `register()`): its API routes, reports, indicators,
navigation, home counts and merge lines."""

from django.utils.translation import gettext_lazy as _

# The app's pages share one drop-down of the top bar.
ENGAGEMENT_GROUP = _("联系服务")
