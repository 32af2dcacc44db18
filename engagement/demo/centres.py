"""The centres part of the engagement demo: every village and community of 狮山镇 with its service
centre, its operating funds of last year and this year, emergency plans and drills, some villages
short of each target (so that every report, the town's table and the dashboard have something to
show). Deterministic (by the village's place in code order), set-based (a few bulk_create calls,
under the load's audit context), and relative to the load's day, so that "a year without a drill"
stays true whenever the demo is loaded.

Called by engagement.demo.load_demo_engagement (one line there: `from engagement.demo.centres
import load_demo_centres`, its summary appended)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Q

from engagement.choices import CENTRE_M2_PER_100_HOUSEHOLDS, MIN_OPERATING_FUND_FEN, CentreLevel
from engagement.models import Drill, EmergencyPlan, OperatingFund, ServiceCentre
from governance import clock
from governance.audit import acting_as
from villages.choices import Level
from villages.models import Division

TOWN_CODE = "440605124"  # 狮山镇 (villages.demo.plan.TOWN_CODE)
PLAN_TITLES = ("防汛防台风应急预案", "消防安全应急预案", "地质灾害应急预案")


def load_demo_centres(town_code: str = TOWN_CODE) -> str:
    """Write the theme's demo records for the town's villages; the one-line summary."""
    today = clock.today()
    villages = list(
        Division.objects.filter(code__startswith=town_code, level=Level.VILLAGE)
        .filter(Q(retired_on__isnull=True) | Q(retired_on__gt=today))
        .exclude(service_centre__isnull=False)
        .order_by("code")
        .values_list("code", flat=True)
    )
    with acting_as(None, source="load_demo"):
        centres, funds, plans = [], [], []
        for index, code in enumerate(villages):
            households = 600 + (index * 137) % 1400
            required = Decimal(households * CENTRE_M2_PER_100_HOUSEHOLDS) / 100
            # Every fifth village's centre is too small; every fourth has too little service space.
            area = (required * Decimal("0.8") if index % 5 == 2 else required + 20 + index % 7 * 10).quantize(
                Decimal("0.1")
            )
            service_share = Decimal("0.65") if index % 4 == 3 else Decimal("0.75")
            centres.append(
                ServiceCentre(
                    division_id=code,
                    level=CentreLevel.VILLAGE,
                    area_m2=area,
                    service_area_m2=(area * service_share).quantize(Decimal("0.1")),
                    households_served=households,
                )
            )
            # Every third village's own fund falls short of 380,000 yuan: the county makes it up.
            for year in (today.year - 1, today.year):
                short = index % 3 == 1
                amount = MIN_OPERATING_FUND_FEN - (60_000 + index * 1_000) * 100 if short else MIN_OPERATING_FUND_FEN
                funds.append(OperatingFund(division_id=code, year=year, amount_fen=amount + (year % 2) * 10_000 * 100))
            # Every sixth village has no emergency plan yet.
            if index % 6 == 5:
                continue
            for number, title in enumerate(PLAN_TITLES[: 1 + index % 2]):
                plans.append(
                    EmergencyPlan(
                        division_id=code,
                        title=title,
                        adopted_on=today - datetime.timedelta(days=900 + number * 30),
                        people_trained=15 + (index + number) % 20,
                    )
                )
        ServiceCentre.objects.bulk_create(centres)
        OperatingFund.objects.bulk_create(funds)
        made = EmergencyPlan.objects.bulk_create(plans)
        drills = []
        for index, plan in enumerate(made):
            # Every fourth plan's last drill is more than a year old: it is due a drill.
            last = today - datetime.timedelta(days=420 if index % 4 == 0 else 40 + index % 200)
            drills.append(Drill(plan=plan, held_on=last, participants=30 + index % 40, note="组织群众疏散演练"))
            drills.append(
                Drill(plan=plan, held_on=last - datetime.timedelta(days=300), participants=25, note="桌面推演")
            )
        Drill.objects.bulk_create(drills)
    due = sum(1 for index in range(len(made)) if index % 4 == 0)
    return (
        f"服务中心与应急 / centres: {len(centres)} 个党群服务中心 centres, {len(funds)} 条运转经费 funds, "
        f"{len(made)} 个应急预案 plans ({due} 个一年内未演练 due a drill), {len(drills)} 次演练 drills"
    )
