"""The assessment dashboard of a town or the district (issue 9 point 7): for a scheme's stored
results, the grades per town (per village for a town), the trend of the average total and of the
grades over the periods of the schemes that assess the same units, and the weakest indicators;
the units with their scorecards. Charts are drawn by Apache ECharts (static/vendor/echarts) from
JSON embedded with json_script. Read from stored results only, in a fixed number of queries
whatever the number of units (nothing is rescored, and no query per unit)."""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from governance.access.querysets import assigned_codes, holds_anywhere, jurisdiction_codes
from supervision.choices import Grade
from supervision.models import Result, Scheme
from supervision.querysets import unit_names
from supervision.services.remuneration import may_read_remuneration
from villages.choices import Level
from villages.models import Division

# How many units the dashboard's table lists (a district has ~300 villages), and how many of the
# weakest indicators its chart shows.
UNITS_SHOWN = 500
WEAKEST_SHOWN = 8
# The periods a trend covers at most (schemes assessing the same level, newest last).
TREND_PERIODS = 12


def may_view_dashboard(user) -> bool:
    """The navigation's item: for those who read assessment results somewhere."""
    return holds_anywhere(user, "supervision.view_result")


def division_for(user, code: str | None) -> Division:
    """The division asked for (a code the user may view), else their single assignment: 404 otherwise."""
    if not code:
        codes = assigned_codes(user)
        if len(codes) != 1:
            codes = jurisdiction_codes(user, "supervision.view_result")
        code = codes[0] if codes else None
    if not code or not (code.isascii() and code.isdigit()):
        raise Http404
    division = Division.objects.restrict(user, "view").filter(code=code).select_related("parent").first()
    if division is None:
        raise Http404
    return division


def grade_chart(results, division: Division) -> dict:
    """The grade distribution. Above a town (`by` "unit"): a stacked bar per town, the count of
    each grade, from one GROUP BY. At a town or below (`by` "grade", issue 16 point 1: a bar per
    village was unreadable): a bar per grade with the count of units that got it, and `units` the
    names of those units per grade (the tooltip and the table below the chart), from one query."""
    if division.report_unit_level == Level.VILLAGE:
        names = results.units_per_grade()
        return {
            "by": "grade",
            "categories": [str(grade.label) for grade in Grade],
            "series": [{"name": str(_("考核对象数")), "data": [len(names[grade.value]) for grade in Grade]}],
            "units": [names[grade.value] for grade in Grade],
        }
    rows = results.grades_per_unit(division.report_unit_code_length)
    names = unit_names(Division.objects.all(), division)
    return {
        "by": "unit",
        "categories": [names.get(row["part"], row["part"]) for row in rows],
        "series": [{"name": str(grade.label), "data": [row[grade.value] for row in rows]} for grade in Grade],
    }


def trend_chart(results, schemes: list[Scheme]) -> dict:
    """The average total and the grades per period, over the schemes' stored `results`: one GROUP BY."""
    runs = {scheme.scored_run_id: scheme for scheme in schemes}
    points = sorted(
        ((runs[run].period, row) for run, row in results.grades_per_run(runs).items()), key=lambda point: point[0]
    )
    return {
        "periods": [f"{period}" for period, _row in points],
        "average": [round(float(row["average"]), 2) for _period, row in points],
        "series": [
            {"name": str(grade.label), "data": [row[grade.value] for _period, row in points]} for grade in Grade
        ],
    }


class DashboardView(LoginRequiredMixin, TemplateView):
    """考核看板: `?division=<code>&scheme=<id>` (the caller's jurisdiction and the latest scheme by default)."""

    template_name = "supervision/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        if not may_view_dashboard(user):
            raise Http404
        division = division_for(user, self.request.GET.get("division"))
        # Newest period first; within a period, the schemes set at or above the division (they
        # assess all of it) before those of a town inside it (two stable sorts).
        schemes = sorted(
            Scheme.objects.readable_by(user).scored_covering(division.code)[: TREND_PERIODS * 4],
            key=lambda made: not division.code.startswith(made.division_id),
        )
        schemes.sort(key=lambda made: made.period, reverse=True)
        asked = self.request.GET.get("scheme", "")
        scheme = next((made for made in schemes if str(made.pk) == asked), schemes[0] if schemes else None)
        context.update(
            division=division,
            schemes=schemes,
            scheme=scheme,
            charts=None,
            units=[],
            may_read_remuneration=may_read_remuneration(user),
        )
        if scheme is None:
            return context
        readable = Result.objects.restrict(user, "view").filter(unit__code__startswith=division.code)
        results = readable.of_scheme(scheme)
        units = list(results[:UNITS_SHOWN])
        same_level = [made for made in schemes if made.level == scheme.level]
        latest_per_period: dict[str, Scheme] = {}
        for made in same_level:
            latest_per_period.setdefault(made.period, made)
        indicators = list(scheme.indicators.order_by("position", "id").values_list("code", "name", "weight"))
        weakest = results.order_by().indicator_losses(indicators)[:WEAKEST_SHOWN]
        grade_counts = defaultdict(int)
        for row in units:
            grade_counts[row.grade] += 1
        grades = grade_chart(results, division)
        context.update(
            units=units,
            grade_units=(
                list(zip(grades["categories"], grades["series"][0]["data"], grades["units"], strict=True))
                if grades["by"] == "grade"
                else []
            ),
            truncated=len(units) == UNITS_SHOWN,
            grade_totals=[(str(grade.label), grade_counts[grade.value]) for grade in Grade],
            weakest=weakest,
            charts={
                "grades": grades,
                "trend": trend_chart(readable, list(latest_per_period.values())[:TREND_PERIODS]),
                "weakest": {
                    "indicators": [row["name"] for row in weakest],
                    "lost": [row["average_lost"] or 0 for row in weakest],
                },
                "labels": {"average": str(_("平均分")), "lost": str(_("平均失分"))},
            },
        )
        return context
