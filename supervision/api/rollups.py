"""Roll-up reports of supervision and assessment (issue 9 point 6), on governance's reports base
(/api/v1/reports/<slug>/: JSON, CSV and XLSX from one definition), registered in
supervision/contributions.py. Those of a scheme read its stored results (nothing is rescored, so a
district-wide report costs a few queries): grade-counts, indicator-losses, remuneration-totals.
Those of a period read the records: overdue-disclosures and supervision-counts. The reserve cadre
shortfall is the villages app's reserve-cadres report (each village against the rule of 2).

A row is a town, or a village when the division asked for is a town or below
(governance.api.unit_reports.PerUnitReport, the same rule as every per-unit report)."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict

from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _

from governance import clock
from governance.api.reports import Column
from governance.api.unit_reports import PerUnitReport
from governance.reporting import per_unit, percent, unit_in
from supervision.api.reports import SCHEME_PARAMETER, scheme_asked_for
from supervision.choices import BASE, BONUS, DEDUCTION, PERFORMANCE, Grade, round_score
from supervision.models import (
    DisciplinarySanction,
    DisclosureItem,
    EconomicAudit,
    IntegrityTalk,
    MajorMatterReport,
    RemunerationRule,
    Result,
)
from supervision.services.remuneration import remuneration_of


class SchemeReport(PerUnitReport):
    """A roll-up of a scheme's stored results: `?scheme=<id>&division=<code>`."""

    model = Result
    query_parameters = (SCHEME_PARAMETER,)

    def filename(self) -> str:
        return f"{self.slug}-{self.request.query_params.get('scheme')}-{self.division.code}"

    def results(self, division):
        self.scheme = scheme_asked_for(self.request)
        return (
            self.restricted(Result)
            .filter(run_id=self.scheme.scored_run_id, unit__code__startswith=division.code)
            .order_by()
        )

    def counting_day(self) -> datetime.date:
        return self.scheme.period_range.end


class GradeCountsReport(SchemeReport):
    """考核等次分布: per town (per village for a town) how many units got each grade and their
    average total. Four queries: the grants, the division and scheme, one GROUP BY, the units."""

    slug = "grade-counts"
    name = _("考核等次分布")
    columns = (
        Column("code", _("代码")),
        Column("name", _("名称")),
        Column("units", _("考核对象数")),
        *(Column(grade.value, grade.label) for grade in Grade),
        Column("average", _("平均分")),
    )

    def rows(self, division, period):
        # Grouped by hand, not with governance.reporting.per_unit: a result has a `unit` field of
        # its own, which that helper's `unit` column would shadow.
        counts = {
            row["part"]: row
            for row in self.results(division)
            .annotate(part=Substr("unit_id", 1, self.unit_length(division)))
            .values("part")
            .annotate(
                units=Count("id"),
                **{grade.value: Count("id", filter=Q(grade=grade)) for grade in Grade},
                total_sum=Sum("total"),
            )
        }
        for unit in self.units(division, self.counting_day()):
            row = counts.get(unit["code"])
            units = row["units"] if row else 0
            yield {
                **unit,
                "units": units,
                **{grade.value: row[grade.value] if row else 0 for grade in Grade},
                "average": float(round_score(row["total_sum"] / units)) if units else None,
            }


class IndicatorLossesReport(SchemeReport):
    """失分指标: per indicator of the scheme, how many units in the division lost points on it
    (scored below 100 or missing) and the points lost in the total (weight × (100 − score) / 100,
    summed and averaged), the weakest first. Four queries: the grants, the division and scheme,
    its indicators, the stored scores."""

    slug = "indicator-losses"
    name = _("失分指标")
    columns = (
        Column("indicator", _("指标代码")),
        Column("name", _("指标名称")),
        Column("weight", _("权重")),
        Column("units", _("考核对象数")),
        Column("losing_units", _("失分对象数")),
        Column("missing_units", _("缺少得分对象数")),
        Column("points_lost", _("失分合计")),
        Column("average_lost", _("平均失分")),
    )

    def rows(self, division, period):
        results = self.results(division)
        indicators = list(self.scheme.indicators.order_by("position", "id").values_list("code", "name", "weight"))
        return results.indicator_losses(indicators)


