"""The cooperatives of the supervision demo (supervision.demo runs it after the village scheme):

- 狮山镇's 2026 cooperative assessment scheme, chiefly on central work (Nanhai task 09: the
  `central_work` indicator weighs more than any other, supervision.choices.CENTRAL_WORK), with
  entered scores for every cooperative of the town and a finished run;
- the 2026 duty report evaluations (述职评议) of the demo village's cooperatives, recorded by the
  village clerk for the village party organisation (a cooperative reports to it, Nanhai task 09).

The party share of the cooperative committees (the party-share report) needs nothing of its own:
the villages demo seats the 2021 and 2026 committees and its party members join on days spread up
to 2025, so some cooperatives of 狮山镇 reach the target and some do not (tests/supervision/test_demo.py).
"""

from __future__ import annotations

import datetime
import hashlib

from supervision.choices import CENTRAL_WORK
from supervision.demo.assessment import SCHEME_PERIOD, demo_score
from supervision.services import scoring
from supervision.services.duty_reports import record_duty_reports
from villages.demo.plan import DEMO_VILLAGE_CODE, TOWN_CODE
from villages.models import Division, Level

# Central work first: 40 of 100, more than any other indicator (CENTRAL_WORK).
COOPERATIVE_INDICATORS = [
    {"code": CENTRAL_WORK, "name": "中心工作（土地整备、乡村振兴、安全生产）", "weight": 40, "source": "entered"},
    {"code": "collective_assets", "name": "集体“三资”管理", "weight": 25, "source": "entered"},
    {"code": "covenant", "name": "村规民约（社规民约）执行", "weight": 15, "source": "entered"},
    {"code": "sanctions", "name": "社干部廉洁（处分扣分）", "weight": 20, "source": "sanction_deductions"},
]
COOPERATIVE_ENTERED = (CENTRAL_WORK, "collective_assets", "covenant")


def demo_cooperative_votes(code: str) -> dict[str, int]:
    """A cooperative's fixed duty report votes at the village party organisation's meeting:
    12 to 27 votes, most of them satisfied."""
    digest = int(hashlib.sha256(f"{code}:cooperative_duty_report".encode()).hexdigest()[:8], 16)
    dissatisfied, basically = digest % 3, (digest >> 4) % 5
    return {
        "satisfied": 12 + (digest >> 8) % 16 - dissatisfied - basically + 4,
        "basically_satisfied": basically,
        "dissatisfied": dissatisfied,
    }


def load_cooperative_scheme(official, today: datetime.date):
    """The town's 2026 cooperative scheme, its entries and a finished run: (scheme, run)."""
    scheme = scoring.create_scheme(
        acting_user=official,
        division=Division.objects.get(code=TOWN_CODE),
        level=Level.COOPERATIVE,
        period=SCHEME_PERIOD,
        name="狮山镇2026年度经济社绩效考核",
        indicators=COOPERATIVE_INDICATORS,
        grades={"excellent": 90, "good": 80, "pass": 60},
        excellent_share=20,
    )
    units = list(scoring.units_of(scheme).values_list("code", flat=True))
    scoring.save_entries(
        scheme,
        [
            {"unit": code, "indicator": indicator, "score": demo_score(code, indicator)}
            for code in units
            for indicator in COOPERATIVE_ENTERED
        ],
        acting_user=official,
    )
    run = scoring.request_run(scheme, acting_user=official, today=today, dispatch=False)
    return scheme, scoring.score_now(run)


def load_cooperative_duty_reports(clerk) -> int:
    """The demo village's cooperatives' 2026 duty report votes, recorded by its clerk."""
    cooperatives = Division.objects.filter(code__startswith=DEMO_VILLAGE_CODE, level=Level.COOPERATIVE).order_by("code")
    saved = record_duty_reports(
        [{"unit": cooperative, **demo_cooperative_votes(cooperative.code)} for cooperative in cooperatives],
        acting_user=clerk,
        period=SCHEME_PERIOD,
    )
    return len(saved)
