"""The home page's count of current leadership posts recorded without a pre-appointment integrity
talk (supervision.pages.records.talkless_count): for those who view integrity talks, over the
posts they may view, the same posts the list it links to shows (IntegrityTalk.objects.posts_without_talk)."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from governance import clock
from governance.access.querysets import jurisdiction_codes
from governance.testing import world as w
from governance.testing.fixtures import OUTSIDER
from governance.testing.pages import ROLES, queries_for, signed_in_client
from supervision.models import IntegrityTalk
from supervision.pages.records import talkless_count
from supervision.testing.record_factories import IntegrityTalkFactory
from villages.choices import PositionKind
from villages.models import Position
from villages.testing.factories import PersonFactory, PositionFactory, division

pytestmark = pytest.mark.django_db

LIST_URL = reverse("supervision:talkless_posts")
STARTED = datetime.date(2024, 3, 1)


def post(code: str, kind: str = PositionKind.PARTY_SECRETARY, **fields):
    place = division(code)
    return PositionFactory(
        division=place, kind=kind, person=PersonFactory(division=place), started_on=STARTED, **fields
    )


@pytest.fixture
def posts(world):
    """Posts without a talk in the town's village, in another town's village and in another
    district; beside them, posts that are never counted."""
    flagged = {
        w.VILLAGE: post(w.VILLAGE),
        w.COOPERATIVE: post(w.COOPERATIVE, PositionKind.COOPERATIVE_HEAD),
        w.OTHER_TOWN_VILLAGE: post(w.OTHER_TOWN_VILLAGE, PositionKind.COMMITTEE_DIRECTOR),
        w.FAR_VILLAGE: post(w.FAR_VILLAGE),
    }
    talked = post(w.OTHER_VILLAGE_SAME_TOWN)
    IntegrityTalkFactory(division=talked.division, person=talked.person, held_on=STARTED - datetime.timedelta(days=10))
    post(w.OTHER_VILLAGE_SAME_TOWN, PositionKind.VILLAGER_REPRESENTATIVE)  # no leadership post
    post(w.VILLAGE, ended_on=datetime.date(2025, 1, 1))  # no longer held
    return flagged


# Who sees which of the flagged posts: those who view integrity talks, in their jurisdiction.
EXPECTED = {
    "district_admin": {w.VILLAGE, w.COOPERATIVE, w.OTHER_TOWN_VILLAGE},
    "inspector": {w.VILLAGE, w.COOPERATIVE, w.OTHER_TOWN_VILLAGE},
    "town_official": {w.VILLAGE, w.COOPERATIVE},
    "village_clerk": set(),
    "coop_clerk": set(),
    "grid_worker": set(),
    "report_reader": set(),
    OUTSIDER: set(),
}


def scoped_posts(user):
    """IntegrityTalk.objects.posts_without_talk over the current posts the user may view where they view talks."""
    positions = Position.objects.restrict(user, "view").current(clock.today())
    codes = jurisdiction_codes(user, "supervision.view_integritytalk")
    positions = positions.filter(division__code__regex=rf"^({'|'.join(codes)})") if codes else positions.none()
    return IntegrityTalk.objects.posts_without_talk(positions)


@pytest.mark.parametrize("who", [*ROLES, OUTSIDER])
def test_the_home_count_is_the_posts_without_a_talk_in_the_users_scope(posts, who):
    user = get_user_model().objects.get(username=who)

    response = signed_in_client(user).get(reverse("home"))

    count = response.context["pending_counts"]["talkless_posts"]
    assert count == len(EXPECTED[who])
    assert count == scoped_posts(user).count()
    assert {position.division_id for position in scoped_posts(user)} == EXPECTED[who]
    if count:
        assert 'id="pending-talkless_posts"' in response.text and LIST_URL in response.text
        assert f"{count} 个新任“两委”成员和社长职务缺少任前廉洁谈话记录。" in response.text
        listed = signed_in_client(user).get(LIST_URL)
        assert listed.context["paginator"].count == count
    else:
        assert 'id="pending-talkless_posts"' not in response.text


def test_a_talk_before_the_post_started_takes_it_off_the_count(posts, world):
    inspector = world.user("inspector")
    before = talkless_count(inspector)
    flagged = posts[w.VILLAGE]

    IntegrityTalkFactory(division=flagged.division, person=flagged.person, held_on=STARTED)

    assert talkless_count(world.user("inspector")) == before - 1


def test_the_count_is_one_query_for_an_inspector_and_none_for_a_clerk(posts, world, django_assert_num_queries):
    inspector, clerk = world.user("inspector"), world.user("village_clerk")
    jurisdiction_codes(inspector, "supervision.view_integritytalk")  # their grants, read once a request
    jurisdiction_codes(clerk, "supervision.view_integritytalk")

    with django_assert_num_queries(1):
        assert talkless_count(inspector) == 3
    with django_assert_num_queries(0):
        assert talkless_count(clerk) == 0


def test_the_home_page_costs_the_same_queries_for_one_post_without_a_talk_and_for_several(world):
    post(w.VILLAGE)
    one = queries_for(signed_in_client(world.user("inspector")), reverse("home"))
    for number in range(2, 6):  # a party secretary is one per village
        post(f"{w.OTHER_TOWN}{number:03d}")

    client = signed_in_client(world.user("inspector"))
    assert queries_for(client, reverse("home")) == one
    assert client.get(reverse("home")).context["pending_counts"]["talkless_posts"] == 5
