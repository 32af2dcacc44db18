"""Reports of deliberation (议事协商), served by governance's reports base (/api/v1/reports/<slug>/):
JSON, CSV and XLSX from one definition, one row per town of a district or per village of a town
(governance.api.unit_reports.PerUnitReport). Registered in engagement/contributing/deliberation.py.

- `deliberation-coverage` (DESIGN.md §7): per unit, the villages and communities (active on the day,
  `?on=`, today by default), those with a deliberation body formed by then, the share (percent,
  2 decimals) and whether it reaches the target of 100% (Jiangsu 一).
- `deliberation-topics` (`?period=`): per unit, the topics proposed in the period and where they
  stand (pre-reviewed, approved, rejected, deliberated, by outcome, linked to a decision), and the
  meetings held in the period.

Rows count what lies in divisions the caller views (the one scoping mechanism, on the divisions);
the division asked for must be one they view (else 404). Who reads: whoever views the district's
catalogue somewhere and views divisions (every engagement role and the report reader). Each report
costs a fixed number of queries whatever the number of rows.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.permissions import BasePermission

from engagement.choices import Outcome
from engagement.models import CatalogueEntry, Meeting, Topic
from engagement.querysets.deliberation import (
    coverage_counts,
    coverage_met,
    coverage_share,
    meeting_counts,
    topic_counts,
)
from governance import clock
from governance.access.permissions import ScopedActionPermission, may_act_somewhere
from governance.api.reports import Column
from governance.api.unit_reports import PerUnitReport
from villages.models import Division


class ViewsDivisions(BasePermission):
    """A report is asked of a division: who views none reads none."""

    def has_permission(self, request, view) -> bool:
        return may_act_somewhere(request.user, Division, "view")


class DeliberationReport(PerUnitReport):
    # Reading needs viewing the district's catalogue somewhere (engagement.grants: every engagement
    # role and the report reader) and divisions (the report is asked of one).
    model = CatalogueEntry
    permission_classes = [ScopedActionPermission, ViewsDivisions]

    @classmethod
    def readable_by(cls, user) -> bool:
        return super().readable_by(user) and may_act_somewhere(user, Division, "view")

    def viewed(self, division):
        """The codes of the divisions of the subtree the caller views (a subquery)."""
        return self.restricted(Division).subtree(division.code).values("code")


class DeliberationCoverageReport(DeliberationReport):
    """议事协商组织覆盖 (DESIGN.md §7): per unit, `villages` (villages and communities active on the
    day), `with_body` (those with a deliberation body formed by then), `share` (percent, 2
    decimals; null with no village) and `target_met` (`share` = 100, Jiangsu 一)."""

    slug = "deliberation-coverage"
    name = _("议事协商组织覆盖")
    query_parameters = (
        OpenApiParameter("on", OpenApiTypes.DATE, description="the day counted (YYYY-MM-DD); default: today"),
    )
    parameter_labels = {"on": _("统计日")}
    columns = (
        Column("unit", _("代码")),
        Column("name", _("名称")),
        Column("villages", _("村（社区）数")),
        Column("with_body", _("已建议事协商组织")),
        Column("share", _("覆盖率（%）")),
        Column("target_met", _("达到100%")),
    )

    def rows(self, division, period):
        on = self.day_asked_for(self.request) or clock.today()
        counts = coverage_counts(self.restricted(Division), division, on)
        for unit in self.units(division, on):
            row = counts.get(unit["code"], {"villages": 0, "with_body": 0})
            share = coverage_share(row["with_body"], row["villages"])
            yield {
                "unit": unit["code"],
                "name": unit["name"],
                "villages": row["villages"],
                "with_body": row["with_body"],
                "share": share,
                "target_met": coverage_met(row["with_body"], row["villages"]),
            }


TOPIC_COUNTS = ("proposed", "reviewed", "approved", "rejected", "deliberated", *Outcome.values, "with_decision")


class DeliberationTopicsReport(DeliberationReport):
    """协商议题统计: per unit, the topics proposed in the period, those pre-reviewed (approved or
    rejected), approved, rejected, deliberated, by outcome, linked to a decision (四议两公开), and
    the meetings held in the period."""

    slug = "deliberation-topics"
    name = _("协商议题统计")
    takes_period = True
    columns = (
        Column("unit", _("代码")),
        Column("name", _("名称")),
        Column("proposed", _("提出议题")),
        Column("reviewed", _("已预审")),
        Column("approved", _("预审通过")),
        Column("rejected", _("预审未通过")),
        Column("deliberated", _("已协商")),
        *(Column(outcome.value, outcome.label) for outcome in Outcome),
        Column("with_decision", _("关联决策")),
        Column("meetings", _("召开会议")),
    )

    def rows(self, division, period):
        viewed = self.viewed(division)
        topics = Topic.objects.filter(body__division__code__startswith=division.code, body__division_id__in=viewed)
        meetings = Meeting.objects.filter(body__division__code__startswith=division.code, body__division_id__in=viewed)
        counts = topic_counts(topics, division, period.start, period.end)
        held = meeting_counts(meetings, division, period.start, period.end)
        empty = dict.fromkeys(TOPIC_COUNTS, 0)
        for unit in self.units(division, period.end):
            row = counts.get(unit["code"], empty)
            yield {
                "unit": unit["code"],
                "name": unit["name"],
                **{key: row[key] for key in TOPIC_COUNTS},
                "meetings": held.get(unit["code"], 0),
            }


__all__ = ["DeliberationCoverageReport", "DeliberationTopicsReport"]
