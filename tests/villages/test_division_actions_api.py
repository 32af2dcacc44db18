"""Roll-up and merge (撤并) of divisions through the API."""

import pytest

from governance.testing import world as w
from villages.models import Division, Person
from villages.testing.factories import PersonFactory, division

pytestmark = pytest.mark.django_db


def test_the_rollup_counts_villages_and_cooperatives_per_town(world, client_for):
    response = client_for(world.user("district_admin")).get(f"/api/v1/divisions/{w.DISTRICT}/rollup/")
    assert response.status_code == 200
    assert response.json()[w.TOWN] == {"cooperative": 2, "village": 2}


def test_a_town_official_rolls_up_only_their_town(world, client_for):
    client = client_for(world.user("town_official"))
    assert client.get(f"/api/v1/divisions/{w.DISTRICT}/rollup/").status_code == 404
    assert set(client.get(f"/api/v1/divisions/{w.TOWN}/rollup/").json()) == {w.VILLAGE}


def test_the_district_administrator_merges_a_village_and_its_people_stay(world, client_for):
    PersonFactory(division=division(w.OTHER_VILLAGE_SAME_TOWN))
    response = client_for(world.user("district_admin")).post(
        f"/api/v1/divisions/{w.OTHER_VILLAGE_SAME_TOWN}/retire/", {"into": w.VILLAGE, "on": "2024-01-01"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["merged_into"] == w.VILLAGE
    assert Person.objects.filter(division_id=w.OTHER_VILLAGE_SAME_TOWN).count() == 1


def test_a_town_official_may_not_merge_villages(world, client_for):
    response = client_for(world.user("town_official")).post(
        f"/api/v1/divisions/{w.OTHER_VILLAGE_SAME_TOWN}/retire/", {"into": w.VILLAGE, "on": "2024-01-01"}, format="json"
    )
    assert response.status_code == 403
    assert Division.objects.get(code=w.OTHER_VILLAGE_SAME_TOWN).retired_on is None


def test_merging_into_another_level_is_a_field_error(world, client_for):
    response = client_for(world.user("district_admin")).post(
        f"/api/v1/divisions/{w.OTHER_VILLAGE_SAME_TOWN}/retire/", {"into": w.TOWN, "on": "2024-01-01"}, format="json"
    )
    assert response.status_code == 400
    assert "into" in response.json()


def test_merging_into_a_division_outside_the_jurisdiction_reads_as_absent(world, client_for):
    response = client_for(world.user("district_admin")).post(
        f"/api/v1/divisions/{w.VILLAGE}/retire/", {"into": w.FAR_VILLAGE, "on": "2024-01-01"}, format="json"
    )
    assert response.status_code == 400
    assert "into" in response.json()
