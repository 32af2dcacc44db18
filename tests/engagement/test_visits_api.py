"""The visits API (docs/api.md, "Visits"): access matrices for visiting cadres, visits and kept
contacts (every action as every role, inside and outside the jurisdiction), the filters, visits
into a division or household out of scope refused, field-level 400s in Chinese, and pinned query
counts that do not grow with the rows."""

import datetime

import pytest

from engagement.choices import ContactKind, VisitorLevel
from engagement.models import KeptContact, Visit, VisitingCadre
from engagement.testing.factories import KeptContactFactory, VisitFactory, VisitingCadreFactory
from governance.testing import world as w
from governance.testing.api import (
    ANONYMOUS,
    CALLERS,
    APITestCase,
    APIViewTestCases,
    client_as,
    queries_and_rows,
    results_of,
)
from governance.testing.fixtures import OUTSIDER
from villages.testing.factories import HouseholdFactory, PersonFactory, division

D = datetime.date
VIEWERS = {"district_admin", "town_official", "village_clerk", "inspector"}
TOWN_WRITERS = {"district_admin", "town_official"}  # engagement.grants: the town records visits
VILLAGE_WRITERS = {"district_admin", "village_clerk"}  # the village keeps its contacts


def cadre_of(code: str) -> VisitingCadre:
    """The visiting cadre of the town (or county) above `code`, made once."""
    town = code[:9] if len(code) >= 9 else code
    found = VisitingCadre.objects.filter(division_id=town).first()
    return found or VisitingCadreFactory(division=division(town))


# --- 1. Access matrices ----------------------------------------------------------------------------


class TestVisitingCadreAccess(
    APIViewTestCases.ListTests,
    APIViewTestCases.RetrieveTests,
    APIViewTestCases.HistoryTests,
    APIViewTestCases.UpdateTests,
):
    """A cadre lies in their county or town; for the village-level callers (who view no town's
    cadre) a cadre is also made in a village and a cooperative (the scope is the division's)."""

    places = {
        "district_admin": (w.OTHER_TOWN, w.FAR_DISTRICT),
        "town_official": (w.TOWN, w.OTHER_TOWN),
        "village_clerk": (w.VILLAGE, w.OTHER_VILLAGE_SAME_TOWN),
        "coop_clerk": (w.COOPERATIVE, w.VILLAGE),
        "grid_worker": (w.COOPERATIVE, w.OTHER_VILLAGE_SAME_TOWN),
        "inspector": (w.TOWN, w.FAR_DISTRICT),
        "report_reader": (w.OTHER_TOWN, w.FAR_DISTRICT),
        OUTSIDER: (w.TOWN, w.FAR_DISTRICT),
        ANONYMOUS: (w.TOWN, w.FAR_DISTRICT),
    }
    basename = "visitingcadre"
    model = VisitingCadre
    viewers = VIEWERS
    changers = TOWN_WRITERS
    update_data = {"name": "改过的名字"}

    def make_object(self, code):
        return VisitingCadreFactory(division=division(code))


# Adding a cadre: (inside, outside) as counties and towns.
CADRE_HOMES = {
    "district_admin": (w.OTHER_TOWN, w.FAR_DISTRICT),
    "town_official": (w.TOWN, w.OTHER_TOWN),
}


@pytest.mark.parametrize("who", CALLERS)
@pytest.mark.parametrize("where", ("inside", "outside"))
def test_a_cadre_is_added_only_in_a_county_or_town_of_the_jurisdiction_of_who_may(world, who, where):
    inside, outside = CADRE_HOMES.get(who, (w.TOWN, w.FAR_DISTRICT))
    code = inside if where == "inside" else outside
    village = w.OTHER_TOWN_VILLAGE if code == w.OTHER_TOWN else w.VILLAGE if code == w.TOWN else None
    body = {"division": code, "name": "黄伟", "level": "town_cadre", "term_started_on": "2022-01-01"}
    if village:
        body["villages"] = [village]

    response = client_as(who).post("/api/v1/visiting-cadres/", body, format="json")

    if who == ANONYMOUS:
        expected = 401
    elif who not in TOWN_WRITERS:
        expected = 403
    else:
        expected = 201 if where == "inside" else 404
    assert response.status_code == expected, response.content[:300]
    assert VisitingCadre.objects.filter(name="黄伟").exists() == (expected == 201)
    if expected == 201:
        assert response.json()["villages"] == ([village] if village else [])


