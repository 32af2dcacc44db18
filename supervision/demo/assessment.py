"""The disclosures and the assessment of the supervision demo (supervision.demo runs them). What
they hold:

- in the village clerk's village (villages.demo.plan.DEMO_VILLAGE_CODE), a disclosure catalogue
  (公开目录) of the three cadences of Organic Law art. 30: finances monthly, village affairs
  quarterly, major matters at once, with 2026's disclosures filed, one month's finances late and
  one major matter recorded and never posted;
- the town official's 2026 village assessment scheme of 狮山镇 (440605124): two entered
  indicators and the two computed ones, weights 40 + 20 + 20 + 20, entered scores for every
  village of the town (written through the service as the town official), and a finished run
  scored here (scoring.score_now), so its results, grades and ranks are there to read.

Dates are fixed (the demo reads the same any day), except that nothing is filed after today.
"""

from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal

from supervision.choices import Cadence
from supervision.services import disclosures, scoring
from supervision.services.duty_reports import record_duty_reports
from villages.demo.plan import DEMO_VILLAGE_CODE, TOWN_CODE
from villages.models import Division, Level

D = datetime.date
SCHEME_PERIOD = "2026"
# Residents' satisfaction carries as much weight as the central work (Jiangsu's weighting of the
# masses' judgement, DESIGN.md section 3); the duty report is scored from the recorded votes.
SCHEME_INDICATORS = [
    {"code": "central_work", "name": "中心工作（征地拆迁、乡村振兴）", "weight": 30, "source": "entered"},
    {"code": "satisfaction", "name": "群众满意度测评", "weight": 30, "source": "entered"},
    {"code": "party_building", "name": "基层党建", "weight": 10, "source": "entered"},
    {"code": "duty_report", "name": "述职评议", "weight": 10, "source": "duty_report"},
    {"code": "reserve_cadres", "name": "后备干部配备", "weight": 10, "source": "reserve_cadres"},
    {"code": "disclosures", "name": "村务按时公开", "weight": 10, "source": "disclosures_on_time"},
]
ENTERED_CODES = ("central_work", "satisfaction", "party_building")
CATALOGUE = (
    ("财务收支", Cadence.MONTHLY),
    ("村务事项（集体资产、惠农补贴）", Cadence.QUARTERLY),
    ("重大事项（涉及村民利益）", Cadence.AT_ONCE),
)
# The month whose finances are posted late (after the 10th of the next month), and the major
# matters: (decided on, posted on or None).
LATE_MONTH = 5
MAJOR_MATTERS = ((D(2026, 3, 16), D(2026, 3, 18)), (D(2026, 9, 8), None))


def demo_score(code: str, indicator: str) -> Decimal:
    """A fixed score between 60 and 99.5 for a village and an indicator (the same every load)."""
    digest = int(hashlib.sha256(f"{code}:{indicator}".encode()).hexdigest()[:8], 16)
    return Decimal(60) + Decimal(digest % 80) / 2


def demo_votes(code: str) -> dict[str, int]:
    """A village's fixed duty report votes: 30 to 49 representatives, most of them satisfied."""
    digest = int(hashlib.sha256(f"{code}:duty_report".encode()).hexdigest()[:8], 16)
    dissatisfied, basically = digest % 4, (digest >> 4) % 9
    return {
        "satisfied": 30 + (digest >> 8) % 20 - dissatisfied - basically,
        "basically_satisfied": basically,
        "dissatisfied": dissatisfied,
    }


def load_catalogue(clerk, today: datetime.date) -> int:
    village = Division.objects.get(code=DEMO_VILLAGE_CODE)
    filed = 0
    items = {
        cadence: disclosures.add_disclosure_item(
            acting_user=clerk, division=village, title=title, cadence=cadence, since=D(2026, 1, 1)
        )
        for title, cadence in CATALOGUE
    }
    for month in range(1, 12):
        posted = D(2026, month + 1, 15 if month == LATE_MONTH else 6)
        if posted <= today:
            disclosures.file_disclosure(
                items[Cadence.MONTHLY],
                acting_user=clerk,
                period_day=D(2026, month, 1),
                filed_on=posted,
                content=f"{month}月财务收支明细",
            )
            filed += 1
    for quarter in (1, 2, 3):
        posted = D(2026, quarter * 3 + 1, 8)
        if posted <= today:
            disclosures.file_disclosure(
                items[Cadence.QUARTERLY],
                acting_user=clerk,
                period_day=D(2026, quarter * 3, 1),
                filed_on=posted,
                content=f"第{quarter}季度村务公开",
            )
            filed += 1
    for decided, posted in MAJOR_MATTERS:
        if decided <= today:
            disclosures.file_disclosure(
                items[Cadence.AT_ONCE],
                acting_user=clerk,
                period_day=decided,
                filed_on=posted if posted and posted <= today else None,
                content="村民代表会议决议事项",
            )
            filed += 1
    return filed


def load_scheme(official, today: datetime.date):
    town = Division.objects.get(code=TOWN_CODE)
    scheme = scoring.create_scheme(
        acting_user=official,
        division=town,
        level=Level.VILLAGE,
        period=SCHEME_PERIOD,
        name="狮山镇2026年度村（社区）绩效考核",
        indicators=SCHEME_INDICATORS,
        grades={"excellent": 90, "good": 80, "pass": 60},
        excellent_share=20,
    )
    units = scoring.units_of(scheme).values_list("code", flat=True)
    record_duty_reports(
        [{"unit": unit, **demo_votes(unit.code)} for unit in scoring.units_of(scheme)],
        acting_user=official,
        period=SCHEME_PERIOD,
    )
    scoring.save_entries(
        scheme,
        [{"unit": code, "indicator": ind, "score": demo_score(code, ind)} for code in units for ind in ENTERED_CODES],
        acting_user=official,
    )
    run = scoring.request_run(scheme, acting_user=official, today=today, dispatch=False)
    return scheme, scoring.score_now(run)
