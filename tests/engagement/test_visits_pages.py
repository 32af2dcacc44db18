"""The visits pages: access matrices (every role, inside and outside its jurisdiction, GET and
POST), the phone form's defaults and refusals, the coverage pages reading the report's function,
the dashboard panel, the home page's count, and pinned query counts that do not grow with the rows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from engagement.choices import VisitorLevel
from engagement.models import KeptContact, Visit, VisitingCadre
from engagement.pages.panels.visits import panel
from engagement.testing.factories import KeptContactFactory, VisitFactory, VisitingCadreFactory
from governance.periods import Period
from governance.testing import world as w
from governance.testing.fixtures import OUTSIDER
from governance.testing.pages import PageAccessTests, queries_for, signed_in_client
from villages.models import Division
from villages.testing.factories import HouseholdFactory, PartyMembershipFactory, PersonFactory, division

D = datetime.date
VIEWERS = {"district_admin", "town_official", "village_clerk", "inspector"}
TOWN_WRITERS = {"district_admin", "town_official"}
VILLAGE_WRITERS = {"district_admin", "village_clerk"}


def cadre_of(code: str) -> VisitingCadre:
    town = code[:9]
    return VisitingCadre.objects.filter(division_id=town).first() or VisitingCadreFactory(division=division(town))


def a_visit(code: str, **fields) -> Visit:
    return VisitFactory(visitor=cadre_of(code), division=division(code), **fields)


# --- 1. Access matrices ----------------------------------------------------------------------------


class TestVisitListPage(PageAccessTests):
    viewers = VIEWERS
    is_list = True

    def url(self, obj):
        return reverse("engagement:visits_list")

    def make_object(self, code):
        return a_visit(code)

    def marker(self, visit):
        return reverse("engagement:visits_detail", args=[visit.pk])


class TestVisitPage(PageAccessTests):
    viewers = VIEWERS

    def url(self, visit):
        return reverse("engagement:visits_detail", args=[visit.pk])

    def make_object(self, code):
        return a_visit(code)


class TestRecordVisitPage(PageAccessTests):
    """登记走访 for a place (`?division=`): the town records visits, the village only reads them."""

    viewers = VIEWERS
    posters = TOWN_WRITERS

    def url(self, code):
        return reverse("engagement:visits_new") + f"?division={code}"

    def make_object(self, code):
        division(code)
        cadre_of(code)
        return code

    def post_data(self, code):
        return {"visitor": cadre_of(code).pk, "division": code, "visited_on": "2026-03-03", "raised": "水渠"}


# Cadres lie in their county or town; a village-level role (who views none there) is tried on a
# cadre made in its own village (the scope is the division's, whatever its level).
CADRE_PLACES = {
    "district_admin": (w.OTHER_TOWN, w.FAR_DISTRICT),
    "town_official": (w.TOWN, w.OTHER_TOWN),
    "village_clerk": (w.VILLAGE, w.OTHER_VILLAGE_SAME_TOWN),
    "coop_clerk": (w.COOPERATIVE, w.VILLAGE),
    "grid_worker": (w.VILLAGE, w.OTHER_VILLAGE_SAME_TOWN),
    "inspector": (w.TOWN, w.FAR_DISTRICT),
    "report_reader": (w.OTHER_TOWN, w.FAR_DISTRICT),
}


class TestVisitingCadreListPage(PageAccessTests):
    viewers = VIEWERS
    is_list = True
    places = CADRE_PLACES

    def url(self, obj):
        return reverse("engagement:visits_cadres")

    def make_object(self, code):
        return VisitingCadreFactory(division=division(code), name=f"干部{code}")

    def marker(self, cadre):
        return reverse("engagement:visits_cadre_coverage", args=[cadre.pk])


class TestCadreCoveragePage(PageAccessTests):
    viewers = VIEWERS
    places = CADRE_PLACES

    def url(self, cadre):
        return reverse("engagement:visits_cadre_coverage", args=[cadre.pk])

    def make_object(self, code):
        return VisitingCadreFactory(division=division(code))


class TestVisitingCadreEditPage(PageAccessTests):
    viewers = VIEWERS
    posters = TOWN_WRITERS
    places = CADRE_PLACES

    def url(self, cadre):
        return reverse("engagement:visits_cadre_edit", args=[cadre.pk])

    def make_object(self, code):
        return VisitingCadreFactory(division=division(code))

    def post_data(self, cadre):
        return {
            "division": cadre.division_id,
            "name": "改过的名字",
            "level": VisitorLevel.TOWN_CADRE,
            "term_started_on": "2022-01-01",
            "active": "on",
        }


class TestTownCoveragePage(PageAccessTests):
    viewers = VIEWERS

    def url(self, code):
        return reverse("engagement:visits_coverage") + f"?division={code}&period=2026"

    def make_object(self, code):
        division(code)
        return code


class TestKeptContactListPage(PageAccessTests):
    viewers = VIEWERS
    is_list = True

    def url(self, obj):
        return reverse("engagement:visits_contacts")

    def make_object(self, code):
        person = PersonFactory(division=division(code))
        return KeptContactFactory(person=person, kind="entrepreneur", household=None, contact_name=f"能手{code}")

    def marker(self, contact):
        return contact.contact_name


class TestNewKeptContactPage(PageAccessTests):
    viewers = VIEWERS
    posters = VILLAGE_WRITERS

    def url(self, person):
        return reverse("engagement:visits_contact_new") + f"?person={person.pk}"

    def make_object(self, code):
        return PersonFactory(division=division(code))

    def post_data(self, person):
        return {"kind": "entrepreneur", "contact_name": "梁老板", "since": "2026-01-01"}


# --- 2. The phone form --------------------------------------------------------------------------------


def test_the_form_chooses_the_visitors_own_profile_and_refuses_a_bad_household(world):
    official = world.user("town_official")
    own = VisitingCadreFactory(division=division(w.TOWN), user=official, name="本人")
    VisitingCadreFactory(division=division(w.TOWN), name="别人")
    HouseholdFactory(division=division(w.COOPERATIVE), number="H0007")
    client = signed_in_client(official)
    url = reverse("engagement:visits_new")

    form = client.get(url)
    wrong = client.post(
        url, {"visitor": own.pk, "division": w.COOPERATIVE, "household": "H9999", "visited_on": "2026-03-03"}
    )
    right = client.post(
        url, {"visitor": own.pk, "division": w.COOPERATIVE, "household": "H0007", "visited_on": "2026-03-03"}
    )

    assert form.context["form"].initial["visitor"] == own.pk
    assert wrong.status_code == 200 and "所选村（组）没有户号为 H9999 的户。" in wrong.text
    assert right.status_code == 302 and right.url == reverse("engagement:visits_cadre_coverage", args=[own.pk])
    assert Visit.objects.get().household.number == "H0007"


def test_a_visit_in_the_future_is_refused_on_its_field(world):
    client = signed_in_client(world.user("town_official"))

    response = client.post(
        reverse("engagement:visits_new"),
        {"visitor": cadre_of(w.TOWN).pk, "division": w.VILLAGE, "visited_on": "2999-01-01"},
    )

    assert response.status_code == 200 and "visited_on" in response.context["form"].errors
    assert not Visit.objects.exists()


def test_another_towns_village_is_no_choice_of_the_form(world):
    division(w.OTHER_TOWN_VILLAGE)
    client = signed_in_client(world.user("town_official"))

    response = client.post(
        reverse("engagement:visits_new"),
        {"visitor": cadre_of(w.TOWN).pk, "division": w.OTHER_TOWN_VILLAGE, "visited_on": "2026-03-03"},
    )

    assert response.status_code == 200 and "division" in response.context["form"].errors
    assert not Visit.objects.exists()


# --- 3. Coverage, panel and home count ------------------------------------------------------------------


def test_the_town_table_shows_what_the_report_shows(world):
    cadre = VisitingCadreFactory(division=division(w.TOWN), name="陈走访")
    cadre.villages.add(division(w.VILLAGE))
    households = [HouseholdFactory(division=division(w.VILLAGE)) for _ in range(2)]
    VisitFactory(visitor=cadre, division=households[0].division, household=households[0], visited_on=D(2026, 2, 2))
    client = signed_in_client(world.user("town_official"))

    page = client.get(reverse("engagement:visits_coverage"), {"period": "2026"})

    assert page.status_code == 200
    [row] = page.context["rows"]
    assert (row["cadre"], row["required"], row["visited"], row["share"], row["target_met"]) == (
        "陈走访",
        2,
        1,
        50.0,
        False,
    )
    assert "50.0" in page.text and "未达到" in page.text


def test_the_dashboard_panel_counts_cadres_meeting_their_quotas_per_village(world):
    met = VisitingCadreFactory(division=division(w.TOWN))
    met.villages.add(division(w.VILLAGE))
    behind = VisitingCadreFactory(division=division(w.TOWN))
    behind.villages.add(division(w.VILLAGE), division(w.OTHER_VILLAGE_SAME_TOWN))
    HouseholdFactory(division=division(w.OTHER_VILLAGE_SAME_TOWN))
    town = Division.objects.get(code=w.TOWN)
    user = world.user("town_official")

    shown = panel(user, town, Period.parse("2026"))
    page = signed_in_client(user).get(reverse("engagement:dashboard"), {"division": w.TOWN, "period": "2026"})

    rows = {row["unit"]: row for row in shown["visit_rows"]}
    assert (rows[w.VILLAGE]["cadres"], rows[w.VILLAGE]["met"], rows[w.VILLAGE]["share"]) == (2, 1, 50.0)
    assert (rows[w.OTHER_VILLAGE_SAME_TOWN]["cadres"], rows[w.OTHER_VILLAGE_SAME_TOWN]["met"]) == (1, 0)
    assert shown["charts"][0]["target"] == 100 and (shown["visit_cadres"], shown["visit_met"]) == (2, 1)
    assert page.status_code == 200 and 'id="panel-visits"' in page.text
    assert panel(world.user("coop_clerk"), town, Period.parse("2026")) is None


def test_the_panel_costs_fixed_queries_whatever_the_number_of_cadres(world):
    town = Division.objects.get(code=w.TOWN)
    user = world.user("district_admin")

    def add_cadre():
        cadre = VisitingCadreFactory(division=division(w.TOWN), level=VisitorLevel.TOWN_LEADER)
        cadre.villages.add(division(w.VILLAGE))

    add_cadre()
    panel(user, town, Period.parse("2026"))  # the grants cached
    with CaptureQueriesContext(connection) as one:
        panel(user, town, Period.parse("2026"))
    for _ in range(5):
        add_cadre()
    with CaptureQueriesContext(connection) as many:
        panel(user, town, Period.parse("2026"))

    assert len(one) == len(many) == 4


def test_the_home_page_counts_the_cadres_behind_for_who_may_change_visits(world, monkeypatch):
    monkeypatch.setattr("governance.clock.today", lambda: D(2026, 5, 1))
    from engagement.contributing.visits import cadres_behind_count

    behind = VisitingCadreFactory(division=division(w.TOWN))
    behind.villages.add(division(w.VILLAGE))
    HouseholdFactory(division=division(w.VILLAGE))
    VisitingCadreFactory(division=division(w.TOWN))  # no village linked: nothing to visit
    VisitingCadreFactory(division=division(w.OTHER_TOWN)).villages.add(division(w.OTHER_TOWN_VILLAGE))
    HouseholdFactory(division=division(w.OTHER_TOWN_VILLAGE))

    assert cadres_behind_count(world.user("town_official")) == 1
    assert cadres_behind_count(world.user("district_admin")) == 2
    assert cadres_behind_count(world.user("village_clerk")) == 0  # reads visits, does not record them
    home = signed_in_client(world.user("town_official")).get(reverse("home"))
    assert "1 名走访干部尚未完成走访要求。" in home.text


# --- 4. Query counts ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "pinned"),
    [
        ("engagement:visits_list", 6),
        ("engagement:visits_cadres", 6),
        ("engagement:visits_contacts", 5),
        ("engagement:visits_coverage", 6),
    ],
)
def test_a_list_costs_the_same_queries_for_one_row_and_for_many(world, name, pinned):
    client = signed_in_client(world.user("town_official"))

    def add_rows():
        cadre = VisitingCadreFactory(division=division(w.TOWN), level=VisitorLevel.TOWN_LEADER)
        cadre.villages.add(division(w.VILLAGE), division(w.OTHER_VILLAGE_SAME_TOWN))
        household = HouseholdFactory(division=division(w.COOPERATIVE))
        VisitFactory(visitor=cadre, division=household.division, household=household)
        KeptContactFactory(person=PartyMembershipFactory(branch=division(w.VILLAGE)).person)

    add_rows()
    one = queries_for(client, reverse(name))
    for _ in range(6):
        add_rows()

    assert queries_for(client, reverse(name)) == one == pinned


def test_a_cadres_coverage_page_costs_fixed_queries(world):
    client = signed_in_client(world.user("town_official"))
    cadre = VisitingCadreFactory(division=division(w.TOWN), level=VisitorLevel.TOWN_LEADER)
    cadre.villages.add(division(w.VILLAGE))
    url = reverse("engagement:visits_cadre_coverage", args=[cadre.pk])
    one = queries_for(client, url)
    for _ in range(6):
        household = HouseholdFactory(division=division(w.COOPERATIVE))
        VisitFactory(visitor=cadre, division=household.division, household=household)

    assert queries_for(client, url) == one


def test_an_outsider_finds_no_coverage_page(world):
    client = signed_in_client(world.user(OUTSIDER) if OUTSIDER in world.users else world.outsider)

    assert client.get(reverse("engagement:visits_coverage"), {"division": w.TOWN}).status_code == 404
    assert KeptContact.objects.count() == 0


def test_a_village_clerk_picks_a_party_member_on_the_contacts_page_and_adds_a_household(world):
    member = PartyMembershipFactory(branch=division(w.VILLAGE)).person
    HouseholdFactory(division=division(w.COOPERATIVE), number="H0201")
    client = signed_in_client(world.user("village_clerk"))

    listed = client.get(reverse("engagement:visits_contacts"))
    url = reverse("engagement:visits_contact_new") + f"?person={member.pk}"
    wrong = client.post(url, {"kind": "household", "household": "H9999", "since": "2026-01-01"})
    right = client.post(url, {"kind": "household", "household": "H0201", "since": "2026-01-01"})

    assert [keeper["pk"] for keeper in listed.context["keepers"]] == [member.pk]
    assert wrong.status_code == 200 and "本村没有户号为 H9999 的户。" in wrong.text
    assert right.status_code == 302
    assert KeptContact.objects.get().household.number == "H0201"


def test_a_town_official_adds_a_cadre_with_a_village_and_a_village_clerk_may_not(world):
    official = signed_in_client(world.user("town_official"))
    url = reverse("engagement:visits_cadre_new")
    body = {"division": w.TOWN, "name": "黄包村", "level": VisitorLevel.TOWN_LEADER, "term_started_on": "2022-01-01"}

    refused = signed_in_client(world.user("village_clerk")).get(url)
    far = official.post(url, {**body, "division": w.OTHER_TOWN})
    added = official.post(url, {**body, "villages": [w.VILLAGE], "username": "town_official", "active": "on"})

    assert refused.status_code == 403
    assert far.status_code == 200 and "division" in far.context["form"].errors
    assert added.status_code == 302
    cadre = VisitingCadre.objects.get(name="黄包村")
    assert [village.code for village in cadre.villages.all()] == [w.VILLAGE]
    assert cadre.user.username == "town_official" and cadre.active


def test_a_districts_panel_counts_per_town_and_the_county_secretary_apart(world):
    VisitingCadreFactory(division=division(w.TOWN))  # no village: meets (nothing required)
    behind = VisitingCadreFactory(division=division(w.OTHER_TOWN))
    behind.villages.add(division(w.OTHER_TOWN_VILLAGE))
    HouseholdFactory(division=division(w.OTHER_TOWN_VILLAGE))
    VisitingCadreFactory(division=division(w.DISTRICT), level=VisitorLevel.COUNTY_SECRETARY)
    district = Division.objects.get(code=w.DISTRICT)

    shown = panel(world.user("district_admin"), district, Period.parse("2026"))

    rows = {row["unit"]: (row["cadres"], row["met"], row["share"]) for row in shown["visit_rows"]}
    assert rows[w.TOWN] == (1, 1, 100.0) and rows[w.OTHER_TOWN] == (1, 0, 0.0)
    assert shown["visit_others"] == {"cadres": 1, "met": 0}  # the secretary has villages to visit
