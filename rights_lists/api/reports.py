"""Reports of the rights_lists app, served by governance's reports base (/api/v1/reports/<slug>/):
JSON, CSV and XLSX from one definition. Each report is a class here, registered in
rights_lists/contributions.py with registry.add_report."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from governance.api.reports import Column, ReportView
from governance.api.unit_reports import PerUnitReport
from governance.clock import today
from governance.reporting import percent
from rights_lists.choices import AdmissionOutcome, DecisionState
from rights_lists.models import AdmissionRequest, Decision

# --- Decisions by state, the full procedure's share, overdue publications (issue 8, point 7) ------
# Rows per town of the division asked for, or per village when it is a town or lies below one (a
# cooperative's decisions count in its village). A fixed number of queries whatever the number of
# rows: the caller's grants, the division asked for, the figures (one GROUP BY), the units.


class DecisionsPerUnitReport(PerUnitReport):
    """A report of the decisions that started in the period, one row per town or village."""

    model = Decision
    takes_period = True

    def decisions_started_in(self, division, period):
        """The decisions of the subtree the caller may view that started in the period (the
        querysets' started_between), which the querysets' *_per_unit group by unit."""
        return self.restricted(Decision).under(division.code).started_between(period.start, period.end)


class DecisionsByStateReport(DecisionsPerUnitReport):
    """决策情况统计: per town or village, the decisions started in the period (first meeting in it,
    or opened in it while none has been held) by their state now, and in all."""

    slug = "decisions-by-state"
    name = _("决策情况统计")
    columns = (
        Column("code", _("代码")),
        Column("name", _("名称")),
        *(Column(state.value, state.label) for state in DecisionState),
        Column("total", _("合计")),
    )

    def rows(self, division, period):
        counts: dict[str, dict[str, int]] = {}
        for row in self.decisions_started_in(division, period).state_counts_per_unit(division, period.start):
            counts.setdefault(row["unit"], {})[row["state"]] = row["n"]
        for unit in self.units(division, period.start):
            states = counts.get(unit["code"], {})
            yield {
                **unit,
                **{state.value: states.get(state, 0) for state in DecisionState},
                "total": sum(states.values()),
            }


class FullProcedureShareReport(DecisionsPerUnitReport):
    """四议两公开执行情况: per town or village, of the decisions started in the period, those that
    required the full procedure (four_deliberations: by their item, or by an amount above the
    item's threshold, `by_amount`), those that followed it to the resolution (its resolution
    meeting held, adopted or not), those still under way, and the share that followed it."""

    slug = "full-procedure-share"
    name = _("四议两公开执行情况")
    columns = (
        Column("code", _("代码")),
        Column("name", _("名称")),
        Column("decisions", _("决策数")),
        Column("required", _("须经四议两公开")),
        Column("by_amount", _("其中因金额超过标准")),
        Column("followed", _("已完成至决议")),
        Column("under_way", _("尚在审议中")),
        Column("share", _("执行率（%）")),
    )

    def rows(self, division, period):
        figures = self.decisions_started_in(division, period).full_procedure_per_unit(division, period.start)
        counts = {row["unit"]: row for row in figures}
        empty = {"decisions": 0, "required": 0, "by_amount": 0, "followed": 0, "under_way": 0}
        for unit in self.units(division, period.start):
            row = counts.get(unit["code"], empty)
            yield {
                **unit,
                **{key: row[key] for key in empty},
                "share": percent(row["followed"], row["required"]),
            }


class OverduePublicationsReport(ReportView):
    """决策公开逾期情况: the publications (两公开) missing past their day on the counting day (the
    period's last day, or today while it runs): an adopted decision's resolution not published
    within PUBLICATION_DUE_DAYS of its adoption (its last meeting), an implemented decision's
    outcome not published within PUBLICATION_DUE_DAYS of the implementation's completion (Organic
    Law art. 30, R9; R1). A withdrawn decision owes none. One row per missing publication, by
    division and due day. Three queries: the grants, the division, the decisions."""

    slug = "overdue-publications"
    name = _("决策公开逾期情况")
    model = Decision
    takes_period = True
    columns = (
        Column("code", _("代码")),
        Column("name", _("决策单位")),
        Column("decision", _("决策编号")),
        Column("title", _("决策事项")),
        Column("item", _("清单事项")),
        Column("kind", _("公开类别代码")),
        Column("kind_display", _("应公开")),
        Column("event_on", _("通过或实施日期")),
        Column("due_on", _("应公开截止日期")),
        Column("on", _("统计日期")),
        Column("days_overdue", _("逾期天数")),
    )

    def rows(self, division, period):
        on = period.counting_day(today())
        for missing in self.restricted(Decision).under(division.code).missing_publications_on(on):
            decision = missing.decision
            yield {
                "code": decision.division_id,
                "name": decision.division.qualified_name,
                "decision": decision.pk,
                "title": decision.title,
                "item": str(decision.item),
                "kind": missing.kind.value,
                "kind_display": str(missing.kind.label),
                "event_on": missing.event_on.isoformat(),
                "due_on": missing.due_on.isoformat(),
                "on": on.isoformat(),
                "days_overdue": (on - missing.due_on).days,
            }


# --- Admission burden (issue 8, point 3) ---------------------------------------------------------
# The burden on villages (村级事项准入): per village and per requesting body, the requests made in
# the period (by their request date) admitted, refused and excepted. One GROUP BY, whatever the
# number of rows, after the caller's grants and the division asked for.


class AdmissionBurdenReport(ReportView):
    """村级事项准入统计: per village of the division and per requesting body, the requests of the
    period by outcome (admitted, refused, excepted) and in all; only pairs with a request."""

    slug = "admission-burden"
    name = _("村级事项准入统计")
    model = AdmissionRequest
    takes_period = True
    columns = (
        Column("code", _("代码")),
        Column("name", _("村（社区）")),
        Column("requester", _("提出单位")),
        *(Column(outcome.value, outcome.label) for outcome in AdmissionOutcome),
        Column("total", _("合计")),
    )

    def rows(self, division, period):
        counts = self.restricted(AdmissionRequest).burden_under(division.code, period.start, period.end)
        for row in counts:
            yield {
                "code": row["division_id"],
                "name": row["division__name"],
                "requester": row["requester"],
                **{outcome.value: row[outcome.value] for outcome in AdmissionOutcome},
                "total": row["total"],
            }
