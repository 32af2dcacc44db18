"""The villages API: access matrix, write targets, bad input, masking, query counts, contract."""

import datetime

import pytest
from django.db import connection

from governance.testing.api import (
    DIVISION_PLACES,
    ROLES,
    APIViewTestCases,
    client_as,
    in_jurisdiction,
    queries_and_rows,
)
from governance.testing.factories import assign
from governance.testing.world import (
    COOPERATIVE,
    DISTRICT,
    OTHER_TOWN,
    OTHER_TOWN_VILLAGE,
    OTHER_VILLAGE_SAME_TOWN,
    TOWN,
    VILLAGE,
)
from villages.identity import make_id_number
from villages.models import Division, Household, Level, Person, Position, PositionKind, level_for_code
from villages.testing.factories import HouseholdFactory, PersonFactory, PositionFactory, division

DIVISION_VIEWERS = set(ROLES)  # every role views the divisions of its jurisdiction, the grid worker too
PEOPLE_VIEWERS = {"district_admin", "town_official", "village_clerk", "coop_clerk", "inspector"}
PEOPLE_EDITORS = {"district_admin", "village_clerk", "coop_clerk"}
CADRE_EDITORS = {"district_admin", "town_official", "village_clerk"}


def representative_kind(code: str) -> str:
    """A position that may be held at the level of this division."""
    if level_for_code(code) == Level.COOPERATIVE:
        return PositionKind.MEMBER_REPRESENTATIVE
    return PositionKind.VILLAGER_REPRESENTATIVE


def another_shared_kind(code: str) -> str:
    """A second position, held by many at once, at the level of this division: a person who is
    already a representative there may take it too (nobody holds one post twice at once)."""
    if level_for_code(code) == Level.COOPERATIVE:
        return PositionKind.COOPERATIVE_COMMITTEE_MEMBER
    return PositionKind.RESERVE_CADRE


# --- 1. The access matrix, generated from these declarations -------------------------------


class TestDivisionAccess(
    APIViewTestCases.ListTests,
    APIViewTestCases.RetrieveTests,
    APIViewTestCases.HistoryTests,
    APIViewTestCases.DetailActionTests,
):
    basename = "division"
    model = Division
    lookup_kwarg = "code"
    places = DIVISION_PLACES
    viewers = DIVISION_VIEWERS
    detail_actions = ("children", "ancestors")

    def build_objects(self, world):
        return {d.code: d for d in Division.objects.all()}

    def key_of(self, obj):
        return obj.code

    def key_of_row(self, row):
        return row["code"]

    def expected_detail_action_keys(self, detail_action, obj, scenario, who):
        if detail_action == "children":
            related = {code for code, d in scenario.objects.items() if d.parent_id == obj.code}
        else:
            related = {code for code in scenario.objects if obj.code.startswith(code) and code != obj.code}
        return {code for code in related if in_jurisdiction(who, code)}


class TestPersonAccess(
    APIViewTestCases.ListTests,
    APIViewTestCases.RetrieveTests,
    APIViewTestCases.CreateTests,
    APIViewTestCases.UpdateTests,
    APIViewTestCases.HistoryTests,
):
    basename = "person"
    model = Person
    viewers = PEOPLE_VIEWERS
    adders = changers = PEOPLE_EDITORS
    update_data = {"name": "改名后的村民"}

    def make_object(self, code):
        return PersonFactory(division=division(code))

    def create_data(self, code, scenario, who):
        return {
            "name": "新登记村民",
            "id_number": make_id_number("440605", datetime.date(1988, 8, 8), 123),
            "division": code,
            "phone": "13912345678",
        }