class TestVisitAccess(
    APIViewTestCases.ListTests,
    APIViewTestCases.RetrieveTests,
    APIViewTestCases.HistoryTests,
    APIViewTestCases.CreateTests,
    APIViewTestCases.UpdateTests,
):
    """A visit lies in the village or cooperative visited."""

    basename = "visit"
    model = Visit
    viewers = VIEWERS
    adders = changers = TOWN_WRITERS
    update_data = {"outcome": "已协调解决"}

    def make_object(self, code):
        return VisitFactory(visitor=cadre_of(code), division=division(code), visited_on=D(2026, 3, 3))

    def create_data(self, code, scenario, who):
        return {"visitor": cadre_of(code).pk, "division": code, "visited_on": "2026-03-10", "raised": "道路破损"}


class TestKeptContactAccess(
    APIViewTestCases.ListTests,
    APIViewTestCases.RetrieveTests,
    APIViewTestCases.HistoryTests,
    APIViewTestCases.CreateTests,
    APIViewTestCases.UpdateTests,
):
    """A kept contact lies where its person (the cadre or party member) is registered."""

    basename = "keptcontact"
    model = KeptContact
    viewers = VIEWERS
    adders = changers = VILLAGE_WRITERS
    update_data = {"until": "2026-12-31"}

    def make_object(self, code):
        return KeptContactFactory(person=PersonFactory(division=division(code)))

    def create_data(self, code, scenario, who):
        person = PersonFactory(division=division(code))
        household = HouseholdFactory(division=division(code))
        return {"person": person.pk, "kind": "household", "household": household.pk, "since": "2026-01-01"}


class DeleteTests(APITestCase):
    """DELETE answers like the object: 401 anonymous, 404 outside the jurisdiction, inside it 204
    for a role that may delete (the district only: engagement.grants), else 403."""

    deleters = frozenset({"district_admin"})

    def test_a_record_is_deleted_only_inside_the_jurisdiction_of_a_role_that_may_delete(self, scenario, who, where, db):
        obj = self.object_at(scenario, who, where)

        response = client_as(who).delete(self.detail_url(obj))

        expected = self.expected_on_one_object(who, self.place(who, where), self.deleters, 204)
        assert response.status_code == expected, response.content[:300]
        assert self.model.objects.filter(pk=obj.pk).exists() == (expected != 204)


class TestKeptContactDeletion(DeleteTests):
    basename = "keptcontact"
    model = KeptContact

    def make_object(self, code):
        return KeptContactFactory(person=PersonFactory(division=division(code)))


class TestVisitingCadreDeletion(DeleteTests):
    basename = "visitingcadre"
    model = VisitingCadre
    places = TestVisitingCadreAccess.places

    def make_object(self, code):
        return VisitingCadreFactory(division=division(code))


@pytest.mark.parametrize("who", CALLERS)
def test_a_visit_is_never_deleted(world, who):
    visit = VisitFactory(visitor=cadre_of(w.TOWN), division=division(w.VILLAGE))

    response = client_as(who).delete(f"/api/v1/visits/{visit.pk}/")

    assert response.status_code in (401, 403, 404, 405)
    assert Visit.objects.filter(pk=visit.pk).exists()


# --- 2. Lists and filters ----------------------------------------------------------------------------


