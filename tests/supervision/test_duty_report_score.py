"""The duty report's score is one rule (supervision.choices: points per vote over all votes,
rounded half up to 2 decimals; none scores NO_DUTY_REPORT_SCORE), written in Python
(duty_report_score, the evaluation's `score`) and in SQL (duty_report_score_sql, the computed
indicator duty_report): both give the same score for the same votes, halves included."""

from decimal import Decimal

import pytest
from django.db import connection

from supervision.choices import NO_DUTY_REPORT_SCORE, duty_report_score, duty_report_score_sql

pytestmark = pytest.mark.django_db

VOTES = [
    (1, 0, 0),
    (0, 1, 0),
    (0, 0, 1),
    (1, 0, 799),  # 0.125: half up to 0.13
    (1, 1, 1),  # 53.333…
    (2, 1, 0),  # 86.666…
    (0, 1, 7),  # 7.5
    (37, 12, 5),
    (0, 0, 0),  # no votes (the table refuses such a row; the rule still scores it)
]


def sql_score(votes: tuple[int, int, int]) -> Decimal:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {duty_report_score_sql('evaluation')} "
            "FROM (VALUES (%s, %s, %s)) AS evaluation (satisfied, basically_satisfied, dissatisfied)",
            votes,
        )
        return cursor.fetchone()[0]


@pytest.mark.parametrize("votes", VOTES)
def test_the_sql_score_is_the_python_score(votes):
    assert sql_score(votes) == duty_report_score(*votes)


def test_a_unit_without_an_evaluation_scores_as_one_without_votes():
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {duty_report_score_sql('evaluation')} FROM (SELECT 1) AS unit "
            "LEFT JOIN (VALUES (1, 1, 1)) AS evaluation (satisfied, basically_satisfied, dissatisfied) ON false"
        )
        assert cursor.fetchone()[0] == NO_DUTY_REPORT_SCORE == duty_report_score(0, 0, 0)


def test_the_score_is_rounded_half_up():
    assert duty_report_score(1, 0, 799) == Decimal("0.13")
    assert duty_report_score(0, 1, 7) == Decimal("7.50")
