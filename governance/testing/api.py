"""Declarative access-matrix tests for the scoped REST API, in the manner of NetBox's
utilities/testing/api.py.

A test class for one endpoint says what it is about and which roles may do what inside their
jurisdiction; the base classes generate one test per action × caller × place:

    class TestPeopleAPI(APIViewTestCases.ListTests, APIViewTestCases.RetrieveTests, ...):
        basename = "person"                      # the router's basename: api:person-list
        model = Person
        viewers = {"district_admin", "town_official", ...}
        adders = changers = {"district_admin", "village_clerk", "coop_clerk"}
        update_data = {"name": "改过的名字"}

        def make_object(self, code):             # one object in the division with this code
            return PersonFactory(division=division(code))

        def create_data(self, code, scenario, who):
            return {"name": "新村民", "id_number": ..., "division": code}

The callers are every role of build_world() (each assigned over its home division), the
outsider (signed in, no assignment) and the anonymous caller. The places are, for each caller, a
division inside its jurisdiction and one just outside it (a sibling, the parent above it, or
another district). What every caller should get:

- anonymous: 401, whatever the request;
- a list: exactly the objects that lie in the caller's jurisdiction; 403 for a caller whose roles
  never grant viewing the model (the outsider among them);
- one object (detail, history, other detail routes, update): outside the caller's jurisdiction
  (always, for the outsider) 404, so its existence does not leak; inside it, the success status
  when the role grants the action, else 403;
- create: 403 for a caller whose roles never grant adding the model; inside the jurisdiction 201
  and the row exists where asked; outside it 404 and nothing is written.

The data is built once per test class (world, objects in every place) inside a transaction that
is rolled back after the class; each test runs in its own savepoint on top (pytest-django's `db`).

The world comes from the session fixture `world_builder` (tests/conftest.py), so this module
imports no domain app. Also here, for any test module to import: `client_as(who)` and
`queries_and_rows()` for pinning query counts; the `world` fixture is governance.testing.fixtures'.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.testing.fixtures import OUTSIDER, data_for_a_whole_scope
from governance.testing.schema import SchemaCheckedAPIClient as APIClient
from governance.testing.world import (
    COOPERATIVE,
    DISTRICT,
    FAR_DISTRICT,
    FAR_VILLAGE,
    OTHER_COOPERATIVE_SAME_VILLAGE,
    OTHER_TOWN,
    OTHER_TOWN_VILLAGE,
    OTHER_VILLAGE_SAME_TOWN,
    ROLE_HOME,
    TOWN,
    VILLAGE,
    World,
)

ROLES: tuple[str, ...] = tuple(ROLE_HOME)
ANONYMOUS = "anonymous"
CALLERS: tuple[str, ...] = (*ROLES, OUTSIDER, ANONYMOUS)
WHERE = ("inside", "outside")

CITY = DISTRICT[:4]

# (inside, outside) the caller's jurisdiction, for records registered in a village or cooperative.
RECORD_PLACES: dict[str, tuple[str, str]] = {
    "district_admin": (OTHER_TOWN_VILLAGE, FAR_VILLAGE),
    "town_official": (OTHER_VILLAGE_SAME_TOWN, OTHER_TOWN_VILLAGE),
    "village_clerk": (COOPERATIVE, OTHER_VILLAGE_SAME_TOWN),
    "coop_clerk": (COOPERATIVE, VILLAGE),  # the village above the clerk's cooperative is outside
    "grid_worker": (COOPERATIVE, OTHER_VILLAGE_SAME_TOWN),
    "inspector": (VILLAGE, FAR_VILLAGE),
    "report_reader": (OTHER_TOWN_VILLAGE, FAR_VILLAGE),
    OUTSIDER: (VILLAGE, FAR_VILLAGE),
    ANONYMOUS: (VILLAGE, FAR_VILLAGE),
}

# (inside, outside) for divisions themselves: a descendant or the home, and a sibling or an
# ancestor of the home (a division that contains the jurisdiction is not in it).
DIVISION_PLACES: dict[str, tuple[str, str]] = {
    "district_admin": (VILLAGE, FAR_VILLAGE),
    "town_official": (COOPERATIVE, OTHER_TOWN),
    "village_clerk": (COOPERATIVE, TOWN),
    "coop_clerk": (COOPERATIVE, OTHER_COOPERATIVE_SAME_VILLAGE),
    "grid_worker": (COOPERATIVE, TOWN),
    "inspector": (TOWN, CITY),
    "report_reader": (OTHER_TOWN_VILLAGE, FAR_DISTRICT),
    OUTSIDER: (VILLAGE, FAR_VILLAGE),
    ANONYMOUS: (VILLAGE, FAR_VILLAGE),
}


def client_as(who: str) -> APIClient:
    """An API client signed in (force_authenticate) as the user of a role, or the outsider, or
    nobody. The user is read afresh, so no jurisdiction cached by an earlier request carries over."""
    client = APIClient()
    if who != ANONYMOUS:
        client.force_authenticate(get_user_model().objects.get(username=who))
    return client


def in_jurisdiction(who: str, code: str) -> bool:
    """Whether the division with `code` lies in the subtree the caller is assigned over."""
    home = ROLE_HOME.get(who)
    return home is not None and code.startswith(home)


def queries_and_rows(client: APIClient, url: str, params: dict | None = None) -> tuple[int, int]:
    """The number of database queries one successful GET of a list costs, and its row count."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200, response.content[:500]
    return len(captured), len(results_of(response))


