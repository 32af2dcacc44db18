"""The access matrix of the browser pages: every page × every role × inside and outside its
jurisdiction, plus anonymous visitors and a signed-in user without any assignment.

The expectations come from two small tables (what each role may view, and where each role's
jurisdiction ends), not from the code under test: a detail page answers 200 inside and 404
outside (never 403, so that existence does not leak); a list page answers 200 and shows only
the records inside.
"""

import datetime
import re
from dataclasses import dataclass
from typing import Callable

import pytest
from django.test import Client
from django.urls import reverse

from governance.testing import world as w
from villages.identity import make_id_number
from villages.models import Division, PositionKind
from villages.testing.factories import PersonFactory, PositionFactory

ROLES = ["district_admin", "town_official", "village_clerk", "coop_clerk", "inspector", "report_reader"]

# Which records each role may view (governance/access/roles.py): report_reader sees no people.
VIEWS = {
    "district_admin": {"division", "person", "position"},
    "town_official": {"division", "person", "position"},
    "village_clerk": {"division", "person", "position"},
    "coop_clerk": {"division", "person", "position"},
    "inspector": {"division", "person", "position"},
    "report_reader": {"division"},
}

# A cooperative inside every role's jurisdiction, and for each role a division just outside it.
INSIDE = w.COOPERATIVE
OUTSIDE = w.JUST_OUTSIDE
PEOPLE_AT = [w.COOPERATIVE, w.OTHER_COOPERATIVE_SAME_VILLAGE, w.OTHER_VILLAGE_SAME_TOWN, w.OTHER_TOWN_VILLAGE, w.FAR_VILLAGE]


@dataclass
class Scene:
    world: w.World
    people: dict  # division code → the one person registered there
    positions: dict  # division code → that person's current position


def history(obj) -> str:
    return reverse("history", args=[obj._meta.app_label, obj._meta.model_name, obj.pk])


@dataclass(frozen=True)
class Page:
    record: str  # the kind of record the page shows: decides who may see it
    is_list: bool
    url: Callable[[Scene, str], str]  # the page's URL for the record at a division code


PAGES = {
    "division page": Page("division", False, lambda s, code: reverse("villages:division", args=[code])),
    "division history": Page("division", False, lambda s, code: history(Division.objects.get(code=code))),
    "person page": Page("person", False, lambda s, code: reverse("villages:person", args=[s.people[code].pk])),
    "person history": Page("person", False, lambda s, code: history(s.people[code])),
    "position history": Page("position", False, lambda s, code: history(s.positions[code])),
    "people list": Page("person", True, lambda s, code: reverse("villages:people")),
    "cadres list": Page("position", True, lambda s, code: reverse("villages:cadres")),
}


def marker(scene: Scene, code: str) -> str:
    """Text that shows on a page exactly when the record at `code` is listed."""
    return scene.people[code].name


@pytest.fixture
def scene(world) -> Scene:
    people, positions = {}, {}
    for number, code in enumerate(PEOPLE_AT):
        division = Division.objects.get(code=code)
        person = PersonFactory(
            name=f"村民{code}号",
            division=division,
            id_number=make_id_number(code[:6], datetime.date(1980, 1, 1), 100 + number),
        )
        kind = (
            PositionKind.COOPERATIVE_COMMITTEE_MEMBER
            if division.level == "cooperative"
            else PositionKind.VILLAGER_REPRESENTATIVE
        )
        people[code] = person
        positions[code] = PositionFactory(person=person, division=division, kind=kind)
    return Scene(world=world, people=people, positions=positions)


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


MATRIX = [
    pytest.param(role, where, page_name, id=f"{role} {where} {page_name}")
    for role in ROLES
    for where in ("inside", "outside")
    for page_name in PAGES
]


@pytest.mark.parametrize(("role", "where", "page_name"), MATRIX)
def test_a_role_reaches_a_page_only_inside_its_jurisdiction(scene, role, where, page_name):
    page = PAGES[page_name]
    code = INSIDE if where == "inside" else OUTSIDE[role]
    allowed = where == "inside" and page.record in VIEWS[role]

    response = client_for(scene.world.user(role)).get(page.url(scene, code))

    if page.is_list:
        assert response.status_code == 200
        assert (marker(scene, code) in response.text) is allowed
    else:
        assert response.status_code == (200 if allowed else 404)