class TestHouseholdAccess(
    APIViewTestCases.ListTests,
    APIViewTestCases.RetrieveTests,
    APIViewTestCases.CreateTests,
    APIViewTestCases.UpdateTests,
    APIViewTestCases.HistoryTests,
):
    basename = "household"
    model = Household
    viewers = PEOPLE_VIEWERS
    adders = changers = PEOPLE_EDITORS
    update_data = {"address": "新村路 8 号"}

    def make_object(self, code):
        return HouseholdFactory(division=division(code))

    def create_data(self, code, scenario, who):
        return {"division": code, "number": "NEW-001", "address": "罗村大道 1 号"}


class TestPositionAccess(
    APIViewTestCases.ListTests,
    APIViewTestCases.RetrieveTests,
    APIViewTestCases.CreateTests,
    APIViewTestCases.UpdateTests,
    APIViewTestCases.HistoryTests,
):
    basename = "position"
    model = Position
    viewers = PEOPLE_VIEWERS
    adders = changers = CADRE_EDITORS
    update_data = {"term_ends_on": "2027-02-28"}

    def make_object(self, code):
        return PositionFactory(division=division(code), kind=representative_kind(code))

    def create_data(self, code, scenario, who):
        # The person is one the caller may see (in its own jurisdiction); the division is `code`.
        person = scenario.objects[self.places[who][0]].person
        return {"person": person.pk, "division": code, "kind": another_shared_kind(code), "started_on": "2024-01-01"}


# --- 2. Write targets: nobody writes outside their jurisdiction -----------------------------

PERSON_URL = "/api/v1/people/"


def new_person_data(division_code: str, sequence: int = 1, **extra) -> dict:
    id_number = make_id_number("440605", datetime.date(1990, 6, 15), sequence)
    return {"name": "新登记村民", "id_number": id_number, "division": division_code, **extra}


def test_a_village_clerk_cannot_register_a_person_in_another_village_and_nothing_is_written(world, client_for):
    people_before = Person.objects.count()

    response = client_for(world.user("village_clerk")).post(PERSON_URL, new_person_data(OTHER_VILLAGE_SAME_TOWN))

    assert response.status_code == 404
    assert Person.objects.count() == people_before


def test_a_village_clerk_cannot_move_a_person_into_another_village_and_the_change_is_rolled_back(world, client_for):
    person = PersonFactory(division=division(VILLAGE))
    events_before = person.events.count()

    response = client_for(world.user("village_clerk")).patch(
        f"{PERSON_URL}{person.pk}/", {"division": OTHER_VILLAGE_SAME_TOWN, "name": "搬走了"}
    )

    assert response.status_code == 404
    person.refresh_from_db()
    assert person.division_id == VILLAGE
    assert person.name != "搬走了"
    assert person.events.count() == events_before, "the rolled-back update left no audit event"


def test_a_household_outside_the_jurisdiction_cannot_be_referenced(world, client_for):
    household_elsewhere = HouseholdFactory(division=division(OTHER_VILLAGE_SAME_TOWN))

    response = client_for(world.user("village_clerk")).post(
        PERSON_URL, new_person_data(VILLAGE, household=household_elsewhere.pk)
    )

    assert response.status_code == 400
    assert list(response.json()) == ["household"]
    assert not Person.objects.filter(division_id=VILLAGE).exists()


def test_a_household_of_another_village_in_the_jurisdiction_is_refused_for_a_person(world, client_for):
    other_household = HouseholdFactory(division=division(OTHER_VILLAGE_SAME_TOWN))

    response = client_for(world.user("district_admin")).post(
        PERSON_URL, new_person_data(VILLAGE, household=other_household.pk)
    )

    assert response.status_code == 400
    assert list(response.json()) == ["household"]


def test_a_person_outside_the_jurisdiction_cannot_be_named_in_a_position(world, client_for):
    person_elsewhere = PersonFactory(division=division(OTHER_VILLAGE_SAME_TOWN))
    positions_before = Position.objects.count()

    response = client_for(world.user("village_clerk")).post(
        "/api/v1/positions/",
        {"person": person_elsewhere.pk, "division": VILLAGE, "kind": "reserve_cadre", "started_on": "2024-01-01"},
    )

    assert response.status_code == 400
    assert list(response.json()) == ["person"]
    assert Position.objects.count() == positions_before


