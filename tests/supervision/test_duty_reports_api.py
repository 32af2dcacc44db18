"""POST and GET /api/v1/duty-reports/: the votes on a unit's duty report (述职评议), recorded by
whoever enters the unit's assessment scores, read in jurisdiction, scored by duty_report."""

import pytest
from django.urls import reverse

from governance.testing import world as w
from governance.testing.api import ANONYMOUS, OUTSIDER, client_as, queries_and_rows, results_of
from supervision.models import DutyReportEvaluation

pytestmark = pytest.mark.django_db

URL = "/api/v1/duty-reports/"


def votes(unit: str, period: str = "2026", satisfied: int = 30, basically: int = 8, dissatisfied: int = 2) -> dict:
    return {
        "unit": unit,
        "period": period,
        "satisfied": satisfied,
        "basically_satisfied": basically,
        "dissatisfied": dissatisfied,
    }


def test_a_town_official_records_a_villages_votes_and_a_second_record_replaces_them(world):
    official = client_as("town_official")

    first = official.post(URL, votes(w.VILLAGE), format="json")
    second = official.post(URL, votes(w.VILLAGE, satisfied=20), format="json")

    assert first.status_code == second.status_code == 201
    assert second.json()["satisfied"] == 20 and second.json()["unit"] == w.VILLAGE
    assert DutyReportEvaluation.objects.filter(unit_id=w.VILLAGE, period="2026").count() == 1


def test_a_clerk_may_not_record_votes_and_a_unit_out_of_scope_is_not_found(world):
    by_clerk = client_as("village_clerk").post(URL, votes(w.VILLAGE), format="json")
    elsewhere = client_as("town_official").post(URL, votes(w.OTHER_TOWN_VILLAGE), format="json")
    by_outsider = client_as(OUTSIDER).post(URL, votes(w.VILLAGE), format="json")
    anonymous = client_as(ANONYMOUS).post(URL, votes(w.VILLAGE), format="json")

    assert by_clerk.status_code == 403
    assert elsewhere.status_code == 404
    assert by_outsider.status_code == 403  # no right to record votes anywhere
    assert anonymous.status_code == 401
    assert not DutyReportEvaluation.objects.exists()


def test_bad_votes_and_a_town_are_field_errors_and_nothing_is_saved(world):
    official = client_as("town_official")

    negative = official.post(URL, votes(w.VILLAGE, dissatisfied=-1), format="json")
    none_at_all = official.post(URL, votes(w.VILLAGE, satisfied=0, basically=0, dissatisfied=0), format="json")
    bad_period = official.post(URL, votes(w.VILLAGE, period="2026-X9"), format="json")
    a_town = official.post(URL, votes(w.TOWN), format="json")

    assert negative.status_code == 400 and "dissatisfied" in negative.json()
    assert none_at_all.status_code == 400 and "satisfied" in none_at_all.json()
    assert bad_period.status_code == 400 and "period" in bad_period.json()
    assert a_town.status_code == 400 and "unit" in a_town.json()
    assert not DutyReportEvaluation.objects.exists()


def test_votes_are_read_in_jurisdiction_only(world):
    client_as("town_official").post(URL, votes(w.VILLAGE), format="json")

    assert {row["unit"] for row in results_of(client_as("town_official").get(URL))} == {w.VILLAGE}
    assert {row["unit"] for row in results_of(client_as("inspector").get(URL))} == {w.VILLAGE}
    assert client_as("village_clerk").get(URL).status_code == 403  # no right to read votes anywhere
    assert client_as(OUTSIDER).get(URL).status_code == 403


def test_the_list_costs_the_same_queries_for_1_or_several_units(world):
    official = client_as("town_official")
    official.post(URL, votes(w.VILLAGE), format="json")
    few, rows_few = queries_and_rows(official, reverse("api:dutyreport-list"))
    official.post(URL, votes(w.OTHER_VILLAGE_SAME_TOWN), format="json")
    official.post(URL, votes(w.COOPERATIVE), format="json")
    many, rows_many = queries_and_rows(official, reverse("api:dutyreport-list"))

    assert (rows_few, rows_many) == (1, 3)
    assert few == many
