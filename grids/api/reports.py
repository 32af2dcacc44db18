"""Reports of the grids app, served by governance's reports base (/api/v1/reports/<slug>/): JSON,
CSV and XLSX from one definition, one row per town of a district or per village of a town
(governance.api.unit_reports.PerUnitReport). Registered in grids/contributions.py.

The events counted are those reported in the period (a local day from its first to its last day)
in villages of the division asked for that the caller views (the division itself must be one they
view: else 404). The reports show counts, never an event: the report reader, who may not open
events (grids.grants), reads them. Each report costs a fixed number of queries whatever the number
of rows: the caller's grants, the division, the units, one GROUP BY of the events.
"""

from __future__ import annotations

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Max, Q
from django.db.models.functions import Extract
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from governance.access.permissions import ScopedActionPermission, may_act_somewhere
from governance.api.reports import Column
from governance.api.unit_reports import PerUnitReport
from governance.reporting import per_unit, percent
from grids.choices import EventState, Route
from grids.models import EventCategory, GridEvent
from grids.querysets import SHARE_PLACES, overdue_condition, satisfaction_counts, satisfied_share, share_met
from villages.models import Division

# Shares in the grid reports are percents with two decimals (DESIGN.md §7, grid-satisfaction).
HOURS_PLACES = 1
SECONDS_PER_HOUR = 3600


class ViewsDivisions(BasePermission):
    """A report is asked of a division: who views none (a grid worker, grids.grants) reads none."""

    def has_permission(self, request, view) -> bool:
        return may_act_somewhere(request.user, Division, "view")


class GridReport(PerUnitReport):
    """The base of the grids reports: who may read them, and the events of the period."""

    takes_period = True
    # Reading a grids report needs viewing event categories somewhere (every grids role and the
    # report reader, grids.grants; not a cooperative's clerk: grids cover villages) and divisions
    # (the report is asked of one: not a grid worker, whose role views none).
    model = EventCategory
    permission_classes = [ScopedActionPermission, ViewsDivisions]

    @classmethod
    def readable_by(cls, user) -> bool:
        return super().readable_by(user) and may_act_somewhere(user, Division, "view")

    def events(self, division, period):
        """The events reported in the period in the division's subtree, in divisions the caller
        views (the one scoping mechanism, on the divisions: the counts are the report's, the
        events are not shown)."""
        viewed = self.restricted(Division).subtree(division.code).values("code")
        events = GridEvent.objects.filter(division__code__startswith=division.code, division_id__in=viewed)
        return events.reported_between(period.start, period.end)


class GridSatisfactionReport(GridReport):
    """网格服务满意度 (DESIGN.md §7): per unit, the events reported in the period, those evaluated,
    `satisfied_share` (percent of the evaluated whose last evaluation is satisfied or basically
    satisfied, 2 decimals; null when none was evaluated), `target_met` (the share ≥ 90, Jiangsu 一;
    null with no share) and `overdue` (not handled by their due time, judged at the request)."""

    slug = "grid-satisfaction"
    name = _("网格服务满意度")
    columns = (
        Column("unit", _("代码")),
        Column("name", _("名称")),
        Column("events", _("事件数")),
        Column("evaluated", _("已评价")),
        Column("satisfied_share", _("满意率（%）")),
        Column("target_met", _("达到90%")),
        Column("overdue", _("超期")),
    )

    def rows(self, division, period):
        counts = {
            row["unit"]: row
            for row in per_unit(self.events(division, period), "division_id", division, period.end).annotate(
                **satisfaction_counts(timezone.now())
            )
        }
        for unit in self.units(division, period.end):
            row = counts.get(unit["code"], {"events": 0, "evaluated": 0, "satisfied": 0, "overdue": 0})
            share = satisfied_share(row["satisfied"], row["evaluated"])
            yield {
                "unit": unit["code"],
                "name": unit["name"],
                "events": row["events"],
                "evaluated": row["evaluated"],
                "satisfied_share": share,
                "target_met": share_met(share),
                "overdue": row["overdue"],
            }


