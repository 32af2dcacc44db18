"""The access matrix of the browser pages: every page × every role × inside and outside its
jurisdiction, plus anonymous visitors and a signed-in user without any assignment, declared on
governance.testing.pages.PageAccessTests (which generates the tests).

The expectations come from the declarations below (which roles view each kind of record, which
may write it), not from the code under test: a record page answers 200 inside and 404 outside
(never 403, so that existence does not leak); a list page answers 200 and lists only the records
inside; a write page answers its posters 200 (GET) and a redirect with the record written
(POST), the roles that only view the record 403, and everyone outside 404, writing nothing.
Each write page's own rules (what is checked, what is recorded) are tested in tests/villages/.
"""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from governance.testing import world as w
from governance.testing.factories import UserFactory
from governance.testing.pages import PageAccessTests
from governance.testing.pages import signed_in_client as client_for
from villages.identity import make_id_number
from villages.models import Division, Level, PositionFiling, PositionKind
from villages.testing.factories import MembershipFactory, PersonFactory, PositionFactory, division

ROLES = list(w.ROLE_HOME)

# Which roles view each kind of record (governance/access/roles.py): report readers and grid
# workers see the divisions and no people; the people models are the person, household, membership and party
# membership, the cadre models the position and its filing.
DIVISION_VIEWERS = set(ROLES)
PEOPLE_VIEWERS = DIVISION_VIEWERS - {"report_reader", "grid_worker"}
CADRE_VIEWERS = PEOPLE_VIEWERS
# Who writes them inside their jurisdiction: clerks and district administrators register people
# (households, memberships...); town officials and village clerks record cadres, cooperative
# clerks only view them.
PEOPLE_EDITORS = {"district_admin", "village_clerk", "coop_clerk"}
CADRE_RECORDERS = {"district_admin", "town_official", "village_clerk"}

# A cooperative inside every role's jurisdiction, and one just outside each (under the village
# just outside, when that is a village): for pages whose record lies in a cooperative.
COOPERATIVE_PLACES = {
    role: (w.COOPERATIVE, code if len(code) == 15 else f"{code}001") for role, code in w.JUST_OUTSIDE.items()
}


def history_url(obj) -> str:
    return reverse("history", args=[obj._meta.app_label, obj._meta.model_name, obj.pk])


def villager(code: str):
    """A person registered in the division `code`, named after it (the lists' marker)."""
    return PersonFactory(name=f"村民{code}号", division=division(code))


def position_at(code: str, kind: str | None = None):
    """A current position in `code`: by default one any village or cooperative has."""
    place = division(code)
    if kind is None:
        cooperative = place.level == Level.COOPERATIVE
        kind = PositionKind.COOPERATIVE_COMMITTEE_MEMBER if cooperative else PositionKind.VILLAGER_REPRESENTATIVE
    return PositionFactory(person=villager(code), division=place, kind=kind)


def filing_at(code: str):
    """A filing of a cooperative head of `code` with the town, submitted by a clerk who is none
    of the role users (so that no role would decide its own submission). Made directly: the
    places outside lie where no role user may submit."""
    position = position_at(code, PositionKind.COOPERATIVE_HEAD)
    return PositionFiling.objects.create(
        position=position,
        filed_with_id=position.filing_division_code(),
        submitted_by=UserFactory(username="submitting_clerk"),
    )


# --- pages that show a record ----------------------------------------------------------------


class TestDivisionPage(PageAccessTests):
    viewers = DIVISION_VIEWERS

    def url(self, place):
        return reverse("villages:division", args=[place.code])

    def make_object(self, code):
        return division(code)


class TestDivisionHistory(PageAccessTests):
    viewers = DIVISION_VIEWERS

    def url(self, place):
        return history_url(place)

    def make_object(self, code):
        return division(code)


class TestPersonPage(PageAccessTests):
    viewers = PEOPLE_VIEWERS

    def url(self, person):
        return reverse("villages:person", args=[person.pk])

    def make_object(self, code):
        return villager(code)