def test_a_town_official_who_may_only_view_people_is_refused_with_403_in_the_town(world, client_for):
    person = PersonFactory(division=division(VILLAGE))

    client = client_for(world.user("town_official"))

    assert client.get(f"{PERSON_URL}{person.pk}/").status_code == 200
    assert client.patch(f"{PERSON_URL}{person.pk}/", {"name": "改名"}).status_code == 403
    assert client.post(PERSON_URL, new_person_data(VILLAGE)).status_code == 403


# --- 3. Bad input is refused field by field, never with a 500 -------------------------------


@pytest.fixture
def clerk(world, client_for):
    """An API client signed in as the village clerk (who may register people in VILLAGE)."""
    return client_for(world.user("village_clerk"))


def with_wrong_check_character(id_number: str) -> str:
    wrong = "0" if id_number[-1] != "0" else "1"
    return id_number[:17] + wrong


def test_an_id_number_with_a_wrong_check_character_is_a_field_error_in_the_clients_language(clerk):
    data = new_person_data(VILLAGE)
    data["id_number"] = with_wrong_check_character(data["id_number"])

    response = clerk.post(PERSON_URL, data)
    in_english = clerk.post(PERSON_URL, data, HTTP_ACCEPT_LANGUAGE="en")

    assert (response.status_code, in_english.status_code) == (400, 400)
    assert response.json() == {"id_number": ["身份证号校验码错误。"]}
    assert in_english.json() == {"id_number": ["The ID number's check character is wrong."]}
    assert not Person.objects.exists()


@pytest.mark.parametrize(
    "id_number",
    ["44060519900615001", "4406051990061500123", "44060519900615001A", "440605199002300011", "", "   "],
    ids=["17 characters", "19 characters", "a letter other than X", "30 February", "empty", "blank"],
)
def test_a_malformed_id_number_is_a_field_error(clerk, id_number):
    response = clerk.post(PERSON_URL, {**new_person_data(VILLAGE), "id_number": id_number})

    assert response.status_code == 400
    assert list(response.json()) == ["id_number"]


def id_number_ending_in_x() -> str:
    """A valid ID number whose check character is X (found by trying sequence numbers)."""
    candidates = (make_id_number("440605", datetime.date(1991, 3, 3), n) for n in range(1000))
    return next(number for number in candidates if number.endswith("X"))


def test_a_duplicate_id_number_is_refused_with_a_clear_message(clerk):
    assert clerk.post(PERSON_URL, new_person_data(VILLAGE, sequence=2)).status_code == 201

    response = clerk.post(PERSON_URL, {**new_person_data(VILLAGE, sequence=2), "name": "另一个人"})

    assert response.status_code == 400
    assert response.json() == {"id_number": ["该身份证号已登记。"]}
    assert Person.objects.count() == 1


def test_a_duplicate_id_number_written_with_a_lower_case_x_is_refused_the_same_way(clerk):
    id_number = id_number_ending_in_x()
    assert clerk.post(PERSON_URL, {**new_person_data(VILLAGE), "id_number": id_number}).status_code == 201

    response = clerk.post(PERSON_URL, {**new_person_data(VILLAGE), "id_number": id_number.lower()})

    assert response.status_code == 400
    assert response.json() == {"id_number": ["该身份证号已登记。"]}


def test_an_id_number_is_stored_trimmed_and_in_upper_case(clerk):
    id_number = id_number_ending_in_x()

    response = clerk.post(PERSON_URL, {**new_person_data(VILLAGE), "id_number": f"  {id_number.lower()} "})

    assert response.status_code == 201
    assert Person.objects.get().id_number == id_number