def test_visits_filter_by_division_subtree_visitor_and_days(world):
    cadre, other = cadre_of(w.VILLAGE), VisitingCadreFactory(division=division(w.TOWN))
    early = VisitFactory(visitor=cadre, division=division(w.COOPERATIVE), visited_on=D(2026, 1, 5))
    late = VisitFactory(visitor=cadre, division=division(w.VILLAGE), visited_on=D(2026, 6, 5))
    elsewhere = VisitFactory(visitor=other, division=division(w.OTHER_VILLAGE_SAME_TOWN), visited_on=D(2026, 3, 5))
    client = client_as("town_official")

    def ids(**params):
        return {row["id"] for row in results_of(client.get("/api/v1/visits/", params))}

    assert ids() == {early.pk, late.pk, elsewhere.pk}
    assert ids(division=w.VILLAGE) == {early.pk, late.pk}
    assert ids(division=w.COOPERATIVE) == {early.pk}
    assert ids(visitor=other.pk) == {elsewhere.pk}
    assert ids(after="2026-03-05") == {late.pk, elsewhere.pk}
    assert ids(before="2026-03-05") == {early.pk, elsewhere.pk}
    assert ids(after="2026-02-01", before="2026-04-01", division=w.TOWN) == {elsewhere.pk}


def test_a_bad_day_filter_is_a_field_error(world):
    response = client_as("town_official").get("/api/v1/visits/", {"after": "昨天"})

    assert response.status_code == 400 and list(response.json()) == ["after"]


def test_a_visit_shows_who_where_and_what(world):
    household = HouseholdFactory(division=division(w.COOPERATIVE), number="H0101")
    cadre = VisitingCadreFactory(division=division(w.TOWN), name="黄伟")
    visit = VisitFactory(
        visitor=cadre, division=division(w.COOPERATIVE), household=household, raised="灌溉渠", outcome="已修"
    )

    row = client_as("inspector").get(f"/api/v1/visits/{visit.pk}/").json()

    assert {
        key: row[key] for key in ("division", "visitor", "visitor_name", "household_number", "raised", "outcome")
    } == {
        "division": w.COOPERATIVE,
        "visitor": cadre.pk,
        "visitor_name": "黄伟",
        "household_number": "H0101",
        "raised": "灌溉渠",
        "outcome": "已修",
    }


# --- 3. Writes refused -----------------------------------------------------------------------------


def record(who="town_official", **body):
    payload = {"visitor": cadre_of(w.TOWN).pk, "division": w.VILLAGE, "visited_on": "2026-03-10", **body}
    return client_as(who).post("/api/v1/visits/", payload, format="json")


def test_a_visit_into_another_towns_village_is_404_and_writes_nothing(world):
    response = record(division=w.OTHER_TOWN_VILLAGE)

    assert response.status_code == 404
    assert not Visit.objects.exists()


def test_a_visit_to_another_towns_household_is_refused(world):
    far_household = HouseholdFactory(division=division(w.OTHER_TOWN_VILLAGE))

    into_ours = record(household=far_household.pk)
    into_theirs = record(division=w.OTHER_TOWN_VILLAGE, household=far_household.pk)

    assert into_ours.status_code == 400 and list(into_ours.json()) == ["household"]
    assert into_theirs.status_code == 404
    assert not Visit.objects.exists()


def test_a_visitor_the_caller_does_not_view_is_a_400_on_visitor(world):
    far_cadre = VisitingCadreFactory(division=division(w.OTHER_TOWN))

    response = record(visitor=far_cadre.pk)

    assert response.status_code == 400 and response.json() == {"visitor": ["在您的辖区内没有该走访干部。"]}


def test_bad_visit_input_is_a_field_error_in_chinese(world):
    future = record(visited_on="2999-01-01")
    missing = client_as("town_official").post("/api/v1/visits/", {}, format="json")
    letters = record(division="abc")
    no_household = record(household=999999)

    assert future.status_code == 400 and list(future.json()) == ["visited_on"]
    assert missing.status_code == 400 and set(missing.json()) == {"visitor", "division", "visited_on"}
    assert missing.json()["visitor"] == ["该字段是必填项。"]
    assert letters.status_code == 400 and letters.json() == {"division": ["区划代码只能是数字。"]}
    assert no_household.status_code == 400 and no_household.json() == {"household": ["没有该户。"]}
    assert not Visit.objects.exists()


