"""The weighted score is one rule (DESIGN.md section 7, results: "total is the sum of weight ×
score / 100, rounded half up to 2 decimals"), written in Python (supervision.choices.weighted_total,
weighted_score) for the scorecards and roll-ups, and in SQL (weighted_total_sql) for the scoring
runs: both give the same total for the same scores, halves included."""

from decimal import Decimal

import pytest
from django.db import connection

from supervision.choices import weighted_score, weighted_total, weighted_total_sql

pytestmark = pytest.mark.django_db

CASES = [
    [(1, Decimal("0.50"))],  # 0.005: half up to 0.01 (half even would give 0.00)
    [(1, Decimal("1.50"))],  # 0.015 → 0.02
    [(3, Decimal("0.50")), (97, Decimal("0"))],  # 0.015 → 0.02
    [(40, Decimal("87.35")), (20, Decimal("66.67")), (20, Decimal("100")), (20, Decimal("0"))],
    [(33, Decimal("99.99")), (33, Decimal("0.01")), (34, Decimal("50.05"))],
    [(100, Decimal("100"))],
    [(7, Decimal("12.34")), (93, Decimal("56.78"))],
]


def sql_total(pairs: list[tuple[int, Decimal]]) -> Decimal:
    values = ", ".join(["(%s, %s::numeric)"] * len(pairs))
    params = [value for pair in pairs for value in pair]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {weighted_total_sql('weight', 'score')} FROM (VALUES {values}) AS cell (weight, score)", params
        )
        return cursor.fetchone()[0]


@pytest.mark.parametrize("pairs", CASES)
def test_the_sql_total_is_the_python_total(pairs):
    assert sql_total(pairs) == weighted_total(pairs)


def test_a_total_is_rounded_half_up_once_over_the_exact_sum():
    assert weighted_total([(1, Decimal("0.50"))]) == Decimal("0.01")
    # Three shares of 0.005 each: 0.015 rounded once is 0.02, not 3 × 0.01.
    assert weighted_total([(1, Decimal("0.50"))] * 3) == Decimal("0.02")


def test_one_indicators_share_is_its_weighted_score_rounded_half_up():
    assert weighted_score(1, Decimal("0.50")) == Decimal("0.01")
    assert weighted_score(40, Decimal("87.35")) == Decimal("34.94")
    assert weighted_score(30, Decimal("66.67")) == weighted_total([(30, Decimal("66.67"))]) == Decimal("20.00")
