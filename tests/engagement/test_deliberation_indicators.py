"""The computed indicator of deliberation (engagement/indicators/deliberation.py, through governance's
registry): deliberation_held against hand-built data, at its boundaries (the period's first day and
the counting day; a meeting without a deliberated topic; a village without a body), scored by a
scoring run of a village scheme, and listed by GET /api/v1/indicators/."""

import datetime

import pytest

from engagement.choices import Outcome, TopicStatus
from engagement.indicators.deliberation import DELIBERATION_HELD
from engagement.testing.factories import MeetingFactory, TopicFactory, body_in
from governance.registry import registry
from governance.testing.api import client_as, results_of
from governance.testing.factories import UserFactory
from supervision.choices import RunState, UnitLevel
from supervision.models import Result
from supervision.services import scoring
from supervision.services.indicators import computed_indicators
from supervision.testing.factories import scheme
from villages.testing.factories import division

D = datetime.date
TOWN = "440605125"
VILLAGE = "440605125001"
OTHER_VILLAGE = "440605125002"
COUNTED_ON = D(2026, 3, 1)  # after the 2025 period: counted on 31 December 2025


@pytest.fixture
def compute(world, django_capture_on_commit_callbacks):
    """The score of deliberation_held for a unit in a village scheme of TOWN, counted on `today`."""

    def computed(period: str = "2025", today: datetime.date = COUNTED_ON, unit: str = VILLAGE):
        made = scheme(TOWN, indicators=(("x", 100, "deliberation_held"),), period=period, level=UnitLevel.VILLAGE)
        with django_capture_on_commit_callbacks(execute=True):
            run = scoring.request_run(made, acting_user=world.user("district_admin"), today=today)
        run.refresh_from_db()
        assert run.state == RunState.DONE, run.errors
        return Result.objects.get(run=run, unit_id=unit).total

    division(VILLAGE)
    division(OTHER_VILLAGE)
    return computed


def deliberated_in(meeting, **fields):
    return TopicFactory(
        body=meeting.body,
        proposed_on=meeting.held_on - datetime.timedelta(days=7),
        status=TopicStatus.DELIBERATED,
        reviewed_on=meeting.held_on - datetime.timedelta(days=3),
        reviewed_by=UserFactory(),
        meeting=meeting,
        outcome=Outcome.AGREED,
        **fields,
    )


def test_deliberation_held_is_contributed_through_the_registry_for_village_schemes():
    assert registry.indicators["deliberation_held"] is DELIBERATION_HELD
    assert "deliberation_held" in computed_indicators()
    assert DELIBERATION_HELD.levels == (UnitLevel.VILLAGE,)


def test_the_indicator_list_shows_it_with_its_reading(world):
    rows = {row["code"]: row for row in results_of(client_as("town_official").get("/api/v1/indicators/"))}

    assert rows["deliberation_held"]["level"] == "village"
    assert "协商了经预审的议题" in rows["deliberation_held"]["description"]


def test_a_village_whose_body_deliberated_a_topic_in_a_meeting_of_the_period_scores_100(compute):
    deliberated_in(MeetingFactory(body=body_in(VILLAGE), held_on=D(2025, 1, 1)))  # the period's first day

    assert compute() == 100
    assert compute(unit=OTHER_VILLAGE) == 0  # no body at all


def test_a_meeting_that_deliberated_no_topic_does_not_count(compute):
    meeting = MeetingFactory(body=body_in(VILLAGE), held_on=D(2025, 5, 6))
    TopicFactory(body=meeting.body, status=TopicStatus.APPROVED, reviewed_on=D(2025, 5, 1), reviewed_by=UserFactory())

    assert compute() == 0


def test_only_meetings_from_the_periods_first_day_to_the_counting_day_count(compute):
    body = body_in(VILLAGE)
    deliberated_in(MeetingFactory(body=body, held_on=D(2024, 12, 31)))
    deliberated_in(MeetingFactory(body=body, held_on=D(2025, 7, 1)))

    assert compute() == 100
    assert compute(today=D(2025, 6, 30)) == 0  # the period runs: counted on 30 June
    assert compute(today=D(2025, 7, 1)) == 100
    assert compute(period="2025-H1") == 0


def test_a_neighbours_meeting_does_not_count_for_a_village(compute):
    deliberated_in(MeetingFactory(body=body_in(OTHER_VILLAGE), held_on=D(2025, 5, 6)))

    assert (compute(), compute(unit=OTHER_VILLAGE)) == (0, 100)
