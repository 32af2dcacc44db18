"""The computed indicator service_posts_claimed (engagement/indicators/party.py, through
governance's registry) against hand-built data, at its boundaries: the percent of a village's
party members holding at least one service post on the counting day (Guangxi §10), scored by a
scoring run of a village scheme, equal to the service-posts report's share on the same day."""

import datetime
from decimal import Decimal

import pytest

from engagement.indicators.party import NO_MEMBERS_SCORE, SERVICE_POSTS_CLAIMED
from engagement.testing.factories import PostClaimFactory, ServicePostFactory
from governance.registry import registry
from governance.testing.api import client_as, results_of
from supervision.choices import RunState, UnitLevel
from supervision.models import Result
from supervision.services import scoring
from supervision.services.indicators import computed_indicators
from supervision.testing.factories import scheme
from villages.testing.factories import PartyMembershipFactory, division

D = datetime.date
JOINED, CLAIMED, EARNED = D(2000, 7, 1), D(2025, 3, 1), D(2025, 6, 1)
TOWN = "440605125"
VILLAGE = "440605125001"
OTHER_VILLAGE = "440605125002"
COUNTED_ON = D(2026, 3, 1)  # after the 2025 period: counted on 31 December 2025


@pytest.fixture
def compute(world, django_capture_on_commit_callbacks):
    """The score of service_posts_claimed for a unit in a village scheme of TOWN."""

    def computed(period: str = "2025", today: datetime.date = COUNTED_ON, unit: str = VILLAGE):
        made = scheme(TOWN, indicators=(("x", 100, "service_posts_claimed"),), period=period, level=UnitLevel.VILLAGE)
        with django_capture_on_commit_callbacks(execute=True):
            run = scoring.request_run(made, acting_user=world.user("district_admin"), today=today)
        run.refresh_from_db()
        assert run.state == RunState.DONE, run.errors
        return Result.objects.get(run=run, unit_id=unit).total

    division(VILLAGE)
    division(OTHER_VILLAGE)
    return computed


def member(code=VILLAGE, joined_on=JOINED):
    return PartyMembershipFactory(branch=division(code), joined_on=joined_on)


def claim(of, claimed_on=CLAIMED, left_on=None, post=None):
    post = post or ServicePostFactory(division=of.branch)
    return PostClaimFactory(post=post, member=of, claimed_on=claimed_on, left_on=left_on)


def test_it_is_contributed_for_village_schemes_and_listed_with_its_definition(world):
    rows = {row["code"]: row for row in results_of(client_as("town_official").get("/api/v1/indicators/"))}

    assert registry.indicators["service_posts_claimed"] is SERVICE_POSTS_CLAIMED
    assert "service_posts_claimed" in computed_indicators()
    assert SERVICE_POSTS_CLAIMED.levels == (UnitLevel.VILLAGE,)
    assert rows["service_posts_claimed"]["level"] == "village"
    assert "服务岗" in rows["service_posts_claimed"]["description"]


def test_a_village_without_party_members_scores_100(compute):
    member(OTHER_VILLAGE)  # another village's

    assert compute() == NO_MEMBERS_SCORE == 100


def test_the_score_is_the_share_of_members_holding_at_least_one_post_rounded_to_two_decimals(compute):
    holder, second_holder = member(), member()
    member()  # holds no post
    post = ServicePostFactory(division=division(VILLAGE))
    claim(holder, post=post)
    claim(holder)  # two posts: counted once
    claim(second_holder, post=post)

    assert compute() == Decimal("66.67")


def test_every_member_holding_a_post_scores_100_one_short_does_not(compute):
    members = [member() for _ in range(4)]
    for made in members[:3]:
        claim(made)

    assert compute() == Decimal("75.00")
    claim(members[3])
    assert compute() == 100


def test_a_post_claimed_after_the_counting_day_or_left_by_it_does_not_count(compute):
    on_the_day, after, left_on_the_day, left_after = member(), member(), member(), member()
    claim(on_the_day, claimed_on=D(2025, 12, 31))  # claimed on the counting day: holds it
    claim(after, claimed_on=D(2026, 1, 1))  # claimed the day after: not yet
    claim(left_on_the_day, left_on=D(2025, 12, 31))  # left on the counting day: no longer
    claim(left_after, left_on=D(2026, 1, 1))  # left the day after: still held on the day

    assert compute() == 50


def test_members_who_joined_after_the_counting_day_do_not_count(compute):
    claim(member())
    member(joined_on=D(2026, 1, 1))  # not yet a member on 31 December 2025

    assert compute() == 100


def test_while_the_period_runs_the_counting_day_is_the_day_of_the_run(compute):
    claim(member(), claimed_on=D(2026, 4, 30))

    assert compute(period="2026", today=D(2026, 4, 30)) == 100
    assert compute(period="2026", today=D(2026, 4, 29)) == 0


def test_it_is_scored_per_village(compute):
    claim(member())
    member(OTHER_VILLAGE)

    assert compute() == 100
    assert compute(unit=OTHER_VILLAGE) == 0


def test_it_equals_the_service_posts_reports_share_on_the_same_day(compute):
    claim(member())
    claim(member())
    member()

    rows = (
        client_as("district_admin")
        .get("/api/v1/reports/service-posts/", {"division": TOWN, "on": "2025-12-31"})
        .json()["results"]
    )

    share = next(row["share"] for row in rows if row["unit"] == VILLAGE)
    assert compute() == Decimal(str(share)) == Decimal("66.67")
