"""Reports of service centres, operating funds and emergency drills, served by governance's reports
base (/api/v1/reports/<slug>/): JSON, CSV and XLSX from one definition, registered in
engagement/contributing/centres.py.

Each has one row per village or community (村/社区) of the division asked for (a town, a district,
or one village), those without a record included, in code order; rows lie in the caller's
jurisdiction and another town's division is 404. A village merged away (撤并) is no row: its
records keep its code and count in the village it went into (governance.reporting.UnitOf), its
centre's area, service space and households added to that village's, its fund to that village's.

Each report costs a fixed number of queries whatever the number of villages: the caller's grants,
the division, the villages, one GROUP BY per kind of record.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions

from engagement.models import Drill, EmergencyPlan, OperatingFund, ServiceCentre
from engagement.querysets.centres import (
    NO_CENTRE,
    centre_figures,
    drill_figures,
    drill_row,
    fund_amounts,
    fund_figures,
    village_units,
)
from governance import clock
from governance.api.reports import Column, ReportView
from villages.models import Division


class VillageReport(ReportView):
    """A report with one row per village or community of the division asked for."""

    def villages(self, division, on):
        return village_units(self.restricted(Division), division.code, on)


class ServiceCentresReport(VillageReport):
    """党群服务中心面积: per village, its centre's area, the area required (30 m² per 100 households
    served), whether it meets it, its service and activity space in percent of the area (2
    decimals) and whether that reaches 70% (Jiangsu 六). A village without a centre has `centre`
    false, its figures null and both targets missed."""

    slug = "service-centres"
    name = gettext_lazy("党群服务中心面积")
    model = ServiceCentre
    columns = (
        Column("unit", gettext_lazy("代码")),
        Column("name", gettext_lazy("名称")),
        Column("centre", gettext_lazy("有服务中心（站点）")),
        Column("households_served", gettext_lazy("服务户数")),
        Column("area_m2", gettext_lazy("总面积（平方米）")),
        Column("required_area_m2", gettext_lazy("应达面积（平方米）")),
        Column("meets_area", gettext_lazy("面积达标")),
        Column("service_area_m2", gettext_lazy("服务和活动面积（平方米）")),
        Column("service_share", gettext_lazy("服务和活动面积占比（%）")),
        Column("meets_service_share", gettext_lazy("占比达到70%")),
    )

    def rows(self, division, period):
        on = clock.today()
        figures = centre_figures(self.restricted(ServiceCentre), division.code, on)
        for village in self.villages(division, on):
            yield {"unit": village["code"], "name": village["name"], **figures.get(village["code"], NO_CENTRE)}


YEAR_PARAMETER = OpenApiParameter("year", OpenApiTypes.INT, description="the fund's year; default this year")


class OperatingFundsReport(VillageReport):
    """村级运转经费: per village, its operating fund of the year (`amount_fen`), what the county
    makes up to 380,000 yuan (`county_topup_fen`) and whether the fund itself reaches it
    (`meets_minimum`, Jiangsu 十一). A village with no fund recorded for the year has `recorded`
    false, null amounts and the minimum missed."""

    slug = "operating-funds"
    name = gettext_lazy("村级运转经费")
    model = OperatingFund
    query_parameters = (YEAR_PARAMETER,)
    parameter_labels = {"year": gettext_lazy("年度")}
    columns = (
        Column("unit", gettext_lazy("代码")),
        Column("name", gettext_lazy("名称")),
        Column("year", gettext_lazy("年度")),
        Column("recorded", gettext_lazy("已登记")),
        Column("amount_fen", gettext_lazy("村级经费（分）"), money=True, file_label=gettext_lazy("村级经费（元）")),
        Column(
            "county_topup_fen",
            gettext_lazy("县级补足（分）"),
            money=True,
            file_label=gettext_lazy("县级补足（元）"),
        ),
        Column("meets_minimum", gettext_lazy("达到38万元")),
    )

    def year_asked_for(self) -> int:
        raw = self.request.query_params.get("year")
        if not raw:
            return clock.today().year
        if not (raw.isascii() and raw.isdigit()) or not 2000 <= int(raw) <= 2100:
            raise exceptions.ValidationError({"year": [_("年度须为 2000 至 2100 之间的四位数年份。")]})
        return int(raw)

    def filename(self) -> str:
        return f"{self.slug}-{self.division.code}-{self.year}"

    def rows(self, division, period):
        self.year = self.year_asked_for()
        on = clock.today()
        amounts = fund_amounts(self.restricted(OperatingFund), division.code, self.year, on)
        for village in self.villages(division, on):
            yield {
                "unit": village["code"],
                "name": village["name"],
                "year": self.year,
                **fund_figures(amounts.get(village["code"])),
            }


class EmergencyDrillsReport(VillageReport):
    """应急预案和演练: per village or community, its emergency plans adopted by the counting day
    (the period's last day, or today while it runs), the people trained for them, the drills held
    in the period, the last drill by the counting day, the plans due a drill then (none within 365
    days) and `target_met`: at least one plan and none due (Jiangsu 九: every community has a
    plan, trained people and drills)."""

    slug = "emergency-drills"
    name = gettext_lazy("应急预案和演练")
    model = EmergencyPlan
    takes_period = True
    columns = (
        Column("unit", gettext_lazy("代码")),
        Column("name", gettext_lazy("名称")),
        Column("plans", gettext_lazy("应急预案")),
        Column("people_trained", gettext_lazy("受训人数")),
        Column("drills", gettext_lazy("期间演练次数")),
        Column("last_drill_on", gettext_lazy("最近演练日期")),
        Column("plans_due", gettext_lazy("一年内未演练的预案")),
        Column("target_met", gettext_lazy("有预案且均按期演练")),
    )

    def rows(self, division, period):
        today = clock.today()
        day = min(period.end, today)
        figures = drill_figures(
            self.restricted(EmergencyPlan), self.restricted(Drill), division.code, period.start, day, today
        )
        for village in self.villages(division, today):
            yield {"unit": village["code"], "name": village["name"], **figures.get(village["code"], drill_row())}


REPORTS = (ServiceCentresReport, OperatingFundsReport, EmergencyDrillsReport)

__all__ = ["REPORTS", "EmergencyDrillsReport", "OperatingFundsReport", "ServiceCentresReport"]