class TestPersonHistory(PageAccessTests):
    viewers = PEOPLE_VIEWERS

    def url(self, person):
        return history_url(person)

    def make_object(self, code):
        return villager(code)


class TestPositionHistory(PageAccessTests):
    viewers = CADRE_VIEWERS

    def url(self, position):
        return history_url(position)

    def make_object(self, code):
        return position_at(code)


class TestFilingPage(PageAccessTests):
    """One filing (任职备案), which lies where its position lies, not where it is filed: a
    cooperative clerk does not see the filing of the next cooperative although both go to the
    same town. Only the GET is declared: deciding (the POST) also needs the approval right over
    the receiving division and someone other than the submitter (four eyes), which the
    declarations cannot say; tests/villages/test_filing_pages.py tests the decisions."""

    viewers = CADRE_VIEWERS
    places = COOPERATIVE_PLACES

    def url(self, filing):
        return reverse("villages:filing", args=[filing.pk])

    def make_object(self, code):
        return filing_at(code)


# --- lists -----------------------------------------------------------------------------------


class TestPeopleList(PageAccessTests):
    is_list = True
    viewers = PEOPLE_VIEWERS

    def url(self, _none):
        return reverse("villages:people")

    def make_object(self, code):
        return villager(code)

    def marker(self, person):
        return person.name


class TestCadresList(PageAccessTests):
    is_list = True
    viewers = CADRE_VIEWERS

    def url(self, _none):
        return reverse("villages:cadres")

    def make_object(self, code):
        return position_at(code)

    def marker(self, position):
        return position.person.name


class TestFilingsList(PageAccessTests):
    """备案审核, the review list: by default the filings waiting for a decision, as these are."""

    is_list = True
    viewers = CADRE_VIEWERS
    places = COOPERATIVE_PLACES

    def url(self, _none):
        return reverse("villages:filings")

    def make_object(self, code):
        return filing_at(code)

    def marker(self, filing):
        return filing.position.person.name


# --- pages that write ------------------------------------------------------------------------


class TestPersonRegisterPage(PageAccessTests):
    """登记人员 in a division: the record the page names is the division."""

    viewers = DIVISION_VIEWERS
    posters = PEOPLE_EDITORS

    def url(self, place):
        return reverse("villages:person_add", args=[place.code])

    def make_object(self, code):
        return division(code)

    def post_data(self, place):
        return {"name": "王五", "id_number": make_id_number("440605", datetime.date(1990, 3, 15), 21)}


class TestPersonEditPage(PageAccessTests):
    viewers = PEOPLE_VIEWERS
    posters = PEOPLE_EDITORS

    def url(self, person):
        return reverse("villages:person_edit", args=[person.pk])

    def make_object(self, code):
        return villager(code)

    def post_data(self, person):
        return {"name": "改过的名字", "id_number": person.id_number, "phone": person.phone}


class TestHouseholdRegisterPage(PageAccessTests):
    """登记户 in a division."""

    viewers = DIVISION_VIEWERS
    posters = PEOPLE_EDITORS

    def url(self, place):
        return reverse("villages:household_add", args=[place.code])

    def make_object(self, code):
        return division(code)

    def post_data(self, place):
        return {"number": "H-0901", "address": "罗村大道1号"}


class TestPositionRecordPage(PageAccessTests):
    """登记任职 of a person: the record the page names is the person."""

    viewers = PEOPLE_VIEWERS
    posters = CADRE_RECORDERS

    def url(self, person):
        return reverse("villages:position_add", args=[person.pk])

    def make_object(self, code):
        return villager(code)

    def post_data(self, person):
        return {"kind": PositionKind.COOPERATIVE_HEAD, "division": person.division_id, "started_on": "2026-03-01"}


