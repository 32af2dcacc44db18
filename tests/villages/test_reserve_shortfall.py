"""The rule of at least MIN_RESERVE_CADRES_PER_VILLAGE reserve cadres (后备干部) per village, as
the portal shows it: on division pages, on the shortfall page and in the API."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from governance.testing import world as w
from governance.testing.pages import queries_for
from governance.testing.pages import signed_in_client as client_for
from governance.testing.schema import SchemaCheckedAPIClient as APIClient
from villages.models import MIN_RESERVE_CADRES_PER_VILLAGE, PositionKind
from villages.testing.factories import PositionFactory, division

ROLES = ["district_admin", "town_official", "village_clerk", "coop_clerk", "inspector", "report_reader"]


def reserve_cadres(village: str, count: int, **extra) -> None:
    for _ in range(count):
        PositionFactory(division=division(village), kind=PositionKind.RESERVE_CADRE, **extra)


@pytest.fixture
def one_village_short(world):
    """罗村 has one reserve cadre (and one who left), 联和 has enough; 下西 (another town) none."""
    reserve_cadres(w.VILLAGE, 1)
    reserve_cadres(w.VILLAGE, 1, ended_on=datetime.date(2025, 5, 31))
    reserve_cadres(w.OTHER_VILLAGE_SAME_TOWN, MIN_RESERVE_CADRES_PER_VILLAGE)
    return world


def shortfall_url(code: str) -> str:
    return reverse("villages:reserve_shortfall", args=[code])


def test_a_village_page_says_when_the_village_is_short(one_village_short):
    client = client_for(one_village_short.user("village_clerk"))

    short = client.get(reverse("villages:division", args=[w.VILLAGE]))
    enough = client_for(one_village_short.user("town_official")).get(
        reverse("villages:division", args=[w.OTHER_VILLAGE_SAME_TOWN])
    )

    assert "本村现有后备干部 1 名，少于规定的至少 2 名。" in short.text
    assert 'id="reserve-cadres-note"' not in enough.text


def test_a_town_page_counts_its_villages_that_are_short_and_links_to_them(one_village_short):
    response = client_for(one_village_short.user("town_official")).get(reverse("villages:division", args=[w.TOWN]))

    assert "辖内有 1 个村（社区）后备干部少于 2 名。" in response.text
    assert shortfall_url(w.TOWN) in response.text


def test_the_shortfall_page_lists_the_villages_short_in_the_users_jurisdiction_only(one_village_short):
    district = client_for(one_village_short.user("district_admin")).get(shortfall_url(w.DISTRICT))
    town = client_for(one_village_short.user("town_official")).get(shortfall_url(w.TOWN))

    assert [(v.code, v.reserve_cadres, v.reserve_cadres_missing) for v in district.context["villages"]] == [
        (w.OTHER_TOWN_VILLAGE, 0, 2),
        (w.VILLAGE, 1, 1),
    ]
    assert [v.code for v in town.context["villages"]] == [w.VILLAGE]


@pytest.mark.parametrize("role", ROLES)
def test_the_shortfall_page_of_a_division_outside_the_jurisdiction_is_not_found(one_village_short, role):
    outside = w.JUST_OUTSIDE[role]

    assert client_for(one_village_short.user(role)).get(shortfall_url(outside)).status_code == 404
    assert client_for(one_village_short.user(role)).get(shortfall_url(w.ROLE_HOME[role])).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(one_village_short):
    assert Client().get(shortfall_url(w.TOWN)).status_code == 302


def test_the_api_lists_the_villages_short_with_what_they_have_and_lack(one_village_short):
    api = APIClient()
    api.force_authenticate(one_village_short.user("town_official"))

    response = api.get(f"/api/v1/divisions/{w.TOWN}/reserve-shortfall/")
    outside = api.get(f"/api/v1/divisions/{w.OTHER_TOWN}/reserve-shortfall/")

    assert response.status_code == 200
    assert response.json()["results"] == [
        {"code": w.VILLAGE, "name": "罗村村委会", "reserve_cadres": 1, "reserve_cadres_missing": 1, "required": 2}
    ]
    assert outside.status_code == 404


@pytest.mark.parametrize("villages", [1, 30])
def test_the_shortfall_page_costs_the_same_queries_whatever_the_number_of_villages(world, villages):
    for number in range(3, 3 + villages):
        division(f"{w.TOWN}{number:03d}")  # villages without reserve cadres: all short

    # session, user, grants, the division, the count, the page of villages with their counts
    assert queries_for(client_for(world.user("town_official")), shortfall_url(w.TOWN)) == 6


def api_client_for(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


@pytest.mark.parametrize("role", ROLES)
def test_every_role_gets_the_api_list_at_home_and_not_found_just_outside(one_village_short, role):
    api = api_client_for(one_village_short.user(role))

    assert api.get(f"/api/v1/divisions/{w.ROLE_HOME[role]}/reserve-shortfall/").status_code == 200
    assert api.get(f"/api/v1/divisions/{w.JUST_OUTSIDE[role]}/reserve-shortfall/").status_code == 404


def test_anonymous_api_clients_are_refused(one_village_short):
    assert APIClient().get(f"/api/v1/divisions/{w.TOWN}/reserve-shortfall/").status_code in (401, 403)


@pytest.mark.parametrize("villages", [1, 30])
def test_the_api_list_costs_the_same_queries_whatever_the_number_of_villages(
    world, villages, django_assert_num_queries
):
    for number in range(3, 3 + villages):
        division(f"{w.TOWN}{number:03d}")
    api = api_client_for(world.user("town_official"))
    api.get(f"/api/v1/divisions/{w.TOWN}/reserve-shortfall/")  # the user's grants are loaded once

    with django_assert_num_queries(3):  # the division, the count, the page
        assert api.get(f"/api/v1/divisions/{w.TOWN}/reserve-shortfall/").status_code == 200