def test_a_visit_recorded_answers_201_and_is_corrected_with_patch(world):
    household = HouseholdFactory(division=division(w.VILLAGE))

    created = record(household=household.pk, raised="路灯不亮")
    changed = client_as("town_official").patch(
        f"/api/v1/visits/{created.json()['id']}/", {"outcome": "已安装"}, format="json"
    )

    assert created.status_code == 201, created.content
    assert created.json()["household"] == household.pk and created.json()["recorded_by"]
    assert changed.status_code == 200 and changed.json()["outcome"] == "已安装"
    assert changed.json()["raised"] == "路灯不亮"


def test_a_cadre_linked_to_a_village_of_another_town_is_a_400_on_villages(world):
    body = {"division": w.TOWN, "name": "黄伟", "level": "town_leader", "term_started_on": "2022-01-01"}

    far = client_as("town_official").post(
        "/api/v1/visiting-cadres/", {**body, "villages": [w.OTHER_TOWN_VILLAGE]}, format="json"
    )
    cooperative = client_as("town_official").post(
        "/api/v1/visiting-cadres/", {**body, "villages": [w.COOPERATIVE]}, format="json"
    )
    bad_level = client_as("town_official").post("/api/v1/visiting-cadres/", {**body, "level": "mayor"}, format="json")

    assert far.status_code == 400 and list(far.json()) == ["villages"]
    assert cooperative.status_code == 400 and list(cooperative.json()) == ["villages"]
    assert bad_level.status_code == 400 and list(bad_level.json()) == ["level"]
    assert not VisitingCadre.objects.exists()


def test_a_cadre_with_visits_is_not_deleted_but_may_be_set_inactive(world):
    visit = VisitFactory(visitor=cadre_of(w.TOWN))
    client = client_as("district_admin")

    refused = client.delete(f"/api/v1/visiting-cadres/{visit.visitor_id}/")
    inactive = client.patch(f"/api/v1/visiting-cadres/{visit.visitor_id}/", {"active": False}, format="json")

    assert refused.status_code == 400 and list(refused.json()) == ["active"]
    assert inactive.status_code == 200 and inactive.json()["active"] is False


def test_an_entrepreneur_contact_needs_a_name_and_a_household_contact_a_household(world):
    person = PersonFactory(division=division(w.VILLAGE))
    client = client_as("village_clerk")

    nameless = client.post(
        "/api/v1/kept-contacts/", {"person": person.pk, "kind": "entrepreneur", "since": "2026-01-01"}, format="json"
    )
    no_household = client.post(
        "/api/v1/kept-contacts/", {"person": person.pk, "kind": "household", "since": "2026-01-01"}, format="json"
    )
    named = client.post(
        "/api/v1/kept-contacts/",
        {"person": person.pk, "kind": ContactKind.ENTREPRENEUR, "contact_name": "梁老板", "since": "2026-01-01"},
        format="json",
    )

    assert nameless.status_code == 400 and nameless.json() == {"contact_name": ["请填写致富能手的姓名。"]}
    assert no_household.status_code == 400 and no_household.json() == {"household": ["请选择联系户。"]}
    assert named.status_code == 201 and named.json()["person_name"] == person.name


# --- 4. Query counts -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "pinned"), [("/api/v1/visits/", 2), ("/api/v1/visiting-cadres/", 3), ("/api/v1/kept-contacts/", 2)]
)
def test_a_list_costs_the_same_queries_for_1_row_as_for_many(world, url, pinned):
    def add_one():
        cadre = VisitingCadreFactory(division=division(w.TOWN), level=VisitorLevel.TOWN_LEADER)
        cadre.villages.add(division(w.VILLAGE), division(w.OTHER_VILLAGE_SAME_TOWN))
        household = HouseholdFactory(division=division(w.COOPERATIVE))
        VisitFactory(visitor=cadre, division=household.division, household=household)
        KeptContactFactory(person=PersonFactory(division=division(w.VILLAGE)))

    add_one()
    client = client_as("town_official")
    client.get(url)  # the grants, cached on the user
    one_queries, one_rows = queries_and_rows(client, url)
    for _ in range(4):
        add_one()
    many_queries, many_rows = queries_and_rows(client, url)

    assert many_rows > one_rows
    assert many_queries == one_queries == pinned
