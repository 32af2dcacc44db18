"""The engagement indicators in 狮山镇's village assessment scheme of the demo (issue 18 point 3:
"the new indicators score in an assessment run").

Supervision's demo scores 狮山镇's village scheme (supervision/demo/assessment.py) with weights
summing to 100 and a finished run. A scheme's indicators are not added to in place: the weights
must total 100 (supervision.services.scoring) and the stored results are those of the indicators
scored. So the town official makes the scheme's next version through supervision's services, the
way a town revises its scheme: the same indicators with their weights scaled to
100 - ENGAGEMENT_WEIGHT, the engagement app's five computed indicators (ENGAGEMENT_INDICATORS), the
entered scores carried over, and a run scored at once.

The five computed indicators are contributed by the engagement themes' modules
(engagement/indicators/*.py); `load_demo_engagement` calls this only when SCORE_IN_TOWN_SCHEME is
set (engagement/demo/plan.py), which the lead turns on once they are all registered.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model

from engagement.demo.plan import TOWN_OFFICIAL
from supervision.choices import UnitLevel
from supervision.models import Scheme, ScoreEntry
from supervision.services import scoring
from villages.demo.plan import TOWN_CODE

# The engagement app's computed indicators in the scheme: (code, name, computed indicator).
ENGAGEMENT_INDICATORS = (
    ("contact_links", "五挂钩落实", "contact_links_filled"),
    ("visit_coverage", "走访覆盖", "visit_coverage"),
    ("deliberation", "议事协商开展", "deliberation_held"),
    ("service_posts", "党员设岗定责", "service_posts_claimed"),
    ("drills", "应急演练", "drills_held"),
)
WEIGHT_EACH = 5
ENGAGEMENT_WEIGHT = WEIGHT_EACH * len(ENGAGEMENT_INDICATORS)
WEIGHT_TOTAL = 100


def scaled_weights(weights: dict[str, int], total: int) -> dict[str, int]:
    """`weights` scaled to sum to `total` (largest remainders, each at least 1), in their order."""
    whole = sum(weights.values())
    exact = {code: weight * total / whole for code, weight in weights.items()}
    scaled = {code: max(1, int(value)) for code, value in exact.items()}
    by_remainder = sorted(weights, key=lambda code: exact[code] - int(exact[code]), reverse=True)
    for code in by_remainder[: total - sum(scaled.values())]:
        scaled[code] += 1
    return scaled


def add_engagement_indicators(today: datetime.date) -> str:
    """The next version of 狮山镇's latest village scheme with the engagement indicators, its
    entered scores carried over and scored now, as the demo's town official; the summary line
    (empty when supervision's demo holds no such scheme, as in a load of the engagement step alone)."""
    scheme = (
        Scheme.objects.filter(division_id=TOWN_CODE, level=UnitLevel.VILLAGE, frozen_at__isnull=True)
        .order_by("-period", "-version")
        .first()
    )
    if scheme is None:
        return ""
    official = get_user_model().objects.get(username=TOWN_OFFICIAL)
    indicators = list(scheme.indicators.order_by("position", "id"))
    weights = scaled_weights({row.code: row.weight for row in indicators}, WEIGHT_TOTAL - ENGAGEMENT_WEIGHT)
    rows = [
        {"code": row.code, "name": row.name, "weight": weights[row.code], "source": row.source} for row in indicators
    ]
    rows += [
        {"code": code, "name": name, "weight": WEIGHT_EACH, "source": source}
        for code, name, source in ENGAGEMENT_INDICATORS
    ]
    revised = scoring.create_scheme(
        acting_user=official,
        division=scheme.division,
        level=scheme.level,
        period=scheme.period,
        name=scheme.name,
        indicators=rows,
        grades={"excellent": scheme.excellent_from, "good": scheme.good_from, "pass": scheme.pass_from},
        excellent_share=scheme.excellent_share,
        community_workers=scheme.community_workers,
    )
    entries = ScoreEntry.objects.filter(scheme=scheme).values_list("unit_id", "indicator__code", "score")
    if entries:
        scoring.save_entries(
            revised,
            [{"unit": unit, "indicator": code, "score": score} for unit, code, score in entries],
            acting_user=official,
        )
    run = scoring.score_now(scoring.request_run(revised, acting_user=official, today=today, dispatch=False))
    added = len(ENGAGEMENT_INDICATORS)
    return f"考核方案“{revised.name}”第{revised.version}版增加联系服务指标 {added} 项，{run.total} 个村（社区）已计算"
