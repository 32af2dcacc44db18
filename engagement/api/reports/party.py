"""Reports of party members' service (docs/parts/api-party.md), served by governance's reports
base (/api/v1/reports/<slug>/): JSON, CSV and XLSX from one definition. Registered in
engagement/contributing/party.py.

- `service-posts` (`?division=&on=`): per unit (the towns of a district, the villages of a town),
  the party members on the day, those holding at least PARTY_MEMBER_MIN_POSTS posts that day, their
  share and whether it meets 100% (Guangxi §10). Counts only: read by who reads the district's point
  rules (the report reader included), over the branches of the divisions they view.
- `pioneer-index` (`?division=&period=`): per branch (a village's party organisation) and per
  member, the points earned in the period and the pioneer index (先锋指数, engagement.querysets.party
  says how it is read). Names members: read by who views point entries.

Each costs a fixed number of queries whatever the number of rows (the caller's grants, the division,
the units, one GROUP BY); the division asked for must be one the caller views (else 404).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.permissions import BasePermission

from engagement.models import PointEntry, PointRule
from engagement.querysets.party import members_on, pioneer_table, post_counts, posts_share, posts_target_met
from governance import clock
from governance.access.permissions import ScopedActionPermission, may_act_somewhere
from governance.api.reports import Column, ReportView
from governance.api.unit_reports import PerUnitReport
from governance.reporting import per_unit
from villages.models import Division, PartyMembership


class ViewsDivisions(BasePermission):
    """A report is asked of a division: who views none reads none."""

    def has_permission(self, request, view) -> bool:
        return may_act_somewhere(request.user, Division, "view")


def members_in_viewed_branches(restricted_divisions, division):
    """The party members of the branches (villages) of `division`'s subtree that the caller views:
    the report counts them, it never shows one (the one scoping mechanism, on the divisions)."""
    viewed = restricted_divisions.subtree(division.code).values("code")
    return PartyMembership.objects.filter(branch__code__startswith=division.code, branch_id__in=viewed)


class ServicePostsReport(PerUnitReport):
    """党员设岗定责: per unit, `party_members` (joined by the day), `with_post` (holding at least one
    service post that day), `share` (percent, 2 decimals; null without members) and `target_met`
    (`share` = 100; null without members). `on`: the counting day, today by default."""

    slug = "service-posts"
    name = _("党员设岗定责")
    # Counts, no record: whoever reads the district's point rules (the report reader included)
    # and views divisions (the report is asked of one).
    model = PointRule
    permission_classes = [ScopedActionPermission, ViewsDivisions]
    query_parameters = (
        OpenApiParameter("on", OpenApiTypes.DATE, description="the counting day (YYYY-MM-DD); default: today"),
    )
    parameter_labels = {"on": _("统计日")}
    columns = (
        Column("unit", _("代码")),
        Column("name", _("名称")),
        Column("party_members", _("党员数")),
        Column("with_post", _("已认岗党员")),
        Column("share", _("认岗率（%）")),
        Column("target_met", _("全部认岗")),
    )

    @classmethod
    def readable_by(cls, user) -> bool:
        return super().readable_by(user) and may_act_somewhere(user, Division, "view")

    def rows(self, division, period):
        on = self.day_asked_for(self.request) or clock.today()
        members = members_on(members_in_viewed_branches(self.restricted(Division), division), on)
        counts = {row["unit"]: row for row in per_unit(members, "branch_id", division, on).annotate(**post_counts())}
        for unit in self.units(division, on):
            row = counts.get(unit["code"], {"party_members": 0, "with_post": 0})
            share = posts_share(row["with_post"], row["party_members"])
            yield {
                "unit": unit["code"],
                "name": unit["name"],
                "party_members": row["party_members"],
                "with_post": row["with_post"],
                "share": share,
                "target_met": posts_target_met(share),
            }


class PioneerIndexReport(ReportView):
    """先锋指数: for each branch (a village's party organisation) of the division that has party
    members, a `branch` row (its members, their points in the period, the average: the branch's
    index) followed by a `member` row for each of its members, most points first (their points, the
    branch's average, their index: points over the average × 100, one decimal; null when the
    average is 0). Members count when they joined by the period's last day."""

    slug = "pioneer-index"
    name = _("党员先锋指数")
    model = PointEntry
    takes_period = True
    columns = (
        Column("kind", _("类别")),
        Column("branch", _("党组织代码")),
        Column("branch_name", _("党组织")),
        Column("member", _("党员编号")),
        Column("member_name", _("党员")),
        Column("members", _("党员数")),
        Column("points", _("积分")),
        Column("average_points", _("人均积分")),
        Column("pioneer_index", _("先锋指数")),
    )

    def rows(self, division, period):
        members = (
            self.restricted(PartyMembership)
            .where_held(self.request.user, "engagement.view_pointentry", "branch__code")
            .filter(branch__code__startswith=division.code)
        )
        for branch in pioneer_table(members, period.start, period.end):
            yield {
                "kind": "branch",
                "branch": branch["code"],
                "branch_name": branch["name"],
                "member": None,
                "member_name": "",
                "members": branch["members"],
                "points": branch["points"],
                "average_points": branch["average"],
                "pioneer_index": branch["average"],
            }
            for row in branch["rows"]:
                yield {
                    "kind": "member",
                    "branch": branch["code"],
                    "branch_name": branch["name"],
                    "member": row["id"],
                    "member_name": row["name"],
                    "members": None,
                    "points": row["points"],
                    "average_points": branch["average"],
                    "pioneer_index": row["index"],
                }


__all__ = ["PioneerIndexReport", "ServicePostsReport"]
