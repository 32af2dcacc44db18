"""POST and GET /api/v1/duty-reports/: the votes on a unit's duty report (述职评议), read in
jurisdiction, scored by duty_report. A village's is recorded by the town; a cooperative's by its
village party organisation, through the village clerk, never by the town (Nanhai task 09)."""

import pytest
from django.urls import reverse

from governance.testing import world as w
from governance.testing.api import ANONYMOUS, OUTSIDER, client_as, queries_and_rows, results_of
from supervision.models import DutyReportEvaluation
from supervision.services.duty_reports import COOPERATIVE_EVALUATED_BY_VILLAGE

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


def test_a_clerk_may_not_record_a_villages_votes_and_a_unit_out_of_scope_is_not_found(world):
    by_clerk = client_as("village_clerk").post(URL, votes(w.VILLAGE), format="json")
    elsewhere = client_as("town_official").post(URL, votes(w.OTHER_TOWN_VILLAGE), format="json")
    by_outsider = client_as(OUTSIDER).post(URL, votes(w.VILLAGE), format="json")
    anonymous = client_as(ANONYMOUS).post(URL, votes(w.VILLAGE), format="json")

    assert by_clerk.status_code == 403  # a village's own duty report stays with the town
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
    # The clerk reads what lies in their village (its own, recorded by the town, included).
    assert {row["unit"] for row in results_of(client_as("village_clerk").get(URL))} == {w.VILLAGE}
    assert client_as("coop_clerk").get(URL).status_code == 403  # no right to read votes anywhere
    assert client_as(OUTSIDER).get(URL).status_code == 403


# --- a cooperative's duty report: evaluated by its village party organisation -------------------


def test_the_village_clerk_records_a_cooperatives_evaluation_for_the_village_party_organisation(world):
    response = client_as("village_clerk").post(URL, votes(w.COOPERATIVE, satisfied=9), format="json")

    assert response.status_code == 201
    assert response.json()["evaluated_by_body"] == "village_party_organisation"
    assert response.json()["unit"] == w.COOPERATIVE
    evaluation = DutyReportEvaluation.objects.get(unit_id=w.COOPERATIVE)
    assert (evaluation.satisfied, evaluation.recorded_by.username) == (9, "village_clerk")


def test_the_town_may_not_record_a_cooperatives_evaluation_and_is_told_whose_it_is(world):
    response = client_as("town_official").post(URL, votes(w.COOPERATIVE), format="json")
    by_district = client_as("district_admin").post(URL, votes(w.COOPERATIVE), format="json")

    assert response.status_code == 403
    assert response.json()["detail"] == str(COOPERATIVE_EVALUATED_BY_VILLAGE)
    assert by_district.status_code == 403
    assert not DutyReportEvaluation.objects.exists()


def test_a_villages_evaluation_stays_with_the_town_and_says_so(world):
    response = client_as("town_official").post(URL, votes(w.VILLAGE), format="json")

    assert response.status_code == 201
    assert response.json()["evaluated_by_body"] == "town"


def test_the_town_reads_the_cooperatives_evaluation_the_village_recorded(world):
    client_as("village_clerk").post(URL, votes(w.COOPERATIVE), format="json")

    rows = results_of(client_as("town_official").get(URL))

    assert [(row["unit"], row["evaluated_by_body"]) for row in rows] == [(w.COOPERATIVE, "village_party_organisation")]


def test_a_clerk_may_not_record_the_evaluation_of_another_villages_cooperative(world):
    from villages.testing.factories import division

    division(f"{w.OTHER_VILLAGE_SAME_TOWN}001")

    response = client_as("village_clerk").post(URL, votes(f"{w.OTHER_VILLAGE_SAME_TOWN}001"), format="json")

    assert response.status_code == 404
    assert not DutyReportEvaluation.objects.exists()


def test_the_list_costs_the_same_queries_for_1_or_several_units(world):
    official = client_as("town_official")
    official.post(URL, votes(w.VILLAGE), format="json")
    few, rows_few = queries_and_rows(official, reverse("api:dutyreport-list"))
    official.post(URL, votes(w.OTHER_VILLAGE_SAME_TOWN), format="json")
    client_as("village_clerk").post(URL, votes(w.COOPERATIVE), format="json")
    many, rows_many = queries_and_rows(official, reverse("api:dutyreport-list"))

    assert (rows_few, rows_many) == (1, 3)
    assert few == many
