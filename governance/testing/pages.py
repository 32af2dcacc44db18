"""Declarative access-matrix tests for the browser pages, as governance.testing.api does for the
REST API (in the manner of NetBox's utilities/testing), and helpers for page tests.

A test class declares one page; the base generates a test per caller × place × method:

    class TestPersonEditPage(PageAccessTests):
        viewers = {"district_admin", "town_official", "village_clerk", "coop_clerk", "inspector"}
        posters = {"district_admin", "village_clerk", "coop_clerk"}   # a write page

        def url(self, person):                   # the page of the object (list pages: obj is None)
            return reverse("villages:person_edit", args=[person.pk])

        def make_object(self, code):             # one object in the division with this code
            return PersonFactory(division=division(code))

        def post_data(self, person):             # what a poster sends (write pages)
            return {"name": "改过的名字", "id_number": person.id_number}

A page is either a record page (the default), a list page (`is_list = True`, with `marker(obj)`:
text that shows exactly when the object is listed), or a write page (`posters` declared; its
`methods` are GET and POST, or only POST for a button that posts). `viewers` are the roles that
view the record the URL names (for a list, the records listed). What every caller gets:

- anonymous: 302 to the sign-in page, whatever the method; a POST writes nothing;
- the outsider (signed in, no assignment): 404 on every object (a list: 200, none of them);
- a role, on an object outside its jurisdiction: 404 (a list: 200, the object not listed);
- a role, inside it: a record page 200 for viewers, else 404; a list 200, the object listed
  exactly for viewers; a write page 200 to GET and a redirect to POST, with something written,
  for posters, 403 for the other viewers, 404 for the rest.

Whatever is refused writes nothing: no audit event appears (every scoped model is tracked, see
tests/governance/test_audit.py). The callers are every role of the world (each assigned over its
home division); the places are, per role, a division inside its jurisdiction and one just outside
(`places`). The data (world and one object per place) is built once per class with the session
fixture `world_builder`, inside a transaction rolled back after the class; each test runs in its
own savepoint on top (pytest-django's `db`), so what a POST writes is gone before the next test.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import pghistory.models
import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.testing.fixtures import OUTSIDER, data_for_a_whole_scope
from governance.testing.world import COOPERATIVE, JUST_OUTSIDE, ROLE_HOME, World

ROLES: tuple[str, ...] = tuple(ROLE_HOME)
WHERE = ("inside", "outside")

# (inside, outside) each role's jurisdiction: a cooperative every role's jurisdiction covers, and
# the nearest division it does not.
PAGE_PLACES: dict[str, tuple[str, str]] = {role: (COOPERATIVE, JUST_OUTSIDE[role]) for role in ROLES}


def signed_in_client(user) -> Client:
    """A browser session signed in as `user` (anonymous for None)."""
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def queries_for(client: Client, url: str) -> int:
    """The number of SQL queries a GET of `url` costs; the page must answer 200."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(captured.captured_queries)


def audit_events() -> int:
    """How many audit events there are, over every tracked model: a write adds at least one."""
    return sum(model.objects.count() for model in apps.get_models() if issubclass(model, pghistory.models.Event))


def in_jurisdiction(who: str, code: str) -> bool:
    home = ROLE_HOME.get(who)
    return home is not None and code.startswith(home)


@dataclass
class PageScenario:
    """What a page class works on: the world and one object per place (division code)."""

    world: World
    objects: dict[str, Any] = field(default_factory=dict)


