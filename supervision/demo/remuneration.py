"""The remuneration part of the supervision demo (supervision.demo runs it after the scheme is
scored): 狮山镇's 2026 remuneration rule, set through the service
by the town official, and a collective operating income for every village of the town, so the
remuneration page and report of the demo's scheme have amounts to show. The amounts are our
illustration (no plan fixes them): bases per post, performance per grade and the bonus of 5% of
the income above 1,000,000 元, at most 20,000 元. Incomes are fixed per village code."""

from __future__ import annotations

import hashlib

from supervision.choices import Grade
from supervision.services import remuneration
from villages.choices import PositionKind

YUAN = 100  # fen
DEMO_BASES = {
    PositionKind.SECRETARY_AND_DIRECTOR: 60_000 * YUAN,
    PositionKind.PARTY_SECRETARY: 54_000 * YUAN,
    PositionKind.COMMITTEE_DIRECTOR: 48_000 * YUAN,
    PositionKind.COOPERATIVE_HEAD: 36_000 * YUAN,
}
DEMO_PERFORMANCE = {
    Grade.EXCELLENT: 18_000 * YUAN,
    Grade.GOOD: 12_000 * YUAN,
    Grade.PASS: 6_000 * YUAN,
    Grade.FAIL: 0,
}
DEMO_BONUS = {"bonus_threshold_fen": 1_000_000 * YUAN, "bonus_percent": 5, "bonus_cap_fen": 20_000 * YUAN}


def demo_income_fen(code: str) -> int:
    """A village's 2026 collective operating income: 0.5 to 2.5 million 元, fixed by its code."""
    step = int(hashlib.sha256(code.encode()).hexdigest()[:6], 16) % 2_001
    return (500_000 + step * 1_000) * YUAN


def load_demo_remuneration(official, scheme) -> str:
    """The town's rule for the scheme's period and its villages' incomes; the summary line."""
    scheme.refresh_from_db(fields=["scored_run"])
    rule = remuneration.save_rule(
        acting_user=official,
        division=scheme.division,
        period=scheme.period,
        bases=DEMO_BASES,
        performance=DEMO_PERFORMANCE,
        **DEMO_BONUS,
    )
    units = list(scheme.runs.get(pk=scheme.scored_run_id).results.values_list("unit_id", flat=True))
    remuneration.save_incomes(
        acting_user=official,
        period=scheme.period,
        incomes=[{"unit": code, "income_fen": demo_income_fen(code)} for code in sorted(units)],
    )
    return f"报酬规则（{rule.period}）及 {len(units)} 个村（社区）的集体经营性收入"