@pytest.mark.parametrize(
    ("code", "fragment"),
    [("440605124099", "不存在"), ("abc", "不存在"), ("9" * 5000, "不存在"), (TOWN, "村")],
    ids=["unknown village", "malformed", "huge", "a town, not a village"],
)
def test_a_person_needs_an_existing_village_or_cooperative(clerk, code, fragment):
    response = clerk.post(PERSON_URL, new_person_data(code))

    assert response.status_code == 400
    assert list(response.json()) == ["division"]
    assert fragment in response.json()["division"][0]


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"name": ["张三"]}, ["name"]),
        ({"name": {"given": "三"}}, ["name"]),
        ({"division": {"code": VILLAGE}}, ["division"]),
        ({"household": "abc"}, ["household"]),
        ({"household": 10**30}, ["household"]),
        ({"phone": 13812345678.5}, ["phone"]),
        ({"name": "张" * 10000}, ["name"]),
        ({"phone": "1" * 10000}, ["phone"]),
        ({"id_number": "1" * 10000}, ["id_number"]),
        ({"name": None, "division": None}, ["division", "name"]),
    ],
    ids=[
        "name as a list",
        "name as an object",
        "division as an object",
        "household as text",
        "household beyond bigint",
        "phone as a float",
        "huge name",
        "huge phone",
        "huge id number",
        "nulls",
    ],
)
def test_input_of_the_wrong_type_or_size_is_a_field_error(clerk, changes, fields):
    response = clerk.post(PERSON_URL, {**new_person_data(VILLAGE), **changes})

    assert response.status_code == 400, response.content[:300]
    assert sorted(response.json()) == fields
    assert all(isinstance(messages, list) and messages for messages in response.json().values())
    assert not Person.objects.exists()


def test_a_phone_number_that_is_neither_mobile_nor_landline_is_a_field_error_in_chinese(clerk):
    response = clerk.post(PERSON_URL, new_person_data(VILLAGE, phone="12345"))

    assert response.status_code == 400
    assert list(response.json()) == ["phone"]
    assert response.json()["phone"][0].startswith("电话号码应为11位手机号")
    assert not Person.objects.filter(name="新登记村民").exists()


def test_unknown_and_read_only_fields_are_ignored(clerk):
    data = {**new_person_data(VILLAGE), "colour": "blue", "gender": "unknown", "birth_date": "1900-01-01"}

    response = clerk.post(PERSON_URL, data)

    assert response.status_code == 201
    person = Person.objects.get()
    # derived from the ID number: born 1990-06-15, sequence 001 (odd: male)
    assert (person.gender, person.birth_date) == ("male", datetime.date(1990, 6, 15))


def test_a_body_that_is_not_json_is_a_400(clerk):
    response = clerk.generic("POST", PERSON_URL, "{not json", content_type="application/json")

    assert response.status_code == 400
    assert "detail" in response.json()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"started_on": "2021-02-30"}, "started_on"),
        ({"started_on": "yesterday"}, "started_on"),
        ({"started_on": "2024-01-01", "ended_on": "2023-12-31"}, "ended_on"),
        ({"kind": "emperor"}, "kind"),
        ({"kind": "cooperative_head"}, "division"),
    ],
    ids=["30 February", "a word", "ended before it started", "an unknown kind", "a kind of another level"],
)
def test_a_position_with_bad_dates_or_kind_is_a_field_error(world, client_for, changes, field):
    person = PersonFactory(division=division(VILLAGE))
    data = {"person": person.pk, "division": VILLAGE, "kind": "reserve_cadre", "started_on": "2024-01-01", **changes}

    response = client_for(world.user("village_clerk")).post("/api/v1/positions/", data)

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert not Position.objects.exists()


