"""The engagement dashboard's panel of service centres, operating funds, emergency plans and drills:
per unit (the towns of a district, the villages of a town), its villages and communities, those
whose centre meets the area rule (30 m² per 100 households) and the 70% rule (Jiangsu 六), those
whose operating fund of the period's year is below 380,000 yuan or not recorded (Jiangsu 十一),
those without an emergency plan and the plans due a drill on the period's last day, or today while
it runs (Jiangsu 九). A chart of the share of villages whose centre meets the area rule.

Fixed queries whatever the number of units: the units, the villages, one GROUP BY each of
centres, funds, plans, plans due and drills (engagement.querysets.centres)."""

from __future__ import annotations

from django.utils.translation import gettext as _

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
from governance.access.querysets import holds_in
from governance.reporting import percent, unit_in, units_and_successors
from villages.models import Division

VIEW_PERM = "engagement.view_servicecentre"
# Every village's centre is to meet the rule: the chart's target, in percent of the villages.
AREA_TARGET_PERCENT = 100


def panel(user, division, period) -> dict | None:
    """The panel's context for a town or district and a period, or None when the user views none of
    the theme: see engagement.pages.dashboard."""
    if not holds_in(user, VIEW_PERM, division.code):
        return None
    today = clock.today()
    day = min(period.end, today)
    divisions = Division.objects.restrict(user, "view")
    units, successors = units_and_successors(divisions, division, today)
    length = division.report_unit_code_length
    centres = centre_figures(ServiceCentre.objects.restrict(user, "view"), division.code, today)
    amounts = fund_amounts(OperatingFund.objects.restrict(user, "view"), division.code, day.year, today)
    drills = drill_figures(
        EmergencyPlan.objects.restrict(user, "view"),
        Drill.objects.restrict(user, "view"),
        division.code,
        period.start,
        day,
        today,
    )
    rows = {
        unit["code"]: {
            **unit,
            "villages": 0,
            "meets_area": 0,
            "meets_service_share": 0,
            "funds_below": 0,
            "without_plan": 0,
            "plans_due": 0,
        }
        for unit in units
    }
    for village in village_units(divisions, division.code, today):
        row = rows.get(unit_in(village["code"], length, successors))
        if row is None:
            continue
        centre = centres.get(village["code"], NO_CENTRE)
        fund = fund_figures(amounts.get(village["code"]))
        drilled = drills.get(village["code"], drill_row())
        row["villages"] += 1
        row["meets_area"] += centre["meets_area"]
        row["meets_service_share"] += centre["meets_service_share"]
        row["funds_below"] += not fund["meets_minimum"]
        row["without_plan"] += not drilled["plans"]
        row["plans_due"] += drilled["plans_due"]
    table = list(rows.values())
    for row in table:
        row["area_share"] = percent(row["meets_area"], row["villages"], 2)
    return {
        "key": "centres",
        "template": "engagement/panels/centres.html",
        "rows": table,
        "year": day.year,
        "charts": [
            {
                "id": "chart-centres-area",
                "title": _("服务中心面积达标的村（社区）占比（%）"),
                "names": [row["name"] for row in table],
                "values": [row["area_share"] for row in table],
                "target": AREA_TARGET_PERCENT,
            }
        ],
    }