@pytest.mark.parametrize("role", ROLES)
def test_home_starts_at_the_division_each_role_is_assigned_to(world, role):
    response = client_for(world.user(role)).get(reverse("home"))

    assert response.status_code == 200
    home = Division.objects.get(code=w.ROLE_HOME[role])
    assert reverse("villages:division", args=[home.code]) in response.text
    assert [division.code for division in response.context["divisions"]] == [home.code]


@pytest.mark.parametrize("page_name", PAGES)
def test_an_anonymous_visitor_is_sent_to_sign_in(scene, page_name):
    url = PAGES[page_name].url(scene, INSIDE)

    response = Client().get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login") + "?next=")


def test_an_anonymous_visitor_is_sent_to_sign_in_from_home(db):
    response = Client().get(reverse("home"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("page_name", PAGES)
def test_a_user_without_assignments_sees_nothing(scene, page_name):
    page = PAGES[page_name]
    client = client_for(scene.world.outsider)

    for code in PEOPLE_AT:
        response = client.get(page.url(scene, code))
        if page.is_list:
            assert response.status_code == 200
            assert marker(scene, code) not in response.text
        else:
            assert response.status_code == 404


def test_a_user_without_assignments_has_an_empty_home(world):
    response = client_for(world.outsider).get(reverse("home"))

    assert response.status_code == 200
    assert list(response.context["divisions"]) == []
    assert 'id="no-jurisdiction"' in response.text


def test_an_out_of_scope_division_answers_the_same_404_as_an_absent_one(world):
    client = client_for(world.user("town_official"))

    out_of_scope = client.get(reverse("villages:division", args=[w.OTHER_TOWN_VILLAGE]))
    absent = client.get(reverse("villages:division", args=["440605124999"]))

    assert out_of_scope.status_code == absent.status_code == 404
    assert normalised(out_of_scope, w.OTHER_TOWN_VILLAGE) == normalised(absent, "440605124999")


def normalised(response, code: str) -> str:
    """The page without what differs by request: the CSRF token and the code asked for."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.text)
    return html.replace(code, "<code>")


@pytest.mark.parametrize(
    "path",
    [
        "/history/villages/nosuchmodel/1/",  # no such model
        "/history/auth/user/1/",  # a model outside jurisdiction scoping
        "/history/villages/person/not-a-number/",  # a key of the wrong type
    ],
)
def test_the_history_page_answers_404_for_anything_but_a_scoped_record(world, path):
    response = client_for(world.user("district_admin")).get(path)

    assert response.status_code == 404


# --- the Django admin: superusers only -----------------------------------------------------

ADMIN_MODELS = [
    "villages.division",
    "villages.person",
    "villages.household",
    "villages.membership",
    "villages.partymembership",
    "villages.position",
    "villages.positionfiling",
    "governance.role",
    "governance.assignment",
]


@pytest.mark.parametrize("model", ADMIN_MODELS)
def test_a_superuser_uses_the_admin_lists_and_forms(scene, model):
    from governance.testing.factories import UserFactory

    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    app_label, model_name = model.split(".")
    client = client_for(admin)

    changelist = client.get(reverse(f"admin:{app_label}_{model_name}_changelist"))

    assert changelist.status_code == 200
    if model != "governance.role":  # roles are written from roles.py, not added by hand
        assert client.get(reverse(f"admin:{app_label}_{model_name}_add")).status_code == 200


def test_a_person_shows_in_the_admin_with_its_positions(scene):
    from governance.testing.factories import UserFactory

    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    person = scene.people[INSIDE]

    response = client_for(admin).get(reverse("admin:villages_person_change", args=[person.pk]))

    assert response.status_code == 200
    assert person.name in response.text


@pytest.mark.parametrize("role", ROLES)
def test_the_admin_is_closed_to_everyone_but_superusers_even_staff(world, role):
    user = world.user(role)
    user.is_staff = True
    user.save()

    response = client_for(user).get(reverse("admin:villages_person_changelist"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