def test_a_second_current_cooperative_head_is_a_field_error_and_editing_the_sitting_one_is_not(world, client_for):
    sitting = PositionFactory(division=division(COOPERATIVE), kind=PositionKind.COOPERATIVE_HEAD)
    person = PersonFactory(division=division(COOPERATIVE))
    client = client_for(world.user("village_clerk"))

    second = client.post(
        "/api/v1/positions/",
        {"person": person.pk, "division": COOPERATIVE, "kind": "cooperative_head", "started_on": "2026-03-01"},
    )
    edit = client.patch(f"/api/v1/positions/{sitting.pk}/", {"term_ends_on": "2029-02-28"})

    assert second.status_code == 400
    assert list(second.json()) == ["kind"]
    assert edit.status_code == 200


@pytest.mark.parametrize(
    ("url", "query", "status"),
    [
        ("/api/v1/divisions/", {"level": "galaxy"}, 400),
        (PERSON_URL, {"household": "abc"}, 400),
        (PERSON_URL, {"gender": "other"}, 400),
        (PERSON_URL, {"search": "张" * 5000}, 200),
        (PERSON_URL, {"division": "'; --"}, 200),
        ("/api/v1/divisions/", {"code_prefix": "x" * 5000}, 200),
    ],
    ids=["unknown level", "household as text", "unknown gender", "huge search", "quote", "huge prefix"],
)
def test_a_bad_filter_is_a_field_error_or_matches_nothing(world, client_for, url, query, status):
    PersonFactory(division=division(VILLAGE))

    response = client_for(world.user("district_admin")).get(url, query)

    assert response.status_code == status
    if status == 400:
        assert list(response.json()) == list(query)
    else:
        assert response.json()["results"] == []


# --- 5. Personal data is masked unless the caller may see it there --------------------------

# Roles holding villages.view_personal_data_person over the cooperative's people.
PERSONAL_DATA_ROLES = {"district_admin", "village_clerk", "coop_clerk"}


def masked_id_number(id_number: str) -> str:
    return f"{id_number[:6]}********{id_number[-4:]}"  # 440605********1234


def masked_mobile(phone: str) -> str:
    return f"{phone[:3]}****{phone[-4:]}"  # 138****5678, for an 11-digit mobile number


@pytest.mark.parametrize("role", sorted(PEOPLE_VIEWERS))
def test_id_numbers_and_phones_are_masked_in_lists_and_details_unless_the_role_may_see_personal_data(
    world, client_for, role
):
    person = PersonFactory(division=division(COOPERATIVE), phone="13812345678")
    client = client_for(world.user(role))

    [listed] = client.get(PERSON_URL).json()["results"]
    detail = client.get(f"{PERSON_URL}{person.pk}/").json()

    if role in PERSONAL_DATA_ROLES:
        expected = (person.id_number, "13812345678")
    else:
        expected = (masked_id_number(person.id_number), "138****5678")
    assert (listed["id_number"], listed["phone"]) == expected
    assert (detail["id_number"], detail["phone"]) == expected


def test_personal_data_is_shown_per_division_to_a_user_with_two_assignments(world, client_for):
    clerk = world.user("village_clerk")
    assign(clerk, OTHER_TOWN, "inspector")
    own = PersonFactory(division=division(VILLAGE), phone="13800000001")
    inspected = PersonFactory(division=division(OTHER_TOWN_VILLAGE), phone="13800000002")

    rows = {row["id"]: row for row in client_for(clerk).get(PERSON_URL).json()["results"]}

    assert (rows[own.pk]["id_number"], rows[own.pk]["phone"]) == (own.id_number, "13800000001")
    assert (rows[inspected.pk]["id_number"], rows[inspected.pk]["phone"]) == (
        masked_id_number(inspected.id_number),
        masked_mobile("13800000002"),
    )


# --- 4. Query counts do not grow with the rows ----------------------------------------------


NEW_TOWN = "440605125"  # a town of the district with no villages yet


def add_villages_to_new_town(count: int) -> None:
    """Villages under NEW_TOWN, numbered after those already there, each with a party secretary."""
    start = Division.objects.filter(parent_id=NEW_TOWN).count() + 1
    for number in range(start, start + count):
        village = division(f"{NEW_TOWN}{number:03d}")
        PositionFactory(division=village, kind=PositionKind.PARTY_SECRETARY)


