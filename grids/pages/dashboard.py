"""The grid dashboard of a town or a district (网格看板, `grids/dashboard/?division=&period=`): the
events reported in the period by category and state, the time to handle them, the share of
evaluated events satisfied or basically satisfied against the target of 90% (Jiangsu 一), and the
overdue events, per unit (the villages of a town, the towns of a district). Apache ECharts
(static/vendor/echarts) draws the charts from JSON embedded with json_script, by a static script
(static/js/grids_dashboard.js). A fixed number of queries whatever the number of units or events:
GROUP BYs, never a query per unit."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from governance import clock
from governance.access.querysets import assigned_codes, holds_anywhere, holds_in, jurisdiction_codes
from governance.periods import Period
from governance.reporting import per_unit, unit_level
from grids.choices import SATISFACTION_TARGET_PERCENT, EventState
from grids.models import GridEvent
from grids.querysets import satisfaction_counts, satisfied_share, share_met
from villages.models import Division

# The units the table lists at most (a district has a few dozen towns; a town ~50 villages).
UNITS_SHOWN = 500


def may_view_dashboard(user) -> bool:
    """The navigation's item: for those who view events somewhere (no query)."""
    return holds_anywhere(user, "grids.view_gridevent")


def division_for(user, code: str | None) -> Division:
    """The division asked for, else the user's single assignment, where they view events (a grid
    worker, who views no division pages, included): 404 otherwise."""
    if not code:
        codes = assigned_codes(user)
        if len(codes) != 1:
            codes = jurisdiction_codes(user, "grids.view_gridevent")
        code = codes[0] if codes else None
    if not code or not (code.isascii() and code.isdigit()) or not holds_in(user, "grids.view_gridevent", code):
        raise Http404
    division = Division.objects.filter(code=code).select_related("parent").first()
    if division is None:
        raise Http404
    return division


class PeriodForm(forms.Form):
    period = forms.CharField(label=gettext_lazy("期间"), max_length=7, required=False)

    def clean_period(self) -> Period:
        text = self.cleaned_data["period"] or str(clock.today().year)
        return Period.parse(text)


def hours(duration: datetime.timedelta | None) -> float | None:
    return None if duration is None else round(duration.total_seconds() / 3600, 1)


HANDLING_TIME = ExpressionWrapper(F("handled_at") - F("reported_at"), output_field=DurationField())


def totals_of(events, now) -> dict:
    """Over the events: how many, evaluated, satisfied, overdue (now), handled on time, waiting
    past due, and the average time to handle: one query."""
    return events.aggregate(
        **satisfaction_counts(now),
        waiting_past_due=Count("id", filter=Q(handled_at__isnull=True, due_at__lt=now)),
        handled=Count("id", filter=Q(handled_at__isnull=False)),
        average_handling=Avg(HANDLING_TIME, filter=Q(handled_at__isnull=False)),
    )


def category_chart(events) -> dict:
    """Events per category, stacked by state: one GROUP BY."""
    rows = list(events.order_by().values("category__name", "state").annotate(count=Count("id")))
    names = sorted({row["category__name"] for row in rows})
    by_cell = {(row["category__name"], row["state"]): row["count"] for row in rows}
    return {
        "categories": names,
        "series": [
            {"name": str(state.label), "data": [by_cell.get((name, state.value), 0) for name in names]}
            for state in EventState
        ],
        "table": [
            {"name": name, "counts": [by_cell.get((name, state.value), 0) for state in EventState]} for name in names
        ],
    }


def unit_rows(events, division: Division, names: dict[str, str], now) -> list[dict]:
    """Per unit: events, evaluated, the satisfied share against the target, overdue and the
    average hours to handle: one GROUP BY on the unit's code prefix."""
    grouped = per_unit(events, "division__code", division).annotate(
        **satisfaction_counts(now),
        average_handling=Avg(HANDLING_TIME, filter=Q(handled_at__isnull=False)),
    )
    rows = []
    for row in sorted(grouped, key=lambda row: row["unit"])[:UNITS_SHOWN]:
        share = satisfied_share(row["satisfied"], row["evaluated"])
        rows.append(
            {
                "unit": row["unit"],
                "name": names.get(row["unit"], row["unit"]),
                "events": row["events"],
                "evaluated": row["evaluated"],
                "satisfied_share": share,
                "target_met": share_met(share),
                "overdue": row["overdue"],
                "hours_to_handle": hours(row["average_handling"]),
            }
        )
    return rows


class GridDashboardView(LoginRequiredMixin, TemplateView):
    """网格看板: `?division=<code>&period=<period>` (the caller's jurisdiction and this year by default)."""

    template_name = "grids/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        if not may_view_dashboard(user):
            raise Http404
        division = division_for(user, self.request.GET.get("division"))
        form = PeriodForm(self.request.GET or None)
        try:
            period = form.cleaned_data["period"] if form.is_valid() else Period.parse(str(clock.today().year))
        except ValidationError:  # pragma: no cover - the form's own error is shown
            period = Period.parse(str(clock.today().year))
        now = timezone.now()
        events = (
            GridEvent.objects.restrict(user, "view")
            .filter(division__code__startswith=division.code)
            .reported_between(period.start, period.end)
        )
        totals = totals_of(events, now)
        share = satisfied_share(totals["satisfied"], totals["evaluated"])
        names = dict(
            Division.objects.subtree(division.code).filter(level=unit_level(division)).values_list("code", "name")
        )
        units = unit_rows(events, division, names, now)
        categories = category_chart(events)
        context.update(
            division=division,
            period=period,
            form=form,
            totals=totals,
            satisfied_share=share,
            target=SATISFACTION_TARGET_PERCENT,
            target_met=share_met(share),
            average_hours=hours(totals["average_handling"]),
            units=units,
            truncated=len(units) == UNITS_SHOWN,
            states=[str(state.label) for state in EventState],
            categories=categories["table"],
            charts={
                "categories": {"names": categories["categories"], "series": categories["series"]},
                "units": {
                    "names": [row["name"] for row in units],
                    "satisfied_share": [row["satisfied_share"] for row in units],
                    "overdue": [row["overdue"] for row in units],
                    "hours_to_handle": [row["hours_to_handle"] for row in units],
                },
                "target": SATISFACTION_TARGET_PERCENT,
                "labels": {
                    "share": _("满意率（%）"),
                    "target": _("目标 %(target)s%%") % {"target": SATISFACTION_TARGET_PERCENT},
                    "overdue": _("超期事件"),
                    "hours": _("平均办结用时（小时）"),
                },
            },
        )
        return context
