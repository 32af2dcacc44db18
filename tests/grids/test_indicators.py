"""The computed indicators the grids app contributes to the assessment (grids/indicators.py,
through governance's registry): grid_satisfaction and events_on_time against hand-built data,
each at its boundaries, scored by a scoring run of a village scheme, and listed by
GET /api/v1/indicators/. Moments are local (Asia/Shanghai), as the period's days are."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from governance.registry import registry
from governance.testing.api import client_as, results_of
from grids.choices import EventState, Route, Satisfaction
from grids.indicators import EVENTS_ON_TIME, GRID_SATISFACTION, NOTHING_DUE_SCORE, NOTHING_EVALUATED_SCORE
from grids.testing.factories import GridEventFactory, GridFactory
from supervision.choices import RunState, UnitLevel
from supervision.models import Result
from supervision.services import scoring
from supervision.services.indicators import computed_indicators
from supervision.testing.factories import scheme
from villages.testing.factories import division

D = datetime.date
LOCAL = ZoneInfo("Asia/Shanghai")
TOWN = "440605125"
VILLAGE = "440605125001"
OTHER_VILLAGE = "440605125002"
COUNTED_ON = D(2026, 3, 1)  # after the 2025 period: counted on 31 December 2025


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=LOCAL)


@pytest.fixture
def compute(world, django_capture_on_commit_callbacks):
    """The score of one computed indicator for a unit in a village scheme of TOWN, counted on `today`."""

    def computed(source: str, period: str = "2025", today: datetime.date = COUNTED_ON, unit: str = VILLAGE):
        made = scheme(TOWN, indicators=(("x", 100, source),), period=period, level=UnitLevel.VILLAGE)
        with django_capture_on_commit_callbacks(execute=True):
            run = scoring.request_run(made, acting_user=world.user("district_admin"), today=today)
        run.refresh_from_db()
        assert run.state == RunState.DONE, run.errors
        return Result.objects.get(run=run, unit_id=unit).total

    division(OTHER_VILLAGE)
    return computed


@pytest.fixture
def grid(world):
    return GridFactory(division=division(VILLAGE))


def event(grid, reported_at, **fields):
    return GridEventFactory(grid=grid, reported_at=reported_at, **fields)


def evaluated(grid, satisfaction, reported_at=None, evaluated_at=None):
    reported_at = reported_at or at(2025, 6, 1, 9)
    handled_at = reported_at + datetime.timedelta(hours=5)
    return event(
        grid,
        reported_at,
        state=EventState.ASSESSED if satisfaction == Satisfaction.DISSATISFIED else EventState.EVALUATED,
        route=Route.VILLAGE,
        handled_at=None if satisfaction == Satisfaction.DISSATISFIED else handled_at,
        satisfaction=satisfaction,
        evaluated_at=evaluated_at or handled_at + datetime.timedelta(hours=1),
    )


# --- the registry -----------------------------------------------------------------------------------


def test_grids_contributes_its_indicators_through_the_registry_for_village_schemes():
    assert registry.indicators["grid_satisfaction"] is GRID_SATISFACTION
    assert registry.indicators["events_on_time"] is EVENTS_ON_TIME
    assert {"reserve_cadres", "grid_satisfaction", "events_on_time"} <= set(computed_indicators())
    assert GRID_SATISFACTION.levels == EVENTS_ON_TIME.levels == (UnitLevel.VILLAGE,)


def test_the_indicator_list_shows_them_with_their_definitions(world):
    rows = {row["code"]: row for row in results_of(client_as("town_official").get("/api/v1/indicators/"))}

    assert rows["grid_satisfaction"]["level"] == "village"
    assert "满意" in rows["grid_satisfaction"]["description"]
    assert "期限内办结" in rows["events_on_time"]["description"]
    assert "reserve_cadres" in rows


def test_a_cooperative_scheme_may_not_use_them(world):
    made = {"code": "grid", "name": "网格", "weight": 100, "source": "grid_satisfaction"}
    response = client_as("town_official").post(
        "/api/v1/schemes/",
        {
            "division": "440605124",
            "level": "cooperative",
            "period": "2025",
            "name": "经济社考核",
            "indicators": [made],
            "grades": {"excellent": 90, "good": 75, "pass": 60},
            "excellent_share": 20,
        },
        format="json",
    )

    assert response.status_code == 400
    assert "该计算指标不适用于此考核对象。" in response.content.decode()


# --- grid_satisfaction -------------------------------------------------------------------------------


def test_a_village_with_no_evaluated_event_in_the_period_scores_100(compute, grid):
    event(grid, at(2025, 6, 1, 9))  # reported, never evaluated

    assert compute("grid_satisfaction") == NOTHING_EVALUATED_SCORE == 100


def test_grid_satisfaction_is_the_satisfied_or_basically_satisfied_share_of_the_evaluated(compute, grid):
    for _ in range(5):
        evaluated(grid, Satisfaction.SATISFIED)
    for _ in range(4):
        evaluated(grid, Satisfaction.BASICALLY_SATISFIED)
    evaluated(grid, Satisfaction.DISSATISFIED)  # sent back: still evaluated, dissatisfied
    event(grid, at(2025, 7, 1, 9))  # not evaluated: not counted

    assert compute("grid_satisfaction") == Decimal("90.00")


def test_grid_satisfaction_rounds_to_two_decimals(compute, grid):
    evaluated(grid, Satisfaction.SATISFIED)
    evaluated(grid, Satisfaction.SATISFIED)
    evaluated(grid, Satisfaction.DISSATISFIED)

    assert compute("grid_satisfaction") == Decimal("66.67")


def test_only_events_reported_in_the_period_and_evaluated_by_the_counting_day_count(compute, grid):
    evaluated(grid, Satisfaction.SATISFIED, reported_at=at(2025, 1, 1, 0, 0))  # the first moment: in
    evaluated(grid, Satisfaction.DISSATISFIED, reported_at=at(2024, 12, 31, 23, 59))  # before: out
    evaluated(grid, Satisfaction.DISSATISFIED, reported_at=at(2025, 12, 31, 20), evaluated_at=at(2026, 1, 1, 0, 0))
    evaluated(grid, Satisfaction.DISSATISFIED, reported_at=at(2026, 1, 2, 9))  # after: out

    assert compute("grid_satisfaction") == 100


def test_grid_satisfaction_is_scored_per_village(compute, grid):
    evaluated(grid, Satisfaction.DISSATISFIED)
    other = GridFactory(division=division(OTHER_VILLAGE))
    evaluated(other, Satisfaction.SATISFIED)

    assert compute("grid_satisfaction") == 0
    assert compute("grid_satisfaction", unit=OTHER_VILLAGE) == 100


def test_grid_satisfaction_equals_the_reports_satisfied_share_for_the_period(compute, grid, world):
    for satisfaction in (Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED, Satisfaction.DISSATISFIED):
        evaluated(grid, satisfaction)

    rows = (
        client_as("district_admin")
        .get("/api/v1/reports/grid-satisfaction/", {"division": TOWN, "period": "2025"})
        .json()["results"]
    )

    share = next(row["satisfied_share"] for row in rows if row["unit"] == VILLAGE)
    assert compute("grid_satisfaction") == Decimal(str(share)) == Decimal("66.67")


# --- events_on_time -------------------------------------------------------------------------------


def due(grid, due_at, handled_at=None, hours=72):
    return event(
        grid,
        due_at - datetime.timedelta(hours=hours),
        due_at=due_at,
        state=EventState.HANDLED if handled_at else EventState.REPORTED,
        handled_at=handled_at,
    )


def test_a_village_with_no_event_due_in_the_period_scores_100(compute, grid):
    due(grid, at(2026, 1, 1, 0, 0))  # due just after the period

    assert compute("events_on_time") == NOTHING_DUE_SCORE == 100


def test_events_on_time_is_the_share_of_those_due_in_the_period_handled_by_their_due_time(compute, grid):
    deadline = at(2025, 5, 10, 12)
    due(grid, deadline, handled_at=deadline)  # at the due time itself: on time
    due(grid, deadline, handled_at=deadline + datetime.timedelta(seconds=1))  # a second late
    due(grid, deadline)  # never handled

    assert compute("events_on_time") == Decimal("33.33")


def test_events_due_before_the_period_or_after_the_counting_day_do_not_count(compute, grid):
    due(grid, at(2025, 1, 1, 0, 0), handled_at=at(2024, 12, 31, 9))  # the first moment: in, on time
    due(grid, at(2024, 12, 31, 23, 59))  # before: out
    due(grid, at(2025, 12, 31, 23, 59))  # the last minute of the counting day: in, not handled

    assert compute("events_on_time") == 50


def test_while_the_period_runs_events_due_by_the_end_of_the_counting_day_count(compute, grid):
    due(grid, at(2026, 4, 30, 18))  # due on the counting day, not handled
    due(grid, at(2026, 5, 1, 9))  # due the day after: not yet counted

    assert compute("events_on_time", period="2026", today=D(2026, 4, 30)) == 0
    assert compute("events_on_time", period="2026-Q1", today=D(2026, 3, 1)) == 100


def test_a_scheme_combines_them_with_the_other_indicators_by_weight(
    compute, grid, world, django_capture_on_commit_callbacks
):
    evaluated(grid, Satisfaction.SATISFIED)  # handled 5 hours after its report: on time
    due(grid, at(2025, 9, 1, 12))  # never handled

    made = scheme(
        TOWN,
        indicators=(("sat", 60, "grid_satisfaction"), ("time", 40, "events_on_time")),
        period="2025",
        level=UnitLevel.VILLAGE,
    )
    with django_capture_on_commit_callbacks(execute=True):
        run = scoring.request_run(made, acting_user=world.user("district_admin"), today=COUNTED_ON)
    result = Result.objects.get(run=run, unit_id=VILLAGE)

    assert result.scores == {"sat": 100, "time": 50}
    assert result.total == Decimal("80.00")