def add_people(count: int) -> None:
    places = [VILLAGE, COOPERATIVE, OTHER_VILLAGE_SAME_TOWN, OTHER_TOWN_VILLAGE]
    for n in range(count):
        code = places[n % len(places)]
        PersonFactory(division=division(code), household=HouseholdFactory(division=division(code)))


def add_households(count: int) -> None:
    for n in range(count):
        household = HouseholdFactory(division=division(VILLAGE if n % 2 else OTHER_TOWN_VILLAGE))
        household.head = PersonFactory(division=household.division, household=household)
        household.save()


def add_positions(count: int) -> None:
    for n in range(count):
        PositionFactory(division=division(VILLAGE if n % 2 else OTHER_TOWN_VILLAGE))


class History:
    """A person whose history grows by one update event per added row."""

    def __init__(self):
        self.person = None

    def add(self, count: int) -> None:
        if self.person is None:
            self.person = PersonFactory(division=division(VILLAGE))
            count -= 1
        for n in range(count):
            self.person.phone = f"1390000{n:04d}"
            self.person.save()

    def url(self) -> str:
        return f"{PERSON_URL}{self.person.pk}/history/"


# Every list: the caller's grants (1), the page's count (1) and the page itself (1), related
# columns joined or annotated, personal-data masking decided from the cached grants; the detail
# routes (children, history) also read their object (1).
PINNED_QUERIES = {
    "divisions": 3,
    "children": 4,
    "people": 3,
    "people, masked": 3,
    "households": 3,
    "positions": 3,
    "history": 4,
}


def list_cases():
    history = History()
    return {
        "divisions": ("district_admin", lambda: "/api/v1/divisions/", {"parent": NEW_TOWN}, add_villages_to_new_town),
        "children": ("district_admin", lambda: f"/api/v1/divisions/{NEW_TOWN}/children/", {}, add_villages_to_new_town),
        "people": ("district_admin", lambda: PERSON_URL, {}, add_people),
        "people, masked": ("inspector", lambda: PERSON_URL, {}, add_people),
        "households": ("district_admin", lambda: "/api/v1/households/", {}, add_households),
        "positions": ("district_admin", lambda: "/api/v1/positions/", {}, add_positions),
        "history": ("district_admin", history.url, {}, history.add),
    }


@pytest.mark.parametrize("name", list(PINNED_QUERIES))
def test_a_list_costs_the_same_number_of_queries_for_1_row_and_for_100(world, name):
    role, url, params, add_rows = list_cases()[name]

    add_rows(1)
    queries_for_1, rows_1 = queries_and_rows(client_as(role), url(), {**params, "page_size": 1000})
    add_rows(99)
    queries_for_100, rows_100 = queries_and_rows(client_as(role), url(), {**params, "page_size": 1000})

    assert (rows_1, rows_100) == (1, 100)
    assert queries_for_1 == queries_for_100
    assert queries_for_100 == PINNED_QUERIES[name]


# --- 9. The divisions contract (docs/api.md) ------------------------------------------------


def test_a_division_is_addressed_by_its_code_with_its_name_level_and_parent_code(world, client_for):
    response = client_for(world.user("district_admin")).get(f"/api/v1/divisions/{TOWN}/")

    assert response.status_code == 200
    body = response.json()
    assert {key: body[key] for key in ("code", "name", "level", "parent")} == {
        "code": TOWN,
        "name": "狮山镇",
        "level": "town",
        "parent": DISTRICT,
    }


def test_a_province_has_no_parent(world, client_for, django_user_model):
    superuser = django_user_model.objects.create_superuser("root", password="x")

    body = client_for(superuser).get("/api/v1/divisions/44/").json()

    assert (body["code"], body["level"], body["parent"]) == ("44", "province", None)