class RemunerationTotalsReport(SchemeReport):
    """村干部报酬汇总: per town (per village for a town) the cadres paid under the scheme and the
    sums of each part in fen, from the stored results and the rules (supervision.services.remuneration).
    Read by who reads remuneration. A fixed number of queries whatever the number of units."""

    slug = "remuneration-totals"
    name = _("村干部报酬汇总")
    model = RemunerationRule
    columns = (
        Column("code", _("代码")),
        Column("name", _("名称")),
        Column("cadres", _("人数")),
        Column("base_fen", _("基本报酬（分）")),
        Column("performance_fen", _("考核绩效（分）")),
        Column("bonus_fen", _("创收奖励（分）")),
        Column("deduction_fen", _("处分扣减（分）")),
        Column("total_fen", _("应发合计（分）")),
    )

    def rows(self, division, period):
        self.scheme = scheme_asked_for(self.request)
        length = self.unit_length(division)
        sums: dict[str, Counter] = defaultdict(Counter)
        for pay in remuneration_of(self.request.user, self.scheme, division.code):
            row = sums[pay.unit[:length]]
            row["cadres"] += 1
            for part in (BASE, PERFORMANCE, BONUS, DEDUCTION):
                row[f"{part}_fen"] += pay.amount(part)
            row["total_fen"] += pay.total_fen
        keys = ("cadres", "base_fen", "performance_fen", "bonus_fen", "deduction_fen", "total_fen")
        for unit in self.units(division, self.counting_day()):
            yield {**unit, **{key: sums[unit["code"]][key] for key in keys}}


class OverdueDisclosuresReport(PerUnitReport):
    """村务公开逾期情况: per town (per village for a town) the disclosures that fell due in the
    period, those filed by their deadline, those filed late, and those overdue on the counting day (the period's last
    day, or today while it runs), with the on-time share. Computed from the catalogue's cadences
    and the filed disclosures at query time (supervision.querysets). Four queries."""

    slug = "overdue-disclosures"
    name = _("村务公开逾期情况")
    takes_period = True
    model = DisclosureItem
    columns = (
        Column("code", _("代码")),
        Column("name", _("名称")),
        Column("on", _("统计日期")),
        Column("due", _("应公开")),
        Column("on_time", _("按期公开")),
        Column("late", _("逾期后补公开")),
        Column("overdue", _("逾期未公开")),
        Column("on_time_percent", _("按期公开率（%）")),
    )

    def today(self) -> datetime.date:
        return clock.today()

    def rows(self, division, period):
        on = period.counting_day(self.today())
        length = self.unit_length(division)
        units, successors = self.units_and_successors(division, on)
        counts: dict[str, Counter] = defaultdict(Counter)
        items = self.restricted(DisclosureItem).filter(division__code__startswith=division.code)
        for due in items.due_between(period.start, period.end):
            # A village merged away counts in its successor's row (governance.reporting.unit_in).
            row = counts[unit_in(due.division_id, length, successors)]
            row["due"] += 1
            # The one state the calendar, the overdue list and the home page read (DisclosureState).
            row[due.state_on(on)] += 1
        for unit in units:
            row = counts[unit["code"]]
            yield {
                **unit,
                "on": on.isoformat(),
                "due": row["due"],
                "on_time": row["on_time"],
                "late": row["late"],
                "overdue": row["overdue"],
                "on_time_percent": percent(row["on_time"], row["due"]),
            }


# The records supervision-counts counts, each by the day that places it in a period.
COUNTED_RECORDS = (
    ("sanctions", DisciplinarySanction, "decided_on"),
    ("integrity_talks", IntegrityTalk, "held_on"),
    ("major_matters", MajorMatterReport, "reported_on"),
    ("audits", EconomicAudit, "reported_on"),
)


class SupervisionCountsReport(PerUnitReport):
    """监督工作统计: per town (per village for a town) the standing records of the period: sanctions
    decided, integrity talks held, major matters reported and economic audits reported, each counted
    among the records the caller may view. One GROUP BY per kind of record."""

    slug = "supervision-counts"
    name = _("监督工作统计")
    takes_period = True
    model = DisciplinarySanction
    columns = (
        Column("code", _("代码")),
        Column("name", _("名称")),
        Column("sanctions", _("处分")),
        Column("integrity_talks", _("任前廉洁谈话")),
        Column("major_matters", _("重大事项报告")),
        Column("audits", _("经济责任审计")),
    )

    def rows(self, division, period):
        counts: dict[str, dict[str, int]] = defaultdict(dict)
        for key, model, day in COUNTED_RECORDS:
            records = (
                self.restricted(model)
                .standing()
                .filter(division__code__startswith=division.code, **{f"{day}__range": (period.start, period.end)})
            )
            grouped = per_unit(records, "division_id", division, period.end).annotate(n=Count("id"))
            for row in grouped:
                counts[row["unit"]][key] = row["n"]
        for unit in self.units(division, period.end):
            yield {**unit, **{key: counts[unit["code"]].get(key, 0) for key, _model, _day in COUNTED_RECORDS}}


ROLLUPS = (
    GradeCountsReport,
    IndicatorLossesReport,
    RemunerationTotalsReport,
    OverdueDisclosuresReport,
    SupervisionCountsReport,
)