class TestPositionEndPage(PageAccessTests):
    """登记离任 of a position."""

    viewers = CADRE_VIEWERS
    posters = CADRE_RECORDERS

    def url(self, position):
        return reverse("villages:position_end", args=[position.pk])

    def make_object(self, code):
        return position_at(code)

    def post_data(self, position):
        return {"ended_on": "2024-01-01"}


class TestMembershipRegisterPage(PageAccessTests):
    """登记成员资格 of a person of a cooperative."""

    viewers = PEOPLE_VIEWERS
    posters = PEOPLE_EDITORS
    places = COOPERATIVE_PLACES

    def url(self, person):
        return reverse("villages:membership_add", args=[person.pk])

    def make_object(self, code):
        return villager(code)

    def post_data(self, person):
        return {"cooperative": person.division_id, "shares": "1.50", "joined_on": "2026-01-01"}


class TestMembershipLeavePage(PageAccessTests):
    """登记退出 of a membership."""

    viewers = PEOPLE_VIEWERS
    posters = PEOPLE_EDITORS
    places = COOPERATIVE_PLACES

    def url(self, membership):
        return reverse("villages:membership_leave", args=[membership.pk])

    def make_object(self, code):
        return MembershipFactory(person=villager(code), cooperative=division(code))

    def post_data(self, membership):
        return {"left_on": "2026-01-01"}


class TestPartyMembershipRegisterPage(PageAccessTests):
    """登记党员 in the person's village: a cooperative clerk's reach ends below the village."""

    viewers = PEOPLE_VIEWERS
    posters = {"district_admin", "village_clerk"}

    def url(self, person):
        return reverse("villages:party_membership_add", args=[person.pk])

    def make_object(self, code):
        return villager(code)

    def post_data(self, person):
        return {"joined_on": "2015-07-01"}


class TestFilingSubmit(PageAccessTests):
    """报备 of a position filed with the town or district: a button that posts."""

    viewers = CADRE_VIEWERS
    posters = CADRE_RECORDERS
    methods = ("post",)

    def url(self, position):
        return reverse("villages:position_file", args=[position.pk])

    def make_object(self, code):
        cooperative = len(code) == 15
        return position_at(code, PositionKind.COOPERATIVE_HEAD if cooperative else PositionKind.PARTY_SECRETARY)


# --- home, 404s and the admin ------------------------------------------------------------------


@pytest.fixture
def person_with_a_position(world):
    return position_at(w.COOPERATIVE).person


@pytest.mark.parametrize("role", ROLES)
def test_home_starts_at_the_division_each_role_is_assigned_to(world, role):
    response = client_for(world.user(role)).get(reverse("home"))

    assert response.status_code == 200
    home = Division.objects.get(code=w.ROLE_HOME[role])
    assert reverse("villages:division", args=[home.code]) in response.text
    assert [division.code for division in response.context["panels_by_key"]["jurisdiction"]["divisions"]] == [home.code]


def test_an_anonymous_visitor_is_sent_to_sign_in_from_home(db):
    response = Client().get(reverse("home"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_user_without_assignments_has_an_empty_home(world):
    response = client_for(world.outsider).get(reverse("home"))

    assert response.status_code == 200
    assert list(response.context["panels_by_key"]["jurisdiction"]["divisions"]) == []
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
    "governance.department",
]


@pytest.mark.parametrize("model", ADMIN_MODELS)
def test_a_superuser_uses_the_admin_lists_and_forms(person_with_a_position, model):
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    app_label, model_name = model.split(".")
    client = client_for(admin)

    changelist = client.get(reverse(f"admin:{app_label}_{model_name}_changelist"))

    assert changelist.status_code == 200
    if model != "governance.role":  # roles are written from roles.py, not added by hand
        assert client.get(reverse(f"admin:{app_label}_{model_name}_add")).status_code == 200


def test_a_person_shows_in_the_admin_with_its_positions(person_with_a_position):
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    person = person_with_a_position

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
