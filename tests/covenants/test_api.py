"""The covenants API: access matrices, the violation workflow's actions, sanctions, the
eligibility question (docs/api.md, "Covenants" and "Eligibility") and pinned query counts."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from covenants.api.views import EligibilityThrottle
from covenants.choices import VersionStatus
from covenants.models import Clause, EligibilityQuery, Violation
from covenants.testing.factories import (
    ClauseFactory,
    CovenantFactory,
    CovenantVersionFactory,
    ViolationFactory,
    published_covenant,
    repeat_violations,
)
from governance.clock import today
from governance.testing.api import (
    ANONYMOUS,
    CALLERS,
    APIViewTestCases,
    client_as,
    in_jurisdiction,
    queries_and_rows,
    results_of,
)
from governance.testing.factories import UserFactory, assign
from governance.testing.fixtures import OUTSIDER
from governance.testing.world import (
    COOPERATIVE,
    FAR_VILLAGE,
    OTHER_TOWN_VILLAGE,
    OTHER_VILLAGE_SAME_TOWN,
    VILLAGE,
)
from villages.identity import id_check_character, make_id_number
from villages.testing.factories import PersonFactory, division

D = datetime.date
CHINESE = re.compile(r"[\u4e00-\u9fff]")

TEXT_VIEWERS = {"district_admin", "town_official", "village_clerk", "inspector", "report_reader"}
VIOLATION_VIEWERS = {"district_admin", "town_official", "village_clerk", "inspector"}
VIOLATION_RECORDERS = {"district_admin", "town_official", "village_clerk"}
QUERY_LOG_VIEWERS = {"district_admin", "town_official", "village_clerk", "inspector"}

# Covenants, their clauses and violations lie in a village (the covenant's): (inside, outside)
# the caller's jurisdiction. A cooperative clerk's jurisdiction holds no village, so the
# matrices of village-level records leave that role out (a test below says what it sees).
VILLAGE_PLACES = {
    "district_admin": (OTHER_TOWN_VILLAGE, FAR_VILLAGE),
    "town_official": (OTHER_VILLAGE_SAME_TOWN, OTHER_TOWN_VILLAGE),
    "village_clerk": (VILLAGE, OTHER_VILLAGE_SAME_TOWN),
    "grid_worker": (VILLAGE, OTHER_VILLAGE_SAME_TOWN),
    "inspector": (VILLAGE, FAR_VILLAGE),
    "report_reader": (OTHER_TOWN_VILLAGE, FAR_VILLAGE),
    OUTSIDER: (VILLAGE, FAR_VILLAGE),
    ANONYMOUS: (VILLAGE, FAR_VILLAGE),
}
VILLAGE_LEVEL_CALLERS = tuple(who for who in CALLERS if who != "coop_clerk")


@pytest.fixture(autouse=True)
def no_throttle_history(settings, request):
    """The throttle counts requests in the "throttle" cache (Redis when REDIS_URL is set, as in
    CI): here a local-memory cache of each test's own, so that every test starts with none counted,
    whatever the tests before it asked, and no test empties a shared Redis."""
    settings.CACHES = {
        **settings.CACHES,
        "throttle": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": request.node.nodeid},
    }
    cache.clear()
    yield
    cache.clear()


class VillageLevelRecords:
    """The matrix of a record that lies in a village: one object per village of VILLAGE_PLACES."""

    places = VILLAGE_PLACES

    def build_objects(self, world):
        codes = sorted({code for pair in self.places.values() for code in pair})
        return {code: self.make_object(code) for code in codes}

    def pytest_generate_tests(self, metafunc):
        if "who" in metafunc.fixturenames:
            metafunc.parametrize("who", VILLAGE_LEVEL_CALLERS)
        if "where" in metafunc.fixturenames:
            metafunc.parametrize("where", ("inside", "outside"))


def a_clause_in_force(code: str, **fields) -> Clause:
    version = CovenantVersionFactory(covenant=CovenantFactory(division=division(code)), number=1)
    return ClauseFactory(version=version, number=1, **fields)


# --- 1. Access matrices ----------------------------------------------------------------------------


class TestClauseAccess(
    VillageLevelRecords,
    APIViewTestCases.ListTests,
    APIViewTestCases.RetrieveTests,
    APIViewTestCases.HistoryTests,
):
    basename = "clause"
    model = Clause
    viewers = TEXT_VIEWERS

    def make_object(self, code):
        return a_clause_in_force(code)


class TestViolationAccess(
    VillageLevelRecords,
    APIViewTestCases.ListTests,
    APIViewTestCases.RetrieveTests,
    APIViewTestCases.HistoryTests,
    APIViewTestCases.CreateTests,
):
    basename = "violation"
    model = Violation
    viewers = VIOLATION_VIEWERS
    adders = VIOLATION_RECORDERS

    def make_object(self, code):
        return ViolationFactory(clause=a_clause_in_force(code))

    def create_data(self, code, scenario, who):
        known = scenario.objects[code]
        return {
            "id_number": known.person.id_number,
            "clause": known.clause_id,
            "occurred_on": "2025-06-01",
            "facts": "占用集体土地堆放杂物。",
            "severity": "minor",
        }

    def test_a_record_is_created_only_inside_the_jurisdiction_of_a_role_that_may_add(self, scenario, who, where, db):
        """Outside the jurisdiction the person and the clause are not found: 400 naming both
        fields, the same answer as for numbers that exist nowhere (nothing leaks), not 404."""
        code = self.place(who, where)
        rows_before = Violation.objects.count()

        response = client_as(who).post(self.list_url(), self.create_data(code, scenario, who), format="json")

        if who == ANONYMOUS:
            expected = 401
        elif who not in self.adders:
            expected = 403
        elif not in_jurisdiction(who, code):
            expected = 400
        else:
            expected = 201
        assert response.status_code == expected, response.content[:500]
        if expected == 201:
            assert Violation.objects.count() == rows_before + 1
            assert Violation.objects.get(pk=response.json()["id"]).scope_code() == code
        else:
            assert Violation.objects.count() == rows_before
        if expected == 400:
            assert set(response.json()) == {"id_number", "clause"}


class TestEligibilityQueryAccess(
    APIViewTestCases.ListTests,
    APIViewTestCases.RetrieveTests,
    APIViewTestCases.HistoryTests,
):
    basename = "eligibilityquery"
    model = EligibilityQuery
    viewers = QUERY_LOG_VIEWERS

    def make_object(self, code):
        return EligibilityQuery.objects.create(
            asked_by=UserFactory(),
            person=PersonFactory(division=division(code)),
            action="election",
            on=D(2026, 1, 5),
            eligible=True,
        )


def test_a_cooperative_clerk_sees_no_violation_of_the_village_above_the_cooperative(world):
    clause = published_covenant(VILLAGE).clauses.get(number=1)
    violation = ViolationFactory(clause=clause, person=PersonFactory(division=division(COOPERATIVE)))
    client = client_as("coop_clerk")

    assert results_of(client.get("/api/v1/violations/")) == []
    assert client.get(f"/api/v1/violations/{violation.pk}/").status_code == 404
    # The clauses in force bind the cooperative's members: its clerk reads them (not the violations).
    assert {row["id"] for row in results_of(client.get("/api/v1/clauses/"))} == set(
        clause.version.clauses.values_list("pk", flat=True)
    )


# --- 2. Clauses, covenants, versions -------------------------------------------------------------


def test_the_clauses_of_a_village_are_those_of_its_published_versions_with_their_covenants_kind(world):
    version = published_covenant(VILLAGE)
    draft = CovenantVersionFactory(covenant=version.covenant, number=2, status=VersionStatus.DRAFT)
    ClauseFactory(version=draft, number=1, text="草稿条款。")
    a_clause_in_force(OTHER_VILLAGE_SAME_TOWN)

    response = client_as("town_official").get("/api/v1/clauses/", {"division": VILLAGE})

    assert response.status_code == 200
    rows = results_of(response)
    assert [row["number"] for row in rows] == [1, 2, 3, 4]
    first = rows[0]
    assert first["text"] == "不得侵占集体资产。"
    assert first["kind"] == "general"
    assert first["covenant"] == version.covenant_id and first["version"] == version.pk
    assert first["covenant_title"] == version.covenant.title
    assert first["bars_asset_bidding"] is True and first["bars_election"] is True


def test_the_clauses_are_filtered_by_the_kind_of_their_covenant(world):
    published_covenant(VILLAGE)
    parking = CovenantFactory(division=division(VILLAGE), kind="parking", title="停车公约")
    ClauseFactory(version=CovenantVersionFactory(covenant=parking, number=1), number=1, text="按位停车。")

    rows = results_of(client_as("village_clerk").get("/api/v1/clauses/", {"kind": "parking"}))

    assert [(row["kind"], row["text"]) for row in rows] == [("parking", "按位停车。")]


def test_a_covenant_names_its_version_in_force_and_a_version_lists_its_clauses(world):
    version = published_covenant(VILLAGE)
    client = client_as("village_clerk")

    covenant = client.get(f"/api/v1/covenants/{version.covenant_id}/").json()
    shown = client.get(f"/api/v1/covenant-versions/{version.pk}/").json()

    assert covenant["version_in_force"] == version.pk and covenant["kind"] == "general"
    assert shown["status"] == "published"
    assert [clause["number"] for clause in shown["clauses"]] == [1, 2, 3, 4]


def test_a_version_is_submitted_by_a_clerk_and_reviewed_by_someone_else(world):
    covenant = CovenantFactory(division=division(VILLAGE))
    draft = CovenantVersionFactory(covenant=covenant, number=1, status=VersionStatus.DRAFT)
    ClauseFactory(version=draft, number=1)
    url = f"/api/v1/covenant-versions/{draft.pk}/move/"

    submitted = client_as("village_clerk").post(url, {"to": "submitted", "on": "2026-01-05"}, format="json")
    own_review = client_as("village_clerk").post(url, {"to": "under_review"}, format="json")
    review = client_as("district_admin").post(url, {"to": "under_review", "comment": "请补充"}, format="json")
    wrong_step = client_as("district_admin").post(url, {"to": "published"}, format="json")

    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert own_review.status_code == 403
    assert review.status_code == 200 and review.json()["status"] == "under_review"
    assert wrong_step.status_code == 400 and CHINESE.search(wrong_step.json()["status"][0])


def test_the_departments_reviewer_opens_and_reviews_a_version_of_its_kind_through_the_api_and_no_other(world):
    from covenants.choices import CovenantKind
    from governance.testing.factories import join_department
    from governance.testing.schema import SchemaCheckedAPIClient as APIClient
    from governance.testing.world import DISTRICT

    general = CovenantFactory(division=division(VILLAGE))
    draft = CovenantVersionFactory(covenant=general, number=1, status=VersionStatus.DRAFT)
    ClauseFactory(version=draft, number=1)
    homestead = CovenantFactory(division=division(VILLAGE), kind=CovenantKind.HOMESTEAD, title="宅基地专项公约")
    other = CovenantVersionFactory(covenant=homestead, number=1, status=VersionStatus.DRAFT)
    reviewer = UserFactory(username="civil_affairs_reviewer")  # no assignment anywhere
    join_department(reviewer, DISTRICT, "civil_affairs")
    client_as("village_clerk").post(f"/api/v1/covenant-versions/{draft.pk}/move/", {"to": "submitted"}, format="json")
    client = APIClient()
    client.force_authenticate(reviewer)

    shown = client.get(f"/api/v1/covenant-versions/{draft.pk}/")
    review = client.post(f"/api/v1/covenant-versions/{draft.pk}/move/", {"to": "under_review"}, format="json")

    assert shown.status_code == 200 and shown.json()["clauses"]
    assert review.status_code == 200 and review.json()["status"] == "under_review"
    assert client.get(f"/api/v1/covenant-versions/{other.pk}/").status_code == 404
    assert [row["id"] for row in client.get("/api/v1/covenant-versions/").json()["results"]] == [draft.pk]


# --- 3. Violations: recording, the actions, masking ------------------------------------------------


@pytest.fixture
def clause(world):
    return published_covenant(VILLAGE).clauses.get(number=1)


def recorded(clause, **fields):
    """A violation recorded by the village clerk, not yet confirmed."""
    from django.contrib.auth import get_user_model

    clerk = get_user_model().objects.get(username="village_clerk")
    return ViolationFactory(clause=clause, recorded_by=clerk, confirmed_on=None, **fields)


def test_a_clerk_records_a_violation_by_id_number_and_it_is_shown_with_its_clause_and_covenant(clause):
    person = PersonFactory(division=division(COOPERATIVE))

    response = client_as("village_clerk").post(
        "/api/v1/violations/",
        {
            "id_number": person.id_number.lower(),
            "clause": clause.pk,
            "occurred_on": "2025-05-01",
            "facts": "侵占集体道路。",
            "severity": "serious",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["person"] == person.pk and body["person_name"] == person.name
    assert body["id_number"] == person.id_number  # the clerk may see personal data
    assert (body["clause"], body["clause_number"], body["covenant_title"]) == (
        clause.pk,
        1,
        clause.version.covenant.title,
    )
    assert body["division"] == VILLAGE and body["severity"] == "serious" and body["confirmed_on"] is None
    assert Violation.objects.get(pk=body["id"]).recorded_by.username == "village_clerk"


def test_an_unknown_id_number_and_one_outside_the_jurisdiction_get_the_same_chinese_field_error(clause):
    elsewhere = PersonFactory(division=division(OTHER_VILLAGE_SAME_TOWN))
    client = client_as("village_clerk")
    data = {"clause": clause.pk, "occurred_on": "2025-05-01", "facts": "事实。"}

    unknown = client.post("/api/v1/violations/", {**data, "id_number": "440605199001011234"}, format="json")
    outside = client.post("/api/v1/violations/", {**data, "id_number": elsewhere.id_number}, format="json")

    assert unknown.status_code == outside.status_code == 400
    assert unknown.json() == outside.json()
    assert list(unknown.json()) == ["id_number"] and CHINESE.search(unknown.json()["id_number"][0])


def test_a_clause_outside_the_jurisdiction_does_not_exist_for_the_caller(clause):
    person = PersonFactory(division=division(VILLAGE))
    foreign = a_clause_in_force(OTHER_VILLAGE_SAME_TOWN)

    response = client_as("village_clerk").post(
        "/api/v1/violations/",
        {"id_number": person.id_number, "clause": foreign.pk, "occurred_on": "2025-05-01", "facts": "事实。"},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["clause"] and CHINESE.search(response.json()["clause"][0])


def test_bad_input_for_a_violation_gets_chinese_errors_on_each_field(clause):
    person = PersonFactory(division=division(VILLAGE))
    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()

    bad = client_as("village_clerk").post(
        "/api/v1/violations/",
        {"id_number": person.id_number, "clause": clause.pk, "occurred_on": "01/05/2025", "severity": "grave"},
        format="json",
    )
    future = client_as("village_clerk").post(
        "/api/v1/violations/",
        {"id_number": person.id_number, "clause": clause.pk, "occurred_on": tomorrow, "facts": "事实。"},
        format="json",
    )

    assert bad.status_code == 400
    assert set(bad.json()) == {"occurred_on", "severity", "facts"}
    assert all(CHINESE.search(messages[0]) for messages in bad.json().values())
    assert future.status_code == 400 and CHINESE.search(future.json()["occurred_on"][0])


def test_a_violation_cannot_be_recorded_under_a_clause_not_in_force(world):
    covenant = CovenantFactory(division=division(VILLAGE))
    draft = CovenantVersionFactory(covenant=covenant, number=1, status=VersionStatus.DRAFT)
    clause = ClauseFactory(version=draft, number=1)
    person = PersonFactory(division=division(VILLAGE))

    response = client_as("village_clerk").post(
        "/api/v1/violations/",
        {"id_number": person.id_number, "clause": clause.pk, "occurred_on": "2025-05-01", "facts": "事实。"},
        format="json",
    )

    assert response.status_code == 400 and CHINESE.search(response.json()["clause"][0])


def test_the_recorder_cannot_confirm_their_own_violation_but_a_town_official_can(clause):
    violation = recorded(clause, occurred_on=D(2025, 3, 1))
    url = f"/api/v1/violations/{violation.pk}/confirm/"

    own = client_as("village_clerk").post(url, {"confirmed_on": "2025-03-05"}, format="json")
    town = client_as("town_official").post(url, {"confirmed_on": "2025-03-05", "severity": "serious"}, format="json")

    assert own.status_code == 403
    assert town.status_code == 200, town.content
    assert (town.json()["confirmed_on"], town.json()["severity"]) == ("2025-03-05", "serious")
    violation.refresh_from_db()
    assert violation.confirmed_by.username == "town_official"


def test_another_clerk_of_the_village_may_confirm(clause):
    violation = recorded(clause, occurred_on=D(2025, 3, 1))
    colleague = UserFactory(username="second_clerk")
    assign(colleague, VILLAGE, "village_clerk")

    response = client_as("second_clerk").post(
        f"/api/v1/violations/{violation.pk}/confirm/", {"confirmed_on": "2025-03-02"}, format="json"
    )

    assert response.status_code == 200, response.content


@pytest.mark.parametrize(
    ("who", "expected"),
    [("inspector", 403), ("coop_clerk", 404), ("outsider", 404), ("report_reader", 403), (ANONYMOUS, 401)],
)
def test_confirming_needs_the_right_inside_the_jurisdiction_and_is_404_outside_it(clause, who, expected):
    violation = recorded(clause)

    response = client_as(who).post(
        f"/api/v1/violations/{violation.pk}/confirm/", {"confirmed_on": "2025-03-20"}, format="json"
    )

    assert response.status_code == expected
    violation.refresh_from_db()
    assert violation.confirmed_on is None


def test_a_town_official_cannot_confirm_a_violation_of_another_town(world):
    violation = ViolationFactory(clause=a_clause_in_force(OTHER_TOWN_VILLAGE), confirmed_on=None)

    response = client_as("town_official").post(
        f"/api/v1/violations/{violation.pk}/confirm/", {"confirmed_on": "2025-03-20"}, format="json"
    )

    assert response.status_code == 404


def test_bad_confirmation_input_gets_chinese_field_errors(clause):
    violation = recorded(clause, occurred_on=D(2025, 3, 10))
    url = f"/api/v1/violations/{violation.pk}/confirm/"
    client = client_as("town_official")

    missing = client.post(url, {}, format="json")
    malformed = client.post(url, {"confirmed_on": "2025-13-01", "severity": "grave"}, format="json")
    before = client.post(url, {"confirmed_on": "2025-03-01"}, format="json")

    assert missing.status_code == 400 and list(missing.json()) == ["confirmed_on"]
    assert malformed.status_code == 400 and set(malformed.json()) == {"confirmed_on", "severity"}
    assert before.status_code == 400 and list(before.json()) == ["confirmed_on"]
    for response in (missing, malformed, before):
        assert all(CHINESE.search(messages[0]) for messages in response.json().values())


def test_an_appeal_is_filed_by_the_clerk_and_decided_by_the_town_not_by_the_clerk(clause):
    violation = ViolationFactory(clause=clause, confirmed_on=D(2025, 3, 20))
    base = f"/api/v1/violations/{violation.pk}"

    filed = client_as("village_clerk").post(
        f"{base}/appeal/", {"filed_on": "2025-03-25", "reason": "当事人称未在场。"}, format="json"
    )
    by_clerk = client_as("village_clerk").post(f"{base}/decide-appeal/", {"upheld": True}, format="json")
    decided = client_as("town_official").post(
        f"{base}/decide-appeal/", {"upheld": False, "decided_on": "2025-04-01"}, format="json"
    )
    again = client_as("town_official").post(f"{base}/decide-appeal/", {"upheld": True}, format="json")

    assert filed.status_code == 200 and filed.json()["appeal_filed_on"] == "2025-03-25"
    assert by_clerk.status_code == 403
    assert decided.status_code == 200
    assert (decided.json()["appeal_upheld"], decided.json()["appeal_decided_on"]) == (False, "2025-04-01")
    assert again.status_code == 400 and CHINESE.search(again.json()["upheld"][0])


def test_an_appeal_needs_a_confirmed_violation_and_a_reason(clause):
    violation = recorded(clause)
    url = f"/api/v1/violations/{violation.pk}/appeal/"

    empty = client_as("village_clerk").post(url, {}, format="json")
    unconfirmed = client_as("village_clerk").post(url, {"filed_on": "2025-04-01", "reason": "理由"}, format="json")

    # DESIGN.md section 7: `reason`, and optionally `filed_on`.
    assert empty.status_code == 400 and set(empty.json()) == {"reason"}
    assert unconfirmed.status_code == 400 and CHINESE.search(unconfirmed.json()["filed_on"][0])


def test_an_appeal_without_a_day_is_filed_today(clause):
    violation = ViolationFactory(clause=clause, confirmed_on=today() - datetime.timedelta(days=3))

    filed = client_as("village_clerk").post(
        f"/api/v1/violations/{violation.pk}/appeal/", {"reason": "当事人称未在场。"}, format="json"
    )

    assert filed.status_code == 200
    assert (filed.json()["appeal_filed_on"], filed.json()["appeal_reason"]) == (today().isoformat(), "当事人称未在场。")


def test_a_rectified_violation_says_so_and_cannot_be_rectified_twice(clause):
    violation = ViolationFactory(clause=clause)
    url = f"/api/v1/violations/{violation.pk}/rectify/"

    done = client_as("village_clerk").post(url, {"rectified_on": "2025-04-01"}, format="json")
    twice = client_as("village_clerk").post(url, {"rectified_on": "2025-04-02"}, format="json")
    by_inspector = client_as("inspector").post(url, {"rectified_on": "2025-04-02"}, format="json")

    assert done.status_code == 200 and done.json()["rectified_on"] == "2025-04-01"
    assert twice.status_code == 400 and CHINESE.search(twice.json()["rectified_on"][0])
    assert by_inspector.status_code == 403


def test_a_violation_is_neither_edited_nor_deleted_through_the_api(clause):
    violation = ViolationFactory(clause=clause)
    client = client_as("district_admin")

    assert client.patch(f"/api/v1/violations/{violation.pk}/", {"facts": "改"}, format="json").status_code == 405
    assert client.delete(f"/api/v1/violations/{violation.pk}/").status_code == 405


def test_id_numbers_of_violators_are_masked_unless_the_caller_may_see_personal_data(clause):
    violation = ViolationFactory(clause=clause)

    by_inspector = client_as("inspector").get(f"/api/v1/violations/{violation.pk}/").json()
    by_clerk = client_as("village_clerk").get(f"/api/v1/violations/{violation.pk}/").json()

    assert by_inspector["id_number"] != violation.person.id_number and "*" in by_inspector["id_number"]
    assert by_inspector["id_number"][-4:] == violation.person.id_number[-4:]
    assert by_clerk["id_number"] == violation.person.id_number


def test_a_second_violation_of_the_covenant_within_twelve_months_is_marked_a_repeat(clause):
    person = PersonFactory(division=division(VILLAGE))
    first = ViolationFactory(clause=clause, person=person, occurred_on=D(2025, 1, 10), confirmed_on=D(2025, 1, 20))
    second = ViolationFactory(clause=clause, person=person, occurred_on=D(2025, 6, 1), confirmed_on=D(2025, 6, 5))

    rows = results_of(client_as("town_official").get("/api/v1/violations/", {"person": person.pk}))

    assert {row["id"]: row["repeat"] for row in rows} == {first.pk: False, second.pk: True}


def test_violations_are_filtered_by_division_person_severity_and_confirmation(world):
    clause = published_covenant(VILLAGE).clauses.get(number=1)
    serious = ViolationFactory(clause=clause, severity="serious")
    pending = ViolationFactory(clause=clause, confirmed_on=None)
    other = ViolationFactory(clause=a_clause_in_force(OTHER_VILLAGE_SAME_TOWN))
    client = client_as("town_official")

    def ids(**params):
        return {row["id"] for row in results_of(client.get("/api/v1/violations/", params))}

    assert ids(division=VILLAGE) == {serious.pk, pending.pk}
    assert ids(division=OTHER_VILLAGE_SAME_TOWN) == {other.pk}
    assert ids(severity="serious") == {serious.pk}
    assert ids(confirmed="false") == {pending.pk}
    assert ids(confirmed="true") == {serious.pk, other.pk}
    assert ids(person=pending.person_id) == {pending.pk}


# --- 4. Sanctions ----------------------------------------------------------------------------------


def test_a_persons_sanctions_are_listed_with_their_dates_and_whether_they_are_in_force(clause):
    _first, violation = repeat_violations(clause=clause, confirmed_on=D(2024, 2, 29))

    response = client_as("town_official").get("/api/v1/sanctions/", {"person": violation.person_id, "on": "2025-01-01"})

    assert response.status_code == 200, response.content
    [row] = results_of(response)
    assert row["person"] == violation.person_id
    by_kind = {s["kind"]: s for s in row["sanctions"]}
    assert (by_kind["election_bar"]["starts_on"], by_kind["election_bar"]["ends_on"]) == ("2024-02-29", "2029-03-01")
    assert by_kind["asset_bidding_bar"]["ends_on"] == "2027-03-01"
    assert by_kind["election_bar"]["in_force"] and by_kind["asset_bidding_bar"]["in_force"]
    assert by_kind["award_withheld"]["in_force"] is False  # the award of 2024, asked in 2025
    election = by_kind["election_bar"]
    assert (election["violation"], election["clause"], election["clause_number"]) == (violation.pk, clause.pk, 1)
    assert election["covenant_title"] == clause.version.covenant.title
    assert (election["tier"], by_kind["nomination_bar"]["ends_on"]) == ("repeat", "2029-03-01")
    assert election["text"].startswith("屡教不改（12个月内第2次违反《")


def test_a_serious_single_violation_is_listed_with_its_referral_and_no_bar(clause):
    violation = ViolationFactory(
        clause=clause, severity="serious", occurred_on=D(2025, 3, 1), confirmed_on=D(2025, 3, 15)
    )

    response = client_as("town_official").get("/api/v1/sanctions/", {"person": violation.person_id, "on": "2025-06-01"})

    [row] = results_of(response)
    by_kind = {s["kind"]: s for s in row["sanctions"]}
    assert set(by_kind) == {"award_withheld", "referral"}
    assert (by_kind["referral"]["tier"], by_kind["referral"]["in_force"]) == ("serious", True)
    assert by_kind["referral"]["text"].startswith("情节较为严重：移送相关部门处理")


def test_sanctions_of_a_division_list_only_people_in_the_callers_jurisdiction(clause):
    inside = ViolationFactory(clause=clause, severity="serious")
    ViolationFactory(clause=a_clause_in_force(OTHER_VILLAGE_SAME_TOWN), severity="serious")
    ViolationFactory(clause=clause, confirmed_on=None)  # recorded only: no sanction

    mine = results_of(client_as("village_clerk").get("/api/v1/sanctions/", {"on": "2025-06-01"}))
    elsewhere = results_of(client_as("village_clerk").get("/api/v1/sanctions/", {"division": OTHER_VILLAGE_SAME_TOWN}))

    assert [row["person"] for row in mine] == [inside.person_id]
    assert elsewhere == []


def test_a_bad_day_for_sanctions_is_a_chinese_field_error(world):
    response = client_as("town_official").get("/api/v1/sanctions/", {"on": "yesterday"})

    assert response.status_code == 400 and CHINESE.search(response.json()["on"][0])


# --- 5. Eligibility ----------------------------------------------------------------------------------


def ask(who, id_number, action, on):
    return client_as(who).post(
        "/api/v1/eligibility/", {"id_number": id_number, "action": action, "on": on}, format="json"
    )


@pytest.fixture
def barred(clause):
    """A repeat violator (屡教不改) of clause 1, the repeat confirmed on 29 February 2024: the
    second of their violations."""
    return repeat_violations(clause=clause, confirmed_on=D(2024, 2, 29))[1]


@pytest.mark.parametrize("action", ["election", "nomination"])
def test_a_repeat_violator_is_refused_election_and_nomination_with_the_reason_and_the_day_they_are_free_again(
    barred, action
):
    response = ask("town_official", barred.person.id_number, action, "2025-01-01")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["eligible"] is False
    assert body["eligible_from"] == "2029-03-01"
    [reason] = body["reasons"]
    assert reason["sanction"] == f"{action}_bar" and CHINESE.search(reason["sanction_name"])
    assert reason["covenant"] == barred.clause.version.covenant.title
    assert (reason["clause"], reason["clause_id"], reason["violation"]) == (1, barred.clause_id, barred.pk)
    assert (reason["starts_on"], reason["ends_on"]) == ("2024-02-29", "2029-03-01")
    assert (reason["tier"], reason["repeat"], reason["serious"]) == ("repeat", True, False)
    assert reason["text"].startswith("屡教不改（12个月内第2次违反《") and "5年内" in reason["text"]
    assert "2029-03-01" in reason["text"] and "第1条" in reason["text"]


def test_a_repeat_violator_may_bid_for_collective_assets_again_after_three_years(barred):
    refused = ask("town_official", barred.person.id_number, "asset_bidding", "2027-02-28").json()
    allowed = ask("town_official", barred.person.id_number, "asset_bidding", "2027-03-01").json()

    assert (refused["eligible"], refused["eligible_from"]) == (False, "2027-03-01")
    assert allowed == {"eligible": True, "eligible_from": None, "reasons": []}


@pytest.mark.parametrize("action", ["election", "nomination", "asset_bidding"])
def test_a_serious_single_violator_is_not_barred(clause, action):
    violation = ViolationFactory(
        clause=clause, severity="serious", occurred_on=D(2025, 3, 1), confirmed_on=D(2025, 3, 15)
    )

    answer = ask("town_official", violation.person.id_number, action, "2025-03-15").json()

    assert answer == {"eligible": True, "eligible_from": None, "reasons": []}


def test_dividends_are_refused_for_the_year_of_a_violation_of_a_clause_that_withholds_them(clause):
    dividends = ClauseFactory(version=clause.version, number=9, withholds_dividends=True, bars_asset_bidding=False)
    violation = ViolationFactory(clause=dividends, occurred_on=D(2025, 3, 1), confirmed_on=D(2025, 3, 15))

    refused = ask("town_official", violation.person.id_number, "dividends", "2025-12-31").json()
    allowed = ask("town_official", violation.person.id_number, "dividends", "2026-01-01").json()

    assert (refused["eligible"], refused["eligible_from"]) == (False, "2026-01-01")
    assert refused["reasons"][0]["sanction"] == "dividends_withheld"
    assert refused["reasons"][0]["text"].startswith("一般违约：暂停发放集体股份分红")
    assert allowed["eligible"] is True


def test_homestead_allocation_is_refused_until_rectified_with_no_day_given(clause):
    homestead = ClauseFactory(
        version=clause.version, number=9, suspends_homestead_allocation=True, bars_asset_bidding=False
    )
    violation = ViolationFactory(clause=homestead, occurred_on=D(2025, 3, 1), confirmed_on=D(2025, 3, 15))

    before = ask("town_official", violation.person.id_number, "homestead_allocation", "2025-03-14").json()
    refused = ask("town_official", violation.person.id_number, "homestead_allocation", "2026-06-01").json()
    Violation.objects.filter(pk=violation.pk).update(rectified_on=D(2026, 6, 1))
    rectified = ask("town_official", violation.person.id_number, "homestead_allocation", "2026-06-01").json()

    assert before["eligible"] is True
    assert (refused["eligible"], refused["eligible_from"]) == (False, None)
    assert refused["reasons"][0]["sanction"] == "homestead_suspended" and refused["reasons"][0]["ends_on"] is None
    assert rectified["eligible"] is True
    assert EligibilityQuery.objects.filter(action="homestead_allocation").count() == 3


def test_an_eligible_person_gets_yes_with_no_date_and_no_reasons(world):
    person = PersonFactory(division=division(VILLAGE))

    response = ask("village_clerk", person.id_number, "election", "2026-01-05")

    assert response.status_code == 200
    assert response.json() == {"eligible": True, "eligible_from": None, "reasons": []}


def test_an_upheld_appeal_lifts_the_bar(barred):
    base = f"/api/v1/violations/{barred.pk}"
    client_as("village_clerk").post(
        f"{base}/appeal/", {"filed_on": "2024-03-05", "reason": "认定有误。"}, format="json"
    )
    decided = client_as("town_official").post(
        f"{base}/decide-appeal/", {"upheld": True, "decided_on": "2024-04-01"}, format="json"
    )

    answer = ask("town_official", barred.person.id_number, "election", "2025-01-01").json()

    assert decided.status_code == 200
    assert answer == {"eligible": True, "eligible_from": None, "reasons": []}


def test_every_question_is_logged_with_who_asked_about_whom_and_the_answer(barred):
    ask("town_official", barred.person.id_number, "election", "2025-01-01")

    logged = EligibilityQuery.objects.get()
    assert logged.asked_by.username == "town_official" and logged.person == barred.person
    assert (logged.action, logged.on, logged.eligible, logged.eligible_from) == (
        "election",
        D(2025, 1, 1),
        False,
        D(2029, 3, 1),
    )
    rows = results_of(client_as("inspector").get("/api/v1/eligibility-queries/"))
    assert [(row["person"], row["asked_by_name"], row["eligible_from"]) for row in rows] == [
        (barred.person_id, "town_official", "2029-03-01")
    ]
    assert rows[0]["id_number"] != barred.person.id_number  # the inspector sees it masked


def test_an_unknown_or_out_of_scope_id_number_is_404_and_nothing_is_logged(world):
    elsewhere = PersonFactory(division=division(OTHER_VILLAGE_SAME_TOWN))

    outside = ask("village_clerk", elsewhere.id_number, "election", "2026-01-05")
    unknown = ask("village_clerk", make_id_number("440605", D(1990, 1, 1), 123), "election", "2026-01-05")
    by_outsider = ask(OUTSIDER, elsewhere.id_number, "election", "2026-01-05")

    assert outside.status_code == unknown.status_code == by_outsider.status_code == 404
    assert outside.json() == unknown.json()
    assert not EligibilityQuery.objects.exists()
    assert ask(ANONYMOUS, elsewhere.id_number, "election", "2026-01-05").status_code == 401


@pytest.mark.parametrize(
    ("id_number", "wrong"),
    [
        ("44060519900101123", "length"),
        ("4406051990010112345", "length"),
        ("44060519900230123" + id_check_character("44060519900230123"), "birth date"),
        ("44060521000101123" + id_check_character("44060521000101123"), "birth date (in the future)"),
        ("44060519900101123" + ("0" if id_check_character("44060519900101123") != "0" else "1"), "check digit"),
    ],
    ids=["17 characters", "19 characters", "30 February", "born in 2100", "check digit"],
)
def test_a_malformed_id_number_is_400_with_the_fields_message_and_nothing_is_logged(world, id_number, wrong):
    response = ask("village_clerk", id_number, "election", "2026-01-05")

    assert response.status_code == 400, wrong
    assert set(response.json()) == {"id_number"}
    [message] = response.json()["id_number"]
    assert CHINESE.search(message)
    assert not EligibilityQuery.objects.exists()


def test_each_malformed_id_number_says_what_is_wrong_with_it(world):
    def message(id_number):
        return ask("village_clerk", id_number, "election", "2026-01-05").json()["id_number"][0]

    first = "44060519900101123"
    wrong_check = "0" if id_check_character(first) != "0" else "1"

    assert "18位" in message(first)
    assert "出生日期" in message("44060519900230123" + id_check_character("44060519900230123"))
    assert "校验码" in message(first + wrong_check)


def test_a_well_formed_id_number_of_nobody_is_404_not_400(world):
    nobody = make_id_number("440605", D(1990, 1, 1), 123)

    assert ask("village_clerk", nobody, "election", "2026-01-05").status_code == 404
    assert ask("village_clerk", nobody, "nomination", "2026-01-05").status_code == 404


def test_a_bad_action_or_day_is_a_chinese_field_error(world):
    person = PersonFactory(division=division(VILLAGE))

    response = ask("village_clerk", person.id_number, "homestead", "2026-02-30")

    assert response.status_code == 400
    assert set(response.json()) == {"action", "on"}
    assert all(CHINESE.search(messages[0]) for messages in response.json().values())


def test_asking_too_fast_is_refused_with_429(world, monkeypatch):
    monkeypatch.setattr(EligibilityThrottle, "THROTTLE_RATES", {"eligibility": "2/min"})
    person = PersonFactory(division=division(VILLAGE))

    statuses = [ask("village_clerk", person.id_number, "election", "2026-01-05").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


def test_the_eligibility_rate_comes_from_the_settings():
    from rest_framework.settings import api_settings

    assert api_settings.DEFAULT_THROTTLE_RATES["eligibility"] == "60/min"


def test_a_bad_eligibility_rate_stops_the_process(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from governance.settings import env_rate

    monkeypatch.setenv("ELIGIBILITY_RATE", "fast")
    with pytest.raises(ImproperlyConfigured, match="ELIGIBILITY_RATE"):
        env_rate("ELIGIBILITY_RATE", "60/min")
    monkeypatch.setenv("ELIGIBILITY_RATE", "10/hour")
    assert env_rate("ELIGIBILITY_RATE", "60/min") == "10/hour"


# --- 6. Query counts that do not grow with the rows ----------------------------------------------


def add_violations(clause, count, **fields):
    recorder, confirmer = UserFactory(), UserFactory()
    for _ in range(count):
        ViolationFactory(clause=clause, recorded_by=recorder, confirmed_by=confirmer, **fields)


def add_queries(count):
    asker = UserFactory()
    for _ in range(count):
        EligibilityQuery.objects.create(
            asked_by=asker,
            person=PersonFactory(division=division(VILLAGE)),
            action="election",
            on=D(2026, 1, 5),
            eligible=True,
        )


def add_clauses(version, start, count):
    for number in range(start, start + count):
        ClauseFactory(version=version, number=number)


PINNED_QUERIES = {"violations": 4, "clauses": 3, "eligibility-queries": 3, "sanctions": 4}


@pytest.mark.parametrize("name", list(PINNED_QUERIES))
def test_a_list_costs_the_same_number_of_queries_for_1_row_and_for_100(world, name):
    url = reverse(
        {
            "violations": "api:violation-list",
            "clauses": "api:clause-list",
            "eligibility-queries": "api:eligibilityquery-list",
            "sanctions": "api:sanction-list",
        }[name]
    )
    if name == "clauses":
        version = a_clause_in_force(VILLAGE).version
        add_rows = {1: lambda: None, 99: lambda: add_clauses(version, 2, 99)}
    elif name == "eligibility-queries":
        add_rows = {1: lambda: add_queries(1), 99: lambda: add_queries(99)}
    else:
        clause = published_covenant(VILLAGE).clauses.get(number=1)
        add_rows = {1: lambda: add_violations(clause, 1), 99: lambda: add_violations(clause, 99)}

    add_rows[1]()
    queries_for_1, rows_1 = queries_and_rows(client_as("village_clerk"), url, {"page_size": 1000})
    add_rows[99]()
    queries_for_100, rows_100 = queries_and_rows(client_as("village_clerk"), url, {"page_size": 1000})

    assert (rows_1, rows_100) == (1, 100)
    assert queries_for_1 == queries_for_100
    assert queries_for_100 == PINNED_QUERIES[name]


def test_a_confirmed_serious_violation_is_referred_once_and_a_minor_one_never(clause):
    serious = ViolationFactory(clause=clause, severity="serious")
    minor = ViolationFactory(clause=clause)
    client = client_as("village_clerk")
    referral = {"department": "镇综合行政执法办", "referred_on": "2025-04-01"}

    referred = client.post(f"/api/v1/violations/{serious.pk}/refer/", referral, format="json")
    twice = client.post(f"/api/v1/violations/{serious.pk}/refer/", referral, format="json")
    not_serious = client.post(f"/api/v1/violations/{minor.pk}/refer/", referral, format="json")
    by_inspector = client_as("inspector").post(f"/api/v1/violations/{serious.pk}/refer/", referral, format="json")

    assert referred.status_code == 200
    assert referred.json()["referred_to"] == "镇综合行政执法办" and referred.json()["referred_on"] == "2025-04-01"
    assert twice.status_code == 400 and "镇综合行政执法办" in twice.json()["department"][0]
    assert not_serious.status_code == 400 and CHINESE.search(not_serious.json()["department"][0])
    assert by_inspector.status_code == 403
