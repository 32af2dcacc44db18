"""Periods as reports and schemes write them (governance.periods): a year, a half, a quarter, a month."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from governance.periods import Period

D = datetime.date


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2026", D(2026, 1, 1), D(2026, 12, 31)),
        ("2026-H1", D(2026, 1, 1), D(2026, 6, 30)),
        ("2026-H2", D(2026, 7, 1), D(2026, 12, 31)),
        ("2026-Q1", D(2026, 1, 1), D(2026, 3, 31)),
        ("2026-Q3", D(2026, 7, 1), D(2026, 9, 30)),
        ("2026-Q4", D(2026, 10, 1), D(2026, 12, 31)),
        ("2028-02", D(2028, 2, 1), D(2028, 2, 29)),
        ("2026-02", D(2026, 2, 1), D(2026, 2, 28)),
        ("2026-q2", D(2026, 4, 1), D(2026, 6, 30)),
    ],
)
def test_a_period_names_its_first_and_last_day(text, start, end):
    period = Period.parse(text)

    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize(
    "text", ["", "26", "2026-H3", "2026-Q5", "2026-13", "2026-00", "2026-1", "2026/Q1", "1999", "2101"]
)
def test_anything_else_is_refused_with_a_message(text):
    with pytest.raises(ValidationError) as refused:
        Period.parse(text)

    assert refused.value.messages


def test_counts_are_taken_on_the_last_day_or_today_while_the_period_runs():
    quarter = Period.parse("2026-Q3")

    assert quarter.counting_day(D(2026, 8, 15)) == D(2026, 8, 15)
    assert quarter.counting_day(D(2027, 1, 5)) == D(2026, 9, 30)
    assert quarter.contains(D(2026, 9, 30)) and not quarter.contains(D(2026, 10, 1))
