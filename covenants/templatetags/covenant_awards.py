"""Template helpers of the compliance award: the link to a division's award runs, for those who
may view them there (no query: the grants are cached on the user)."""

from django import template
from django.urls import reverse

from governance.access.querysets import holds_in

register = template.Library()


@register.simple_tag(takes_context=True)
def award_runs_url(context, division_code: str) -> str:
    """The award run screen of the division, or "" when the signed-in user may not view its runs."""
    request = context.get("request")
    if request is None or not holds_in(request.user, "covenants.view_awardrun", division_code):
        return ""
    return reverse("covenants:award_runs", args=[division_code])
