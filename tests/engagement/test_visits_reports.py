"""The visits reports (DESIGN.md §7 visit-coverage; kept-contacts) against hand-built data: each
quota at its boundary (one short, exactly met), every caller in and out of scope (another town's
division 404), CSV and XLSX, the /reports/ index, and query counts that do not grow with the
cadres or the people."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from engagement.choices import ContactKind, VisitorLevel
from engagement.testing.factories import KeptContactFactory, VisitFactory, VisitingCadreFactory
from governance.testing import world as w
from governance.testing.api import ANONYMOUS, ROLES, client_as, results_of
from governance.testing.fixtures import OUTSIDER
from villages.choices import PositionKind
from villages.testing.factories import (
    HouseholdFactory,
    PartyMembershipFactory,
    PersonFactory,
    PositionFactory,
    division,
)

D = datetime.date
COVERAGE, CONTACTS = "visit-coverage", "kept-contacts"
READERS = {"district_admin", "town_official", "village_clerk", "inspector"}


def get(slug, who="town_official", **params):
    return client_as(who).get(reverse(f"api:report-{slug}"), params)


@pytest.fixture
def town_cadres(world):
    """A town cadre one household short of three, a town head with every natural village visited."""
    short = VisitingCadreFactory(level=VisitorLevel.TOWN_CADRE, division=division(w.TOWN), name="陈短")
    short.villages.add(division(w.VILLAGE))
    households = [HouseholdFactory(division=division(w.COOPERATIVE)) for _ in range(3)]
    for household in households[:2]:
        VisitFactory(visitor=short, division=household.division, household=household, visited_on=D(2026, 4, 1))
    head = VisitingCadreFactory(level=VisitorLevel.TOWN_HEAD, division=division(w.TOWN), name="李满")
    for code in (w.COOPERATIVE, w.OTHER_COOPERATIVE_SAME_VILLAGE):
        VisitFactory(visitor=head, division=division(code), visited_on=D(2026, 2, 2))
    VisitingCadreFactory(division=division(w.OTHER_TOWN), name="九江干部")
    return short, head, households


# --- 1. Access -------------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", (COVERAGE, CONTACTS))
@pytest.mark.parametrize("who", [*ROLES, OUTSIDER, ANONYMOUS])
def test_a_visits_report_answers_each_caller_as_its_scope_and_rights_say(world, slug, who):
    home = w.ROLE_HOME.get(who, w.VILLAGE)
    inside = get(slug, who, division=home, period="2026")
    outside = get(slug, who, division=w.JUST_OUTSIDE.get(who, w.FAR_VILLAGE), period="2026")

    if who == ANONYMOUS:
        assert (inside.status_code, outside.status_code) == (401, 401)
    elif who in READERS:
        assert inside.status_code == 200, inside.content[:300]
        assert inside.json()["division"] == home
        assert outside.status_code == 404
    else:
        assert (inside.status_code, outside.status_code) == (403, 403)


@pytest.mark.parametrize("slug", (COVERAGE, CONTACTS))
def test_a_visits_report_needs_a_period_and_is_listed_in_the_index(world, slug):
    assert get(slug, division=w.TOWN).status_code == 400
    assert slug in [row["slug"] for row in client_as("inspector").get("/api/v1/reports/").json()["results"]]


def test_another_towns_division_is_404_for_a_town_official(town_cadres):
    assert get(COVERAGE, division=w.OTHER_TOWN, period="2026").status_code == 404
    assert get(COVERAGE, division=w.OTHER_TOWN, period="2026", who="district_admin").status_code == 200


# --- 2. visit-coverage -----------------------------------------------------------------------------


def test_coverage_has_a_row_per_cadre_and_quota_one_short_and_one_met(town_cadres):
    short, head, _ = town_cadres

    rows = results_of(get(COVERAGE, division=w.TOWN, period="2026"))

    by_cadre = {row["cadre"]: row for row in rows}
    assert set(by_cadre) == {"陈短", "李满"}  # not another town's
    assert {
        key: by_cadre["陈短"][key] for key in ("cadre_id", "quota", "required", "visited", "share", "target_met")
    } == {
        "cadre_id": short.pk,
        "quota": "households_year",
        "required": 3,
        "visited": 2,
        "share": 66.67,
        "target_met": False,
    }
    assert by_cadre["陈短"]["quota_name"] == "每年走遍包联村所有农户"
    assert (by_cadre["李满"]["quota"], by_cadre["李满"]["required"], by_cadre["李满"]["visited"]) == (
        "natural_villages_year",
        2,
        2,
    )
    assert (by_cadre["李满"]["share"], by_cadre["李满"]["target_met"]) == (100.0, True)


def test_the_last_household_visited_meets_the_quota(town_cadres):
    short, _, households = town_cadres
    VisitFactory(visitor=short, division=households[2].division, household=households[2], visited_on=D(2026, 12, 31))

    rows = {row["cadre"]: row for row in results_of(get(COVERAGE, division=w.TOWN, period="2026"))}

    assert (rows["陈短"]["visited"], rows["陈短"]["share"], rows["陈短"]["target_met"]) == (3, 100.0, True)


def test_a_town_leader_has_two_rows_and_a_county_secretary_is_the_districts(world):
    leader = VisitingCadreFactory(level=VisitorLevel.TOWN_LEADER, division=division(w.TOWN), name="王领导")
    leader.villages.add(division(w.VILLAGE))
    VisitingCadreFactory(level=VisitorLevel.COUNTY_SECRETARY, division=division(w.DISTRICT), name="区委书记")

    town = [row["quota"] for row in results_of(get(COVERAGE, division=w.TOWN, period="2026-H1"))]
    district = [row["cadre"] for row in results_of(get(COVERAGE, "district_admin", division=w.DISTRICT, period="2026"))]

    assert town == ["groups_half_year", "households_term"]
    assert set(district) == {"王领导", "区委书记"}


def test_coverage_comes_as_csv_and_xlsx(town_cadres):
    csv_response = get(COVERAGE, division=w.TOWN, period="2026", format="csv")
    xlsx_response = get(COVERAGE, division=w.TOWN, period="2026", format="xlsx")

    assert csv_response.status_code == 200 and csv_response["Content-Type"].startswith("text/csv")
    assert f"visit-coverage-{w.TOWN}-2026.csv" in csv_response["Content-Disposition"]
    table = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    assert table[0][0] == "走访干部" and "覆盖率（%）" in table[0]
    assert any(row[0] == "陈短" and "66.67" in row and "否" in row for row in table)
    sheet = list(load_workbook(io.BytesIO(xlsx_response.content)).active.iter_rows(values_only=True))
    assert any(row[0] == "李满" and 100.0 in row and "是" in row for row in sheet)


def test_a_report_costs_the_same_queries_for_one_cadre_as_for_many(world):
    client = client_as("town_official")
    url = reverse(f"api:report-{COVERAGE}")

    def cadre():
        made = VisitingCadreFactory(level=VisitorLevel.TOWN_LEADER, division=division(w.TOWN))
        made.villages.add(division(w.VILLAGE))
        household = HouseholdFactory(division=division(w.COOPERATIVE))
        VisitFactory(visitor=made, division=household.division, household=household)

    cadre()
    client.get(url, {"division": w.TOWN, "period": "2026"})
    with CaptureQueriesContext(connection) as one:
        client.get(url, {"division": w.TOWN, "period": "2026"})
    for _ in range(5):
        cadre()
    with CaptureQueriesContext(connection) as many:
        response = client.get(url, {"division": w.TOWN, "period": "2026"})

    assert len(results_of(response)) == 12
    assert len(one) == len(many) <= 4


# --- 3. kept-contacts ------------------------------------------------------------------------------


def test_kept_contacts_judge_cadres_against_1_and_5_and_party_members_against_3(world):
    cadre = PositionFactory(
        division=division(w.VILLAGE), kind=PositionKind.COMMITTEE_DIRECTOR, started_on=D(2021, 3, 1)
    ).person
    for _ in range(5):
        KeptContactFactory(person=cadre)
    member = PartyMembershipFactory(branch=division(w.VILLAGE)).person
    for _ in range(3):
        KeptContactFactory(person=member)
    short_member = PartyMembershipFactory(branch=division(w.VILLAGE)).person
    for _ in range(2):
        KeptContactFactory(person=short_member)
    PartyMembershipFactory(branch=division(w.OTHER_TOWN_VILLAGE))  # another town's

    rows = {row["person_id"]: row for row in results_of(get(CONTACTS, division=w.TOWN, period="2026"))}

    assert set(rows) == {cadre.pk, member.pk, short_member.pk}
    assert (rows[cadre.pk]["role"], rows[cadre.pk]["households"], rows[cadre.pk]["target_met"]) == (
        "village_cadre",
        5,
        False,
    )  # no entrepreneur
    assert (rows[member.pk]["required_households"], rows[member.pk]["target_met"]) == (3, True)
    assert (rows[short_member.pk]["households"], rows[short_member.pk]["target_met"]) == (2, False)
    KeptContactFactory(person=cadre, kind=ContactKind.ENTREPRENEUR, household=None, contact_name="梁老板")
    again = {row["person_id"]: row for row in results_of(get(CONTACTS, division=w.TOWN, period="2026"))}
    assert (again[cadre.pk]["entrepreneurs"], again[cadre.pk]["target_met"]) == (1, True)


def test_kept_contacts_cost_the_same_queries_for_one_person_as_for_many(world):
    client = client_as("town_official")
    url = reverse(f"api:report-{CONTACTS}")
    PartyMembershipFactory(branch=division(w.VILLAGE))
    client.get(url, {"division": w.TOWN, "period": "2026"})
    with CaptureQueriesContext(connection) as one:
        client.get(url, {"division": w.TOWN, "period": "2026"})
    for _ in range(4):
        KeptContactFactory(person=PartyMembershipFactory(branch=division(w.VILLAGE), person=PersonFactory()).person)

    with CaptureQueriesContext(connection) as many:
        response = client.get(url, {"division": w.TOWN, "period": "2026", "format": "csv"})

    assert response.status_code == 200
    assert len(one) == len(many)
