"""The visit_coverage indicator (engagement/indicators/visits.py; Guangxi §16) against hand-built
data, scored by a scoring run of a village scheme: the share of a village's households visited at
home in the period, at its boundaries, with a village with no household scoring 100."""

import datetime
from decimal import Decimal

import pytest

from engagement.indicators.visits import NO_HOUSEHOLD_SCORE, VISIT_COVERAGE
from engagement.testing.factories import VisitFactory, VisitingCadreFactory
from governance.registry import registry
from governance.testing.api import client_as, results_of
from supervision.choices import RunState, UnitLevel
from supervision.models import Result
from supervision.services import scoring
from supervision.testing.factories import scheme
from villages.testing.factories import HouseholdFactory, division

D = datetime.date
TOWN = "440605125"
VILLAGE = "440605125001"
COOPERATIVE = "440605125001001"
OTHER_VILLAGE = "440605125002"
COUNTED_ON = D(2026, 3, 1)  # after the 2025 period: counted on 31 December 2025


@pytest.fixture
def compute(world, django_capture_on_commit_callbacks):
    def computed(period: str = "2025", today: datetime.date = COUNTED_ON, unit: str = VILLAGE):
        made = scheme(TOWN, indicators=(("x", 100, "visit_coverage"),), period=period, level=UnitLevel.VILLAGE)
        with django_capture_on_commit_callbacks(execute=True):
            run = scoring.request_run(made, acting_user=world.user("district_admin"), today=today)
        run.refresh_from_db()
        assert run.state == RunState.DONE, run.errors
        return Result.objects.get(run=run, unit_id=unit).total

    division(OTHER_VILLAGE)
    return computed


@pytest.fixture
def cadre(world):
    return VisitingCadreFactory(division=division(TOWN))


def visit(cadre, household, on):
    return VisitFactory(visitor=cadre, division=household.division, household=household, visited_on=on)


def test_visit_coverage_is_contributed_for_village_schemes_and_listed():
    assert registry.indicators["visit_coverage"] is VISIT_COVERAGE
    assert VISIT_COVERAGE.levels == (UnitLevel.VILLAGE,)


def test_the_indicator_list_describes_it(world):
    rows = {row["code"]: row for row in results_of(client_as("town_official").get("/api/v1/indicators/"))}

    assert "走访" in rows["visit_coverage"]["description"] and rows["visit_coverage"]["level"] == "village"


def test_a_village_with_no_household_scores_100(compute):
    division(VILLAGE)

    assert compute() == NO_HOUSEHOLD_SCORE == 100


def test_one_household_short_of_all_and_all_visited(compute, cadre):
    households = [HouseholdFactory(division=division(COOPERATIVE)) for _ in range(2)]
    households.append(HouseholdFactory(division=division(VILLAGE)))
    visit(cadre, households[0], D(2025, 1, 1))  # the period's first day
    visit(cadre, households[0], D(2025, 5, 1))  # twice: one household
    visit(cadre, households[1], D(2025, 12, 31))  # the last day

    assert compute() == Decimal("66.67")
    visit(cadre, households[2], D(2025, 7, 7))
    assert compute() == Decimal("100.00")


def test_visits_outside_the_period_and_without_a_household_do_not_count(compute, cadre):
    [household] = [HouseholdFactory(division=division(VILLAGE))]
    visit(cadre, household, D(2024, 12, 31))
    visit(cadre, household, D(2026, 1, 1))
    VisitFactory(visitor=cadre, division=division(VILLAGE), visited_on=D(2025, 6, 6))  # the village, no household
    HouseholdFactory(division=division(OTHER_VILLAGE))

    assert compute() == Decimal("0.00")


def test_while_the_period_runs_visits_after_the_counting_day_do_not_count(compute, cadre):
    households = [HouseholdFactory(division=division(VILLAGE)) for _ in range(2)]
    visit(cadre, households[0], D(2025, 3, 1))
    visit(cadre, households[1], D(2025, 3, 3))

    assert compute(today=D(2025, 3, 2)) == Decimal("50.00")