def results_of(response) -> list[dict]:
    """The rows of a list response, paginated or not."""
    body = response.json()
    return body["results"] if isinstance(body, dict) else body


@dataclass
class Scenario:
    """What a test class works on: the world and one object per place (division code)."""

    world: World
    objects: dict[str, Any] = field(default_factory=dict)


class APITestCase:
    """The declarations every endpoint class makes, and the data built once per class."""

    basename: ClassVar[str]  # the router's basename: URLs are api:<basename>-list and -detail
    model: ClassVar[type]
    lookup_kwarg: ClassVar[str] = "pk"
    places: ClassVar[dict[str, tuple[str, str]]] = RECORD_PLACES

    # Roles whose assignments grant the action inside their jurisdiction.
    viewers: ClassVar[frozenset[str] | set[str]] = frozenset()
    adders: ClassVar[frozenset[str] | set[str]] = frozenset()
    changers: ClassVar[frozenset[str] | set[str]] = frozenset()

    def make_object(self, code: str):
        """One object lying in the division with this code."""
        raise NotImplementedError

    def build_objects(self, world: World) -> dict[str, Any]:
        codes = {code for pair in self.places.values() for code in pair}
        codes.add(OTHER_COOPERATIVE_SAME_VILLAGE)  # one more row for the lists to leave out or show
        return {code: self.make_object(code) for code in sorted(codes)}

    def key_of(self, obj) -> Any:
        """How the API names an object: its lookup value."""
        return obj.pk

    def key_of_row(self, row: dict) -> Any:
        return row["id"]

    # --- data built once per class ---------------------------------------------------------

    @pytest.fixture(scope="class")
    @classmethod
    def scenario(cls, django_db_setup, django_db_blocker, world_builder):
        with data_for_a_whole_scope(django_db_blocker):
            world = world_builder()
            yield Scenario(world=world, objects=cls().build_objects(world))

    def pytest_generate_tests(self, metafunc):
        """Every test asking for `who` runs for every caller, `where` for inside and outside."""
        if "who" in metafunc.fixturenames:
            metafunc.parametrize("who", CALLERS)
        if "where" in metafunc.fixturenames:
            metafunc.parametrize("where", WHERE)
        if "detail_action" in metafunc.fixturenames:
            metafunc.parametrize("detail_action", getattr(self, "detail_actions", ()))

    # --- helpers ---------------------------------------------------------------------------

    def list_url(self) -> str:
        return reverse(f"api:{self.basename}-list")

    def detail_url(self, obj, action: str = "detail") -> str:
        return reverse(f"api:{self.basename}-{action}", kwargs={self.lookup_kwarg: self.key_of(obj)})

    def place(self, who: str, where: str) -> str:
        inside, outside = self.places[who]
        assert in_jurisdiction(who, inside) or who in (OUTSIDER, ANONYMOUS), f"{inside} is not inside {who}'s"
        assert not in_jurisdiction(who, outside), f"{outside} is not outside {who}'s jurisdiction"
        return inside if where == "inside" else outside

    def object_at(self, scenario: Scenario, who: str, where: str):
        return scenario.objects[self.place(who, where)]

    def expected_on_one_object(self, who: str, code: str, allowed, success: int) -> int:
        """401 anonymous; 404 outside the jurisdiction; inside: success if allowed, else 403."""
        if who == ANONYMOUS:
            return 401
        if not in_jurisdiction(who, code):
            return 404
        return success if who in allowed else 403


