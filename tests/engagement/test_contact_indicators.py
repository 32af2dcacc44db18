"""The computed indicator of direct contact (engagement/indicators/contact.py, through governance's
registry): contact_links_filled, the percent of a village's five links (五挂钩) held on the
counting day, against hand-built data at its boundaries, scored by a scoring run of a village
scheme, and listed by GET /api/v1/indicators/."""

import datetime
from decimal import Decimal

import pytest

from engagement.choices import LinkKind
from engagement.indicators.contact import CONTACT_LINKS_FILLED
from engagement.testing.factories import ContactLinkFactory
from governance.registry import registry
from governance.testing.api import client_as, results_of
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
START = D(2025, 1, 1)
COUNTED_ON = D(2026, 3, 1)  # after the 2025 period: counted on 31 December 2025


@pytest.fixture
def compute(world, django_capture_on_commit_callbacks):
    """The score of contact_links_filled for a unit in a village scheme of TOWN, counted on `today`."""

    def computed(period: str = "2025", today: datetime.date = COUNTED_ON, unit: str = VILLAGE):
        made = scheme(TOWN, indicators=(("x", 100, "contact_links_filled"),), period=period, level=UnitLevel.VILLAGE)
        with django_capture_on_commit_callbacks(execute=True):
            run = scoring.request_run(made, acting_user=world.user("district_admin"), today=today)
        run.refresh_from_db()
        assert run.state == RunState.DONE, run.errors
        return Result.objects.get(run=run, unit_id=unit).total

    division(VILLAGE)
    division(OTHER_VILLAGE)
    return computed


def link(kind, code=VILLAGE, since=START, until=None):
    return ContactLinkFactory(division=division(code), kind=kind, since=since, until=until)


def test_the_indicator_is_contributed_for_village_schemes_and_listed(world):
    rows = {row["code"]: row for row in results_of(client_as("town_official").get("/api/v1/indicators/"))}

    assert registry.indicators["contact_links_filled"] is CONTACT_LINKS_FILLED
    assert "contact_links_filled" in computed_indicators()
    assert CONTACT_LINKS_FILLED.levels == (UnitLevel.VILLAGE,)
    assert rows["contact_links_filled"]["level"] == "village"
    assert "五挂钩" in rows["contact_links_filled"]["description"]


def test_a_village_with_all_five_links_scores_100(compute):
    for kind in LinkKind.values:
        link(kind)

    assert compute() == Decimal("100.00")


def test_each_missing_link_costs_20(compute):
    for kind in (LinkKind.DISTRICT_LEADER, LinkKind.DISTRICT_BRANCH, LinkKind.TOWN_LEADER, LinkKind.TOWN_BRANCH):
        link(kind)

    assert compute() == Decimal("80.00")
    assert compute(unit=OTHER_VILLAGE) == 0


def test_several_deputies_are_one_link(compute):
    link(LinkKind.DEPUTIES)
    link(LinkKind.DEPUTIES)
    link(LinkKind.DEPUTIES)

    assert compute() == Decimal("20.00")


def test_only_links_held_on_the_counting_day_count(compute):
    link(LinkKind.DISTRICT_LEADER, until=D(2025, 12, 31))  # its last day is the counting day: held
    link(LinkKind.DISTRICT_BRANCH, until=D(2025, 12, 30))  # ended the day before: not held
    link(LinkKind.TOWN_LEADER, since=D(2025, 12, 31))  # begins that day: held
    link(LinkKind.TOWN_BRANCH, since=D(2026, 1, 1))  # begins after: not held

    assert compute() == Decimal("40.00")


def test_while_the_period_runs_the_links_are_counted_on_the_day_the_run_is_asked_for(compute):
    link(LinkKind.TOWN_LEADER, since=D(2026, 2, 1))

    assert compute(period="2026", today=D(2026, 1, 31)) == 0
    assert compute(period="2026", today=D(2026, 2, 1)) == Decimal("20.00")


def test_links_are_scored_per_village(compute):
    link(LinkKind.TOWN_LEADER, code=OTHER_VILLAGE)

    assert compute() == 0
    assert compute(unit=OTHER_VILLAGE) == Decimal("20.00")