class PageAccessTests:
    """The declarations of one page and the access tests generated from them."""

    viewers: ClassVar[frozenset[str] | set[str]] = frozenset()
    posters: ClassVar[frozenset[str] | set[str] | None] = None  # declared: a write page
    is_list: ClassVar[bool] = False
    methods: ClassVar[tuple[str, ...] | None] = None  # default: ("get",), or ("get", "post") with posters
    places: ClassVar[dict[str, tuple[str, str]]] = PAGE_PLACES

    def url(self, obj) -> str:
        """The page's URL for `obj` (a list page gets None)."""
        raise NotImplementedError

    def make_object(self, code: str):
        """One object lying in the division with this code."""
        raise NotImplementedError

    def marker(self, obj) -> str:
        """List pages: text that shows on the page exactly when `obj` is listed."""
        raise NotImplementedError

    def post_data(self, obj) -> dict:
        """Write pages: valid data a poster sends about `obj`."""
        return {}

    # --- data built once per class ---------------------------------------------------------

    @pytest.fixture(scope="class")
    @classmethod
    def scenario(cls, django_db_setup, django_db_blocker, world_builder):
        with data_for_a_whole_scope(django_db_blocker):
            world = world_builder()
            page = cls()
            codes = sorted({code for pair in page.places.values() for code in pair})
            yield PageScenario(world=world, objects={code: page.make_object(code) for code in codes})

    def pytest_generate_tests(self, metafunc):
        """`who` runs for every role, `where` inside and outside, `method` for the page's methods."""
        if "who" in metafunc.fixturenames:
            metafunc.parametrize("who", ROLES)
        if "where" in metafunc.fixturenames:
            metafunc.parametrize("where", WHERE)
        if "method" in metafunc.fixturenames:
            metafunc.parametrize("method", self.page_methods())

    # --- helpers ---------------------------------------------------------------------------

    def page_methods(self) -> tuple[str, ...]:
        if self.methods is not None:
            return self.methods
        return ("get", "post") if self.posters is not None else ("get",)

    def place(self, who: str, where: str) -> str:
        inside, outside = self.places[who]
        assert in_jurisdiction(who, inside), f"{inside} is not inside {who}'s jurisdiction"
        assert not in_jurisdiction(who, outside), f"{outside} is not outside {who}'s jurisdiction"
        return inside if where == "inside" else outside

    def page_url(self, obj) -> str:
        return self.url(None if self.is_list else obj)

    def request(self, client: Client, method: str, obj):
        if method == "post":
            return client.post(self.page_url(obj), self.post_data(obj))
        return client.get(self.page_url(obj))

    def expected_inside(self, who: str, method: str) -> int:
        """The status a role gets on an object inside its jurisdiction."""
        if self.posters is None:
            return 200 if who in self.viewers else 404
        assert set(self.posters) <= set(self.viewers), "a poster must view the record it writes about"
        if who in self.posters:
            return 302 if method == "post" else 200
        return 403 if who in self.viewers else 404

    def assert_listing(self, response, obj, listed: bool) -> None:
        assert response.status_code == 200, response.content[:500]
        assert (self.marker(obj) in response.text) is listed, f"{self.marker(obj)!r} listed: expected {listed}"

    # --- the generated tests ---------------------------------------------------------------

    def test_a_role_gets_the_page_as_its_grants_say_inside_its_jurisdiction_and_nothing_outside(
        self, scenario, who, where, method, db
    ):
        code = self.place(who, where)
        obj = scenario.objects[code]
        client = signed_in_client(get_user_model().objects.get(username=who))
        events_before = audit_events()

        response = self.request(client, method, obj)

        if self.is_list:
            self.assert_listing(response, obj, listed=where == "inside" and who in self.viewers)
            return
        expected = self.expected_inside(who, method) if where == "inside" else 404
        assert response.status_code == expected, response.content[:500]
        if expected == 302:
            assert not response.url.startswith(reverse("login")), response.url
            assert audit_events() > events_before, "the poster's POST should write"
        else:
            assert audit_events() == events_before, "a refused request should write nothing"

    def test_an_anonymous_visitor_is_sent_to_sign_in_and_writes_nothing(self, scenario, method, db):
        obj = scenario.objects[self.places[ROLES[0]][0]]
        events_before = audit_events()

        response = self.request(Client(), method, obj)

        assert response.status_code == 302
        assert response.url.startswith(reverse("login") + "?next=")
        assert audit_events() == events_before

    def test_a_signed_in_user_without_assignments_finds_nothing_and_writes_nothing(self, scenario, method, db):
        client = signed_in_client(get_user_model().objects.get(username=OUTSIDER))
        events_before = audit_events()

        for obj in scenario.objects.values():
            response = self.request(client, method, obj)
            if self.is_list:
                self.assert_listing(response, obj, listed=False)
            else:
                assert response.status_code == 404, response.content[:500]
        assert audit_events() == events_before