@pytest.mark.parametrize(
    "code", ["abc", "4406051240011234567", "44%25", "44_", "%00"], ids=["letters", "too long", "%", "_", "NUL"]
)
def test_a_malformed_division_code_in_the_url_is_a_json_404(world, client_for, code):
    response = client_for(world.user("district_admin")).get(f"/api/v1/divisions/{code}/")

    assert response.status_code == 404
    assert "detail" in response.json()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"level": "village"}, {VILLAGE, OTHER_VILLAGE_SAME_TOWN, OTHER_TOWN_VILLAGE}),
        ({"parent": TOWN}, {VILLAGE, OTHER_VILLAGE_SAME_TOWN}),
        ({"code_prefix": VILLAGE}, {VILLAGE, COOPERATIVE, f"{VILLAGE}002"}),
        ({"search": "罗村"}, {VILLAGE}),
        ({"level": "cooperative", "code_prefix": VILLAGE}, {COOPERATIVE, f"{VILLAGE}002"}),
    ],
    ids=["level", "parent", "code prefix", "search by name", "level and prefix"],
)
def test_the_division_list_filters_by_level_parent_code_prefix_and_name(world, client_for, query, expected):
    response = client_for(world.user("district_admin")).get("/api/v1/divisions/", query)

    assert response.status_code == 200
    assert {row["code"] for row in response.json()["results"]} == expected


def test_the_division_list_filters_only_within_the_jurisdiction(world, client_for):
    response = client_for(world.user("town_official")).get("/api/v1/divisions/", {"level": "village"})

    assert {row["code"] for row in response.json()["results"]} == {VILLAGE, OTHER_VILLAGE_SAME_TOWN}


def test_a_household_cannot_be_registered_at_town_level(db, django_db_blocker):
    from governance.testing.factories import UserFactory, assign
    from governance.testing.schema import SchemaCheckedAPIClient as APIClient
    from governance.testing.world import TOWN
    from villages.models import Household
    from villages.testing.world import build_world

    build_world()
    admin = UserFactory(username="household_admin")
    assign(admin, "440605", "district_admin")
    client = APIClient()
    client.force_authenticate(admin)
    response = client.post("/api/v1/households/", {"division": TOWN, "number": "H1"}, format="json")
    assert response.status_code == 400
    assert "division" in response.json()
    assert not Household.objects.exists()


def test_a_household_keeps_its_own_number_when_edited_and_cannot_take_a_neighbours(world, client_for):
    own = HouseholdFactory(division=division(VILLAGE), number="H-0001")
    HouseholdFactory(division=division(VILLAGE), number="H-0002")
    client = client_for(world.user("village_clerk"))

    kept = client.patch(f"/api/v1/households/{own.pk}/", {"number": "H-0001", "address": "新地址"})
    taken = client.patch(f"/api/v1/households/{own.pk}/", {"number": "H-0002"})

    assert kept.status_code == 200
    assert taken.status_code == 400 and list(taken.json()) == ["number"]


def test_positions_tied_on_division_kind_and_start_are_listed_by_id_so_pages_never_overlap(world, client_for):
    tied = [PositionFactory(division=division(VILLAGE)).pk for _ in range(5)]
    # Updated in reverse, so that the table's physical order is not the id's.
    for pk in reversed(tied):
        Position.objects.filter(pk=pk).update(term_ends_on=datetime.date(2026, 2, 27))
    client = client_for(world.user("village_clerk"))
    # Rows read in the table's order and sorted, as the planner may choose for a large scope:
    # the order by index would hand ties over by id whatever the ordering says.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_indexscan = off; SET LOCAL enable_bitmapscan = off")

    pages = [
        [row["id"] for row in client.get("/api/v1/positions/", {"page_size": 2, "page": page}).json()["results"]]
        for page in (1, 2, 3)
    ]

    assert pages == [tied[0:2], tied[2:4], tied[4:5]]
