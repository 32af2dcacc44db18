"""The engagement dashboard of a town or a district (联系服务看板, `engagement/dashboard/?division=&period=`):
one panel per theme (engagement/pages/panels/), each with its targets met and missed per unit.

A panel is a dict: `template` (under templates/engagement/panels/), what the template reads, and
`charts`, a list of bar charts per unit that static/js/engagement_dashboard.js draws with Apache
ECharts from JSON embedded by json_script (no inline script):
`{"id": "chart-…", "title": …, "names": [unit names], "values": [numbers or null], "target": number or null}`
(a bar is green when it reaches the target, red when not). Each panel takes a fixed number of
queries whatever the number of units."""

from __future__ import annotations

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from engagement.pages.panels import centres, contact, deliberation, party, visits
from engagement.pages.places import division_asked_for
from governance import clock
from governance.access.querysets import holds_anywhere
from governance.periods import Period

PANELS = (contact, visits, deliberation, party, centres)
# Who views the dashboard: who views an engagement record somewhere (each panel checks its own).
DASHBOARD_PERM = "engagement.view_contactlink"


def may_view_dashboard(user) -> bool:
    """The navigation's item: for those who view the five links somewhere (no query)."""
    return holds_anywhere(user, DASHBOARD_PERM)


class PeriodForm(forms.Form):
    period = forms.CharField(label=gettext_lazy("期间"), max_length=7, required=False)

    def clean_period(self) -> Period:
        return Period.parse(self.cleaned_data["period"] or str(clock.today().year))


class EngagementDashboardView(LoginRequiredMixin, TemplateView):
    """联系服务看板: `?division=<code>&period=<period>` (the caller's jurisdiction and this year by default)."""

    template_name = "engagement/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        if not may_view_dashboard(user):
            raise Http404
        division = division_asked_for(user, self.request.GET.get("division"), DASHBOARD_PERM)
        form = PeriodForm(self.request.GET or None)
        try:
            period = form.cleaned_data["period"] if form.is_valid() else Period.parse(str(clock.today().year))
        except ValidationError:  # pragma: no cover - the form's own error is shown
            period = Period.parse(str(clock.today().year))
        panels = [shown for shown in (theme.panel(user, division, period) for theme in PANELS) if shown]
        charts = [chart for shown in panels for chart in shown.get("charts", ())]
        context.update(division=division, period=period, form=form, panels=panels, charts=charts)
        return context


URLS = [path("engagement/dashboard/", EngagementDashboardView.as_view(), name="dashboard")]
