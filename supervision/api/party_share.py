"""GET /api/v1/reports/party-share/: party members in cooperative committees (经济社社委中党员比例)
against the Nanhai party-building plan's target: the share rises by PARTY_SHARE_RISE_POINTS
percentage points by the end of 2023 over the 2021 general election (supervision.choices).

A row is a unit of the division asked for, as every per-unit report's (towns of a district,
villages of a town), and below a town the cooperatives themselves (a village's cooperatives, or
the one cooperative asked for); `?per=cooperative` asks for one row per cooperative of any
division. Each row counts the people holding a cooperative committee post (社长, 社委委员) on the
baseline day and on the day asked (`on`, default today; or a period's last day), those of them
party members that day, both shares (percent, 2 decimals), the target share (the baseline plus
the rise, at most 100) and whether it is met (null when either day has no committee member).
Four queries whatever the number of units: the grants, the division, the counts (one GROUP BY),
the units.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions

from governance import clock
from governance.api.reports import Column
from governance.api.unit_reports import PerUnitReport
from governance.reporting import percent
from supervision.choices import (
    PARTY_SHARE_BASELINE_DAY,
    PARTY_SHARE_PLACES,
    PARTY_SHARE_TARGET_DAY,
    party_share_target,
    party_share_target_met,
)
from supervision.querysets import cooperative_committee_counts
from villages.choices import CODE_LENGTH_BY_LEVEL, LEVEL_ORDER, Level
from villages.models import QUALIFIED_NAME_SEPARATOR, Division

PER_COOPERATIVE = "cooperative"


class PartyShareReport(PerUnitReport):
    """经济社社委党员比例: per unit, the party share of its cooperative committees at the 2021
    general election and on the day asked, against the target."""

    slug = "party-share"
    name = gettext_lazy("经济社社委党员比例")
    model = Division
    takes_period = True
    period_parameter = OpenApiParameter(
        "period", OpenApiTypes.STR, description="2026, 2026-H1, 2026-Q3 or 2026-05; its last day, without `on`"
    )
    query_parameters = (
        OpenApiParameter("on", OpenApiTypes.DATE, description="the day counted (YYYY-MM-DD); default today"),
        OpenApiParameter(
            "per",
            OpenApiTypes.STR,
            enum=[PER_COOPERATIVE],
            description="cooperative: one row per cooperative of the division (default: its towns or villages)",
        ),
    )
    columns = (
        Column("code", gettext_lazy("代码")),
        Column("name", gettext_lazy("名称")),
        Column("baseline_on", gettext_lazy("基准日（2021年换届）")),
        Column("baseline_members", gettext_lazy("基准日社委人数")),
        Column("baseline_party_members", gettext_lazy("基准日党员人数")),
        Column("baseline_share", gettext_lazy("基准日党员比例（%）")),
        Column("on", gettext_lazy("统计日期")),
        Column("members", gettext_lazy("社委人数")),
        Column("party_members", gettext_lazy("党员人数")),
        Column("share", gettext_lazy("党员比例（%）")),
        Column("target", gettext_lazy("目标比例（%）")),
        Column("target_by", gettext_lazy("目标期限")),
        Column("target_met", gettext_lazy("是否达到目标")),
    )

    def period_asked_for(self, request):
        """`on=` names the day; else a period's last day; else today."""
        self.on = self.day_asked_for(request)
        if not request.query_params.get("period"):
            self.on = self.on or clock.today()
            return None
        period = super().period_asked_for(request)
        self.on = self.on or period.end
        return period

    def per_cooperative(self, division) -> bool:
        per = self.request.query_params.get("per")
        if per and per != PER_COOPERATIVE:
            raise exceptions.ValidationError({"per": [_("per 只能为 cooperative。")]})
        return bool(per) or LEVEL_ORDER.index(division.level) >= LEVEL_ORDER.index(Level.VILLAGE)

    def unit_length(self, division) -> int:
        if self.per_cooperative(division):
            return CODE_LENGTH_BY_LEVEL[Level.COOPERATIVE]
        return super().unit_length(division)

    def units(self, division, on: datetime.date) -> list[dict]:
        if not self.per_cooperative(division):
            return super().units(division, on)
        cooperatives = (
            self.restricted(Division)
            .subtree(division.code)
            .filter(level=Level.COOPERATIVE)
            .exclude(retired_on__lte=on)
            .order_by("code")
            .values_list("code", "name", "parent__name")
        )
        return [
            {"code": code, "name": f"{village}{QUALIFIED_NAME_SEPARATOR}{name}" if village else name}
            for code, name, village in cooperatives
        ]

    def filename(self) -> str:
        return f"{self.slug}-{self.division.code}-{self.on.isoformat()}"

    def rows(self, division, period):
        on = self.on
        counts = cooperative_committee_counts(
            division.code, {"baseline": PARTY_SHARE_BASELINE_DAY, "now": on}, self.unit_length(division)
        )
        for unit in self.units(division, on):
            row = counts.get(unit["code"], {})
            baseline_members, baseline_party = row.get("baseline_members", 0), row.get("baseline_party_members", 0)
            members, party = row.get("now_members", 0), row.get("now_party_members", 0)
            target = party_share_target(baseline_party, baseline_members)
            yield {
                **unit,
                "baseline_on": PARTY_SHARE_BASELINE_DAY.isoformat(),
                "baseline_members": baseline_members,
                "baseline_party_members": baseline_party,
                "baseline_share": percent(baseline_party, baseline_members, PARTY_SHARE_PLACES),
                "on": on.isoformat(),
                "members": members,
                "party_members": party,
                "share": percent(party, members, PARTY_SHARE_PLACES),
                "target": percent(*target, PARTY_SHARE_PLACES) if target else None,
                "target_by": PARTY_SHARE_TARGET_DAY.isoformat(),
                "target_met": party_share_target_met(party, members, baseline_party, baseline_members),
            }
