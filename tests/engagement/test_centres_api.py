"""The API of service centres, operating funds, emergency plans and drills (docs/api.md, "Service
centres, funds and emergency plans"): the access matrix of every action for every role, the
computed fields at their boundaries (30 m² per 100 households, 70%, 380,000 yuan, a drill 365 or
366 days ago), the filters, the refusals as 400s on their fields in Chinese, and pinned query
counts that do not grow with the rows."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from engagement.choices import MIN_OPERATING_FUND_FEN
from engagement.models import Drill, EmergencyPlan, OperatingFund, ServiceCentre
from engagement.testing.factories import DrillFactory, EmergencyPlanFactory, OperatingFundFactory, ServiceCentreFactory
from governance import clock
from governance.testing import world as w
from governance.testing.api import (
    ANONYMOUS,
    CALLERS,
    APIViewTestCases,
    client_as,
    queries_and_rows,
    results_of,
)
from governance.testing.fixtures import OUTSIDER
from villages.testing.factories import division

# engagement.grants: the village's clerk keeps its centre, fund and plans; the town and the
# inspector read them; the district's administrator does everything; no one else sees them.
VIEWERS = {"district_admin", "town_official", "village_clerk", "inspector"}
KEEPERS = {"district_admin", "village_clerk"}

# Centres, funds and plans lie in a village: (inside, outside) the caller's jurisdiction. A
# cooperative's clerk has none of them (a test below says what they get).
VILLAGE_PLACES = {
    "district_admin": (w.OTHER_TOWN_VILLAGE, w.FAR_VILLAGE),
    "town_official": (w.OTHER_VILLAGE_SAME_TOWN, w.OTHER_TOWN_VILLAGE),
    "village_clerk": (w.VILLAGE, w.OTHER_VILLAGE_SAME_TOWN),
    "grid_worker": (w.VILLAGE, w.OTHER_VILLAGE_SAME_TOWN),
    "inspector": (w.VILLAGE, w.FAR_VILLAGE),
    "report_reader": (w.OTHER_TOWN_VILLAGE, w.FAR_VILLAGE),
    OUTSIDER: (w.VILLAGE, w.FAR_VILLAGE),
    ANONYMOUS: (w.VILLAGE, w.FAR_VILLAGE),
}
VILLAGE_LEVEL_CALLERS = tuple(who for who in CALLERS if who != "coop_clerk")


class VillageLevelRecords:
    places = VILLAGE_PLACES
    viewers = VIEWERS
    adders = KEEPERS
    changers = KEEPERS

    def build_objects(self, world):
        codes = sorted({code for pair in self.places.values() for code in pair})
        return {code: self.make_object(code) for code in codes}

    def pytest_generate_tests(self, metafunc):
        if "who" in metafunc.fixturenames:
            metafunc.parametrize("who", VILLAGE_LEVEL_CALLERS)
        if "where" in metafunc.fixturenames:
            metafunc.parametrize("where", ("inside", "outside"))


# --- 1. Access matrices ----------------------------------------------------------------------------


class TestServiceCentreAccess(
    VillageLevelRecords,
    APIViewTestCases.ListTests,
    APIViewTestCases.RetrieveTests,
    APIViewTestCases.HistoryTests,
    APIViewTestCases.UpdateTests,
):
    basename = "servicecentre"
    model = ServiceCentre
    update_data = {"households_served": 777}

    def make_object(self, code):
        return ServiceCentreFactory(division=division(code))


class TestServiceCentreCreateAccess(VillageLevelRecords, APIViewTestCases.CreateTests):
    """A village without a centre yet: recorded inside the jurisdiction by who keeps its records."""

    basename = "servicecentre"
    model = ServiceCentre

    def make_object(self, code):
        return division(code)

    def create_data(self, code, scenario, who):
        return {"division": code, "area_m2": "300.0", "service_area_m2": "210.0", "households_served": 1000}


class TestOperatingFundAccess(
    VillageLevelRecords,
    APIViewTestCases.ListTests,
    APIViewTestCases.RetrieveTests,
    APIViewTestCases.HistoryTests,
    APIViewTestCases.CreateTests,
    APIViewTestCases.UpdateTests,
):
    basename = "operatingfund"
    model = OperatingFund
    update_data = {"amount_fen": 12_345_600}

    def make_object(self, code):
        return OperatingFundFactory(division=division(code), year=2025)

    def create_data(self, code, scenario, who):
        return {"division": code, "year": 2026, "amount_fen": 30_000_000}


class TestEmergencyPlanAccess(
    VillageLevelRecords,
    APIViewTestCases.ListTests,
    APIViewTestCases.RetrieveTests,
    APIViewTestCases.HistoryTests,
    APIViewTestCases.CreateTests,
    APIViewTestCases.UpdateTests,
):
    basename = "emergencyplan"
    model = EmergencyPlan
    update_data = {"people_trained": 99}

    def make_object(self, code):
        return EmergencyPlanFactory(division=division(code))

    def create_data(self, code, scenario, who):
        return {"division": code, "title": "防汛应急预案", "adopted_on": "2025-04-01", "people_trained": 20}


class TestDrillAccess(
    VillageLevelRecords,
    APIViewTestCases.ListTests,
    APIViewTestCases.RetrieveTests,
    APIViewTestCases.HistoryTests,
    APIViewTestCases.CreateTests,
):
    """A drill of a plan outside the jurisdiction: the plan is not found (404), nothing written."""

    basename = "drill"
    model = Drill

    def make_object(self, code):
        return DrillFactory(plan=EmergencyPlanFactory(division=division(code)), held_on=datetime.date(2025, 5, 1))

    def create_data(self, code, scenario, who):
        return {"plan": scenario.objects[code].plan_id, "held_on": "2025-06-01", "participants": 40}


@pytest.mark.parametrize("url", ["service-centres", "operating-funds", "emergency-plans", "drills"])
def test_a_cooperative_clerk_and_a_grid_worker_see_none_of_it(world, url):
    for who in ("coop_clerk", "grid_worker", "report_reader"):
        assert client_as(who).get(f"/api/v1/{url}/").status_code == 403


def test_nothing_is_deleted_through_the_api(world):
    centre = ServiceCentreFactory()
    response = client_as("district_admin").delete(f"/api/v1/service-centres/{centre.pk}/")
    assert response.status_code == 405
    assert ServiceCentre.objects.filter(pk=centre.pk).exists()


# --- 2. Computed fields at their boundaries ---------------------------------------------------------


@pytest.mark.parametrize(
    ("area", "service", "households", "meets_area", "share", "meets_share"),
    [
        ("30.0", "21.0", 100, True, 70.0, True),  # exactly 30 m² per 100 households, exactly 70%
        ("29.9", "20.9", 100, False, 69.9, False),
        ("300.0", "209.9", 1000, True, 69.97, False),
        ("9.9", "9.9", 33, True, 100.0, True),  # 33 households: 9.9 m², pro rata
    ],
)
def test_a_centre_says_what_it_needs_and_whether_it_meets_both_rules(
    world, area, service, households, meets_area, share, meets_share
):
    centre = ServiceCentreFactory(area_m2=area, service_area_m2=service, households_served=households)

    body = client_as("town_official").get(f"/api/v1/service-centres/{centre.pk}/").json()

    assert (
        Decimal(body["required_area_m2"]) == Decimal(households * 30) / 100 and body["required_area_m2"].count(".") == 1
    )
    assert (body["meets_area"], body["service_share"], body["meets_service_share"]) == (meets_area, share, meets_share)
    assert body["level"] == "village" and body["division"] == w.VILLAGE and body["division_name"]


@pytest.mark.parametrize(
    ("amount", "topup", "meets"),
    [(MIN_OPERATING_FUND_FEN, 0, True), (MIN_OPERATING_FUND_FEN - 1, 1, False), (0, MIN_OPERATING_FUND_FEN, False)],
)
def test_a_fund_says_what_the_county_makes_up_to_380000_yuan(world, amount, topup, meets):
    fund = OperatingFundFactory(amount_fen=amount)

    body = client_as("inspector").get(f"/api/v1/operating-funds/{fund.pk}/").json()

    assert (body["amount_fen"], body["county_topup_fen"], body["meets_minimum"]) == (amount, topup, meets)


@pytest.mark.parametrize(("days_ago", "due"), [(365, False), (366, True)])
def test_a_plan_is_due_a_drill_when_its_last_drill_is_more_than_365_days_old(world, days_ago, due):
    today = clock.today()
    plan = EmergencyPlanFactory(adopted_on=today - datetime.timedelta(days=800))
    DrillFactory(plan=plan, held_on=today - datetime.timedelta(days=days_ago))
    DrillFactory(plan=plan, held_on=today - datetime.timedelta(days=700))

    body = client_as("village_clerk").get(f"/api/v1/emergency-plans/{plan.pk}/").json()

    assert body["last_drill_on"] == (today - datetime.timedelta(days=days_ago)).isoformat()
    assert body["drill_due"] is due


@pytest.mark.parametrize(("days_ago", "due"), [(365, False), (366, True)])
def test_a_plan_never_drilled_is_due_a_year_after_its_adoption(world, days_ago, due):
    plan = EmergencyPlanFactory(adopted_on=clock.today() - datetime.timedelta(days=days_ago))

    body = client_as("village_clerk").get(f"/api/v1/emergency-plans/{plan.pk}/").json()

    assert body["last_drill_on"] is None and body["drill_due"] is due


# --- 3. Filters -------------------------------------------------------------------------------------


def test_the_lists_filter_by_division_subtree_year_and_drill_due(world):
    today = clock.today()
    ours = OperatingFundFactory(division=division(w.VILLAGE), year=2025)
    OperatingFundFactory(division=division(w.VILLAGE), year=2026)
    theirs = OperatingFundFactory(division=division(w.OTHER_VILLAGE_SAME_TOWN), year=2025)
    due = EmergencyPlanFactory(adopted_on=today - datetime.timedelta(days=400))
    current = EmergencyPlanFactory(adopted_on=today - datetime.timedelta(days=10))
    drill = DrillFactory(plan=current, held_on=today)
    DrillFactory(plan=EmergencyPlanFactory(division=division(w.OTHER_VILLAGE_SAME_TOWN)))
    client = client_as("town_official")

    by_year = results_of(client.get("/api/v1/operating-funds/", {"year": 2025}))
    by_village = results_of(client.get("/api/v1/operating-funds/", {"year": 2025, "division": w.VILLAGE}))
    by_town = results_of(client.get("/api/v1/operating-funds/", {"division": w.TOWN}))
    due_plans = results_of(client.get("/api/v1/emergency-plans/", {"drill_due": "true"}))
    not_due = results_of(client.get("/api/v1/emergency-plans/", {"drill_due": "false", "division": w.VILLAGE}))
    drills = results_of(client.get("/api/v1/drills/", {"division": w.VILLAGE}))

    assert {row["id"] for row in by_year} == {ours.pk, theirs.pk}
    assert [row["id"] for row in by_village] == [ours.pk]
    assert len(by_town) == 3
    assert due.pk in {row["id"] for row in due_plans} and current.pk not in {row["id"] for row in due_plans}
    assert [row["id"] for row in not_due] == [current.pk]
    assert [row["id"] for row in drills] == [drill.pk] and drills[0]["division"] == w.VILLAGE


def test_a_bad_year_filter_is_a_400_on_year(world):
    response = client_as("town_official").get("/api/v1/operating-funds/", {"year": "去年"})
    assert response.status_code == 400 and list(response.json()) == ["year"]


# --- 4. Writes and their refusals -------------------------------------------------------------------


def test_a_clerk_records_the_centre_and_corrects_it_and_a_second_is_refused(world):
    client = client_as("village_clerk")

    created = client.post(
        "/api/v1/service-centres/",
        {"division": w.VILLAGE, "area_m2": "250.5", "service_area_m2": "200.0", "households_served": 800},
        format="json",
    )
    second = client.post(
        "/api/v1/service-centres/",
        {"division": w.VILLAGE, "area_m2": "1.0", "service_area_m2": "1.0", "households_served": 1},
        format="json",
    )
    corrected = client.patch(
        f"/api/v1/service-centres/{created.json()['id']}/", {"households_served": 900}, format="json"
    )

    assert created.status_code == 201, created.content
    assert created.json()["level"] == "village" and created.json()["meets_area"] is True
    assert second.status_code == 400 and list(second.json()) == ["division"]
    assert corrected.status_code == 200 and corrected.json()["households_served"] == 900
    assert corrected.json()["meets_area"] is False  # 900 households need 270 m²


def test_a_centre_with_more_service_space_than_area_or_the_wrong_level_is_refused_on_its_field(world):
    client = client_as("village_clerk")
    body = {"division": w.VILLAGE, "area_m2": "100.0", "service_area_m2": "100.1", "households_served": 10}

    too_much = client.post("/api/v1/service-centres/", body, format="json")
    wrong_level = client.post(
        "/api/v1/service-centres/", {**body, "service_area_m2": "50.0", "level": "town"}, format="json"
    )
    negative = client.post("/api/v1/service-centres/", {**body, "area_m2": "-1"}, format="json")

    assert too_much.status_code == 400 and too_much.json() == {"service_area_m2": ["服务和活动面积不能大于总面积。"]}
    assert wrong_level.status_code == 400 and list(wrong_level.json()) == ["level"]
    assert "村（社区）站点" in wrong_level.json()["level"][0]
    assert negative.status_code == 400 and list(negative.json()) == ["area_m2"]
    assert not ServiceCentre.objects.exists()


def test_a_cooperative_has_no_centre_and_a_fund_or_plan_belongs_to_a_village(world):
    client = client_as("district_admin")

    centre = client.post(
        "/api/v1/service-centres/",
        {"division": w.COOPERATIVE, "area_m2": "10.0", "service_area_m2": "8.0", "households_served": 10},
        format="json",
    )
    fund = client.post("/api/v1/operating-funds/", {"division": w.TOWN, "year": 2026, "amount_fen": 1}, format="json")
    plan = client.post(
        "/api/v1/emergency-plans/",
        {"division": w.COOPERATIVE, "title": "预案", "adopted_on": "2025-01-01"},
        format="json",
    )

    assert centre.status_code == 400 and list(centre.json()) == ["division"]
    assert fund.status_code == 400 and fund.json() == {"division": ["须为村（社区）。"]}
    assert plan.status_code == 400 and list(plan.json()) == ["division"]


def test_a_town_centre_is_of_the_town_level(world):
    response = client_as("district_admin").post(
        "/api/v1/service-centres/",
        {"division": w.TOWN, "area_m2": "2000.0", "service_area_m2": "1500.0", "households_served": 5000},
        format="json",
    )
    assert response.status_code == 201 and response.json()["level"] == "town"


def test_a_fund_is_recorded_once_a_year_and_never_negative(world):
    client = client_as("village_clerk")
    body = {"division": w.VILLAGE, "year": 2026, "amount_fen": MIN_OPERATING_FUND_FEN - 100}

    first = client.post("/api/v1/operating-funds/", body, format="json")
    again = client.post("/api/v1/operating-funds/", body, format="json")
    negative = client.patch(f"/api/v1/operating-funds/{first.json()['id']}/", {"amount_fen": -1}, format="json")
    bad_year = client.post("/api/v1/operating-funds/", {**body, "year": 1800}, format="json")

    assert first.status_code == 201 and first.json()["county_topup_fen"] == 100
    assert again.status_code == 400 and again.json() == {"year": ["2026 年度的运转经费已登记，请修改原记录。"]}
    assert negative.status_code == 400 and list(negative.json()) == ["amount_fen"]
    assert bad_year.status_code == 400 and list(bad_year.json()) == ["year"]


def test_a_drill_in_the_future_or_before_its_plan_is_refused_on_held_on(world):
    today = clock.today()
    plan = EmergencyPlanFactory(adopted_on=today - datetime.timedelta(days=30))
    client = client_as("village_clerk")

    def drill(day):
        return client.post(
            "/api/v1/drills/", {"plan": plan.pk, "held_on": day.isoformat(), "participants": 25}, format="json"
        )

    tomorrow = drill(today + datetime.timedelta(days=1))
    before = drill(today - datetime.timedelta(days=31))
    on_adoption = drill(today - datetime.timedelta(days=30))
    today_drill = drill(today)

    assert tomorrow.status_code == 400 and tomorrow.json() == {"held_on": ["日期不能晚于今天。"]}
    assert before.status_code == 400 and list(before.json()) == ["held_on"]
    assert "演练日期不能早于预案制定日期" in before.json()["held_on"][0]
    assert on_adoption.status_code == 201 and today_drill.status_code == 201
    plan_now = client.get(f"/api/v1/emergency-plans/{plan.pk}/").json()
    assert plan_now["last_drill_on"] == today.isoformat() and plan_now["drill_due"] is False


def test_a_plan_adopted_after_its_first_drill_is_refused(world):
    plan = EmergencyPlanFactory(adopted_on=datetime.date(2025, 1, 1))
    DrillFactory(plan=plan, held_on=datetime.date(2025, 3, 1))

    response = client_as("village_clerk").patch(
        f"/api/v1/emergency-plans/{plan.pk}/", {"adopted_on": "2025-03-02"}, format="json"
    )

    assert response.status_code == 400 and list(response.json()) == ["adopted_on"]


def test_another_towns_records_are_404_for_reading_and_writing(world):
    plan = EmergencyPlanFactory(division=division(w.OTHER_TOWN_VILLAGE))
    fund = OperatingFundFactory(division=division(w.OTHER_TOWN_VILLAGE))
    client = client_as("village_clerk")

    assert client.get(f"/api/v1/emergency-plans/{plan.pk}/").status_code == 404
    assert client.patch(f"/api/v1/operating-funds/{fund.pk}/", {"amount_fen": 1}, format="json").status_code == 404
    drill = client.post("/api/v1/drills/", {"plan": plan.pk, "held_on": "2025-06-01", "participants": 3}, format="json")
    assert drill.status_code == 404 and not Drill.objects.exists()
    missing = client.post(
        "/api/v1/drills/", {"plan": 999999, "held_on": "2025-06-01", "participants": 3}, format="json"
    )
    assert missing.status_code == 404


def test_a_drill_without_its_fields_names_each_in_chinese(world):
    response = client_as("village_clerk").post("/api/v1/drills/", {}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"plan", "held_on", "participants"}
    assert response.json()["held_on"] == ["该字段是必填项。"]


# --- 5. Query counts -------------------------------------------------------------------------------


def make_rows(first: int, number: int) -> None:
    for index in range(first, first + number):
        code = f"{w.TOWN}{index + 10:03d}"
        village = division(code)
        ServiceCentreFactory(division=village)
        OperatingFundFactory(division=village)
        plan = EmergencyPlanFactory(division=village)
        DrillFactory(plan=plan)
        DrillFactory(plan=plan, held_on=datetime.date(2026, 1, 5))


@pytest.mark.parametrize("url", ["service-centres", "operating-funds", "emergency-plans", "drills"])
def test_a_list_costs_the_same_queries_for_1_row_as_for_many(world, url):
    """Pinned (the grants cached on the user): the page's count and the page."""
    make_rows(0, 1)
    client = client_as("town_official")
    client.get(f"/api/v1/{url}/")  # the grants, cached on the user
    one_queries, one_rows = queries_and_rows(client, f"/api/v1/{url}/")

    make_rows(1, 5)
    many_queries, many_rows = queries_and_rows(client, f"/api/v1/{url}/")

    assert many_rows > one_rows
    assert many_queries == one_queries == 2


def test_the_detail_of_a_plan_costs_one_query(world, django_assert_num_queries):
    plan = EmergencyPlanFactory()
    DrillFactory(plan=plan)
    client = client_as("inspector")
    client.get(reverse("api:emergencyplan-detail", args=[plan.pk]))  # the grants cached

    with django_assert_num_queries(1):
        response = client.get(reverse("api:emergencyplan-detail", args=[plan.pk]))

    assert response.json()["last_drill_on"] == "2026-05-12"


@pytest.mark.parametrize("year", ["-4.317677284258977e+170", "1899", "2101", "2026.5", "abc"])
def test_a_year_outside_the_portals_years_is_a_400_on_the_parameter_not_a_500(year, world):
    for route in ("api:drill-list", "api:operatingfund-list"):
        response = client_as("district_admin").get(reverse(route), {"year": year})

        assert response.status_code == 400, (route, response.content[:200])
        assert "year" in response.json()
