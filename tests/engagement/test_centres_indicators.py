"""The computed indicator drills_held (engagement/indicators/centres.py) against hand-built data:
the share of a village's emergency plans drilled in the period, at its boundaries (the period's
first day and the counting day), a village with no plan scoring 0, plans adopted after the counting
day left out; scored by a scoring run of a village scheme and listed by GET /api/v1/indicators/."""

import datetime
from decimal import Decimal

import pytest

from engagement.indicators.centres import DRILLS_HELD, NO_PLAN_SCORE
from engagement.testing.factories import DrillFactory, EmergencyPlanFactory
from governance.registry import registry
from governance.testing.api import client_as, results_of
from supervision.choices import RunState, UnitLevel
from supervision.models import Result
from supervision.services import scoring
from villages.testing.factories import division

D = datetime.date
TOWN = "440605125"
VILLAGE = "440605125001"
OTHER_VILLAGE = "440605125002"
COUNTED_ON = D(2026, 3, 1)  # after the 2025 period: counted on 31 December 2025


@pytest.fixture
def compute(world, django_capture_on_commit_callbacks):
    """The score of drills_held for a unit in a village scheme of TOWN, counted on `today`."""
    from supervision.testing.factories import scheme

    def computed(period: str = "2025", today: datetime.date = COUNTED_ON, unit: str = VILLAGE):
        made = scheme(TOWN, indicators=(("x", 100, "drills_held"),), period=period, level=UnitLevel.VILLAGE)
        with django_capture_on_commit_callbacks(execute=True):
            run = scoring.request_run(made, acting_user=world.user("district_admin"), today=today)
        run.refresh_from_db()
        assert run.state == RunState.DONE, run.errors
        return Result.objects.get(run=run, unit_id=unit).total

    division(VILLAGE)
    division(OTHER_VILLAGE)
    return computed


ADOPTED = D(2024, 1, 1)


def plan(code=VILLAGE, adopted_on=ADOPTED, *drills):
    made = EmergencyPlanFactory(division=division(code), adopted_on=adopted_on)
    for day in drills:
        DrillFactory(plan=made, held_on=day)
    return made


def test_the_indicator_is_contributed_for_village_schemes_and_listed_with_its_definition(world):
    assert registry.indicators["drills_held"] is DRILLS_HELD
    rows = {row["code"]: row for row in results_of(client_as("town_official").get("/api/v1/indicators/"))}
    assert rows["drills_held"]["level"] == "village"
    assert "没有应急预案的村（社区）得0分" in rows["drills_held"]["description"]


def test_a_village_with_no_plan_scores_0(compute):
    plan(OTHER_VILLAGE, D(2024, 1, 1), D(2025, 5, 1))
    assert compute() == NO_PLAN_SCORE == Decimal("0")


def test_every_plan_drilled_in_the_period_scores_100(compute):
    plan(VILLAGE, D(2024, 1, 1), D(2025, 1, 1))  # the period's first day
    plan(VILLAGE, D(2024, 1, 1), D(2025, 12, 31))  # its last day
    assert compute() == Decimal("100")


def test_a_plan_drilled_only_before_or_after_the_period_counts_as_not_drilled(compute):
    plan(VILLAGE, D(2024, 1, 1), D(2024, 12, 31), D(2026, 1, 1))
    plan(VILLAGE, D(2024, 1, 1), D(2025, 6, 1))
    plan(VILLAGE, D(2024, 1, 1))
    assert compute() == Decimal("33.33")


def test_a_plan_adopted_after_the_counting_day_is_not_counted(compute):
    plan(VILLAGE, D(2024, 1, 1), D(2025, 6, 1))
    plan(VILLAGE, D(2026, 1, 10))
    assert compute() == Decimal("100")


def test_while_the_period_runs_drills_count_to_the_day_the_run_was_asked(compute):
    plan(VILLAGE, D(2024, 1, 1), D(2026, 2, 1))
    plan(VILLAGE, D(2024, 1, 1), D(2026, 3, 2))  # the day after the run
    assert compute(period="2026", today=D(2026, 3, 1)) == Decimal("50")


def test_the_score_is_each_villages_own(compute):
    plan(VILLAGE, D(2024, 1, 1), D(2025, 6, 1))
    plan(OTHER_VILLAGE, D(2024, 1, 1))
    assert compute() == Decimal("100")
    assert compute(unit=OTHER_VILLAGE) == Decimal("0")