class APIViewTestCases:
    """The generated tests, one mixin per action, to combine in an endpoint's test class."""

    class ListTests(APITestCase):
        def test_a_list_shows_exactly_the_rows_in_the_callers_jurisdiction(self, scenario, who, db):
            response = client_as(who).get(self.list_url(), {"page_size": 1000})

            if who == ANONYMOUS:
                assert response.status_code == 401
            elif who not in self.viewers:
                assert response.status_code == 403
            else:
                assert response.status_code == 200, response.content[:500]
                shown = {self.key_of_row(row) for row in results_of(response)}
                expected = {self.key_of(obj) for code, obj in scenario.objects.items() if in_jurisdiction(who, code)}
                assert expected, "the scenario should put something in every viewer's jurisdiction"
                assert shown == expected

    class RetrieveTests(APITestCase):
        def test_one_object_is_shown_inside_the_jurisdiction_and_hidden_outside_it(self, scenario, who, where, db):
            obj = self.object_at(scenario, who, where)

            response = client_as(who).get(self.detail_url(obj))

            expected = self.expected_on_one_object(who, self.place(who, where), self.viewers, 200)
            assert response.status_code == expected, response.content[:500]
            if expected == 200:
                assert self.key_of_row(response.json()) == self.key_of(obj)

    class HistoryTests(APITestCase):
        def test_an_objects_history_is_shown_to_those_who_may_view_the_object(self, scenario, who, where, db):
            obj = self.object_at(scenario, who, where)

            response = client_as(who).get(self.detail_url(obj, "history"))

            expected = self.expected_on_one_object(who, self.place(who, where), self.viewers, 200)
            assert response.status_code == expected, response.content[:500]
            if expected == 200:
                assert "insert" in [event["label"] for event in results_of(response)]

    class DetailActionTests(APITestCase):
        """Detail routes that list something about one object (a division's children...)."""

        detail_actions: ClassVar[tuple[str, ...]] = ()

        def expected_detail_action_keys(self, detail_action: str, obj, scenario: Scenario, who: str) -> set:
            raise NotImplementedError

        def test_a_detail_route_answers_like_the_object_and_lists_only_rows_in_the_jurisdiction(
            self, scenario, who, where, detail_action, db
        ):
            obj = self.object_at(scenario, who, where)

            response = client_as(who).get(self.detail_url(obj, detail_action))

            expected = self.expected_on_one_object(who, self.place(who, where), self.viewers, 200)
            assert response.status_code == expected, response.content[:500]
            if expected == 200:
                shown = {self.key_of_row(row) for row in results_of(response)}
                assert shown == self.expected_detail_action_keys(detail_action, obj, scenario, who)

    class CreateTests(APITestCase):
        def create_data(self, code: str, scenario: Scenario, who: str) -> dict:
            """Valid data for a new object in the division with `code`, as `who` would send it."""
            raise NotImplementedError

        def test_a_record_is_created_only_inside_the_jurisdiction_of_a_role_that_may_add(
            self, scenario, who, where, db
        ):
            code = self.place(who, where)
            rows_before = self.model.objects.count()

            response = client_as(who).post(self.list_url(), self.create_data(code, scenario, who), format="json")

            if who == ANONYMOUS:
                expected = 401
            elif who not in self.adders:
                expected = 403
            elif not in_jurisdiction(who, code):
                expected = 404
            else:
                expected = 201
            assert response.status_code == expected, response.content[:500]
            if expected == 201:
                assert self.model.objects.count() == rows_before + 1
                assert self.model.objects.get(pk=response.json()["id"]).scope_code() == code
            else:
                assert self.model.objects.count() == rows_before

    class UpdateTests(APITestCase):
        update_data: ClassVar[dict] = {}

        def is_updated(self, obj) -> bool:
            fresh = type(obj).objects.get(pk=obj.pk)
            return all(str(getattr(fresh, name)) == str(value) for name, value in self.update_data.items())

        def test_a_record_is_changed_only_inside_the_jurisdiction_of_a_role_that_may_change(
            self, scenario, who, where, db
        ):
            obj = self.object_at(scenario, who, where)
            assert not self.is_updated(obj), "update_data should differ from the object's values"

            response = client_as(who).patch(self.detail_url(obj), self.update_data, format="json")

            expected = self.expected_on_one_object(who, self.place(who, where), self.changers, 200)
            assert response.status_code == expected, response.content[:500]
            assert self.is_updated(obj) == (expected == 200)