class GridEventsByCategoryReport(GridReport):
    """网格事件分类统计: per unit and category, the events reported in the period in each state
    (where they stand now), in all, whistled to departments (吹哨报到) and overdue (judged at the
    request). Only units and categories with events have rows."""

    slug = "grid-events-by-category"
    name = _("网格事件分类统计")
    columns = (
        Column("unit", _("代码")),
        Column("name", _("名称")),
        Column("category", _("类别代码")),
        Column("category_name", _("事件类别")),
        *(Column(state.value, state.label) for state in EventState),
        Column("total", _("合计")),
        Column("whistled", _("吹哨报到")),
        Column("overdue", _("超期")),
    )

    def rows(self, division, period):
        counts = (
            per_unit(self.events(division, period), "division_id", division, period.end)
            .annotate(category_code=F("category__code"), category_label=F("category__name"))
            .annotate(
                **{state.value: Count("id", filter=Q(state=state)) for state in EventState},
                total=Count("id"),
                whistled=Count("id", filter=Q(route=Route.WHISTLE)),
                overdue=Count("id", filter=overdue_condition(timezone.now())),
            )
        )
        by_unit: dict[str, list[dict]] = {}
        for row in counts:
            by_unit.setdefault(row["unit"], []).append(row)
        for unit in self.units(division, period.end):
            for row in sorted(by_unit.get(unit["code"], ()), key=lambda row: row["category_code"]):
                yield {
                    "unit": unit["code"],
                    "name": unit["name"],
                    "category": row["category_code"],
                    "category_name": row["category_label"],
                    **{state.value: row[state.value] for state in EventState},
                    "total": row["total"],
                    "whistled": row["whistled"],
                    "overdue": row["overdue"],
                }


def _hours(seconds) -> float | None:
    return None if seconds is None else round(float(seconds) / SECONDS_PER_HOUR, HOURS_PLACES)


class GridTimeToHandleReport(GridReport):
    """网格事件办理时长: per unit, the events reported in the period, those handled (办结, their
    current handling: one a dissatisfied evaluation sent back counts once handled again), those
    handled by their due time and their share (percent, 2 decimals; null when none was handled),
    and the hours from report to handling: the average and the longest (1 decimal)."""

    slug = "grid-time-to-handle"
    name = _("网格事件办理时长")
    columns = (
        Column("unit", _("代码")),
        Column("name", _("名称")),
        Column("events", _("事件数")),
        Column("handled", _("已办结")),
        Column("handled_on_time", _("按期办结")),
        Column("on_time_share", _("按期办结率（%）")),
        Column("average_hours", _("平均办理时长（小时）")),
        Column("longest_hours", _("最长办理时长（小时）")),
    )

    def rows(self, division, period):
        took = Extract(ExpressionWrapper(F("handled_at") - F("reported_at"), output_field=DurationField()), "epoch")
        handled = Q(handled_at__isnull=False)
        counts = {
            row["unit"]: row
            for row in per_unit(self.events(division, period), "division_id", division, period.end).annotate(
                events=Count("id"),
                handled=Count("id", filter=handled),
                handled_on_time=Count("id", filter=handled & Q(handled_at__lte=F("due_at"))),
                average_seconds=Avg(took, filter=handled),
                longest_seconds=Max(took, filter=handled),
            )
        }
        empty = {"events": 0, "handled": 0, "handled_on_time": 0, "average_seconds": None, "longest_seconds": None}
        for unit in self.units(division, period.end):
            row = counts.get(unit["code"], empty)
            yield {
                "unit": unit["code"],
                "name": unit["name"],
                "events": row["events"],
                "handled": row["handled"],
                "handled_on_time": row["handled_on_time"],
                "on_time_share": percent(row["handled_on_time"], row["handled"], SHARE_PLACES),
                "average_hours": _hours(row["average_seconds"]),
                "longest_hours": _hours(row["longest_seconds"]),
            }


__all__ = ["GridEventsByCategoryReport", "GridSatisfactionReport", "GridTimeToHandleReport"]
