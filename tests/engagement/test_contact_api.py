"""The direct-contact API (docs/api.md, "Direct contact"): the access matrix of contact-links and
contact-days for every action as every role, filling and ending links through the services (a
single link's holder replaced, deputies side by side), contact days recorded on and off Tuesday,
field-level 400s in Chinese, another town's records 404, and pinned query counts that do not grow
with the rows."""

import datetime

import pytest

from engagement.choices import LinkKind
from engagement.models import ContactDay, ContactLink
from engagement.testing.factories import ContactDayFactory, ContactLinkFactory
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
from villages.testing.factories import division

D = datetime.date
# Who may do what (engagement.grants): the town keeps the five links; the town and the village
# record contact days; the district deletes one recorded by mistake; the inspector reads.
VIEWERS = {"district_admin", "town_official", "village_clerk", "inspector"}
LINK_EDITORS = {"district_admin", "town_official"}
DAY_EDITORS = {"district_admin", "town_official", "village_clerk"}
DAY_DELETERS = {"district_admin"}

# Links and days lie in a village: (inside, outside) the caller's jurisdiction. A cooperative's
# clerk has no village of their own: a test below says what they get.
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

    def build_objects(self, world):
        codes = sorted({code for pair in self.places.values() for code in pair})
        return {code: self.make_object(code) for code in codes}

    def pytest_generate_tests(self, metafunc):
        if "who" in metafunc.fixturenames:
            metafunc.parametrize("who", VILLAGE_LEVEL_CALLERS)
        if "where" in metafunc.fixturenames:
            metafunc.parametrize("where", ("inside", "outside"))


def link_in(code, kind=LinkKind.DEPUTIES, **fields):
    return ContactLinkFactory(division=division(code), kind=kind, **fields)


# --- 1. Access matrices ----------------------------------------------------------------------------


class TestContactLinkAccess(
    VillageLevelRecords,
    APIViewTestCases.ListTests,
    APIViewTestCases.RetrieveTests,
    APIViewTestCases.HistoryTests,
    APIViewTestCases.CreateTests,
):
    """Filling a link outside the jurisdiction: the village is not found (404), nothing is written."""

    basename = "contactlink"
    model = ContactLink
    viewers = VIEWERS
    adders = LINK_EDITORS

    def make_object(self, code):
        return link_in(code, LinkKind.TOWN_LEADER)

    def create_data(self, code, scenario, who):
        return {
            "division": code,
            "kind": "deputies",
            "holder": "陈人大代表",
            "title": "区人大代表",
            "since": "2025-03-01",
        }


class TestContactLinkEndAccess(VillageLevelRecords, APITestCase):
    basename = "contactlink"
    model = ContactLink

    def make_object(self, code):
        return link_in(code, LinkKind.TOWN_LEADER)

    def test_a_link_is_ended_only_inside_the_jurisdiction_by_a_role_that_may_change_it(self, scenario, who, where, db):
        link = self.object_at(scenario, who, where)

        response = client_as(who).post(self.detail_url(link, "end"), {"until": "2025-12-31"}, format="json")

        expected = self.expected_on_one_object(who, self.place(who, where), LINK_EDITORS, 200)
        assert response.status_code == expected, response.content[:500]
        link.refresh_from_db()
        assert (link.until == D(2025, 12, 31)) == (expected == 200)


class TestContactDayAccess(
    VillageLevelRecords,
    APIViewTestCases.ListTests,
    APIViewTestCases.RetrieveTests,
    APIViewTestCases.HistoryTests,
    APIViewTestCases.CreateTests,
    APIViewTestCases.UpdateTests,
):
    basename = "contactday"
    model = ContactDay
    viewers = VIEWERS
    adders = changers = DAY_EDITORS
    update_data = {"attendees": 31}

    def make_object(self, code):
        return ContactDayFactory(division=division(code), held_on=D(2025, 11, 4))

    def create_data(self, code, scenario, who):
        return {"division": code, "held_on": "2025-11-11", "attendees": 20, "matters_raised": "修缮村道"}

    def test_a_day_is_deleted_only_inside_the_jurisdiction_by_the_district(self, scenario, who, where, db):
        day = self.object_at(scenario, who, where)

        response = client_as(who).delete(self.detail_url(day))

        expected = self.expected_on_one_object(who, self.place(who, where), DAY_DELETERS, 204)
        assert response.status_code == expected, response.content[:500]
        assert ContactDay.objects.filter(pk=day.pk).exists() == (expected != 204)


def test_a_cooperative_clerk_has_no_link_and_no_contact_day(world):
    link = link_in(w.VILLAGE)
    client = client_as("coop_clerk")

    assert client.get("/api/v1/contact-links/").status_code == 403
    assert client.get("/api/v1/contact-days/").status_code == 403
    assert client.get(f"/api/v1/contact-links/{link.pk}/").status_code == 404


# --- 2. Links: fill, end, filters --------------------------------------------------------------------


def fill(who="town_official", **body):
    payload = {"division": w.VILLAGE, "kind": "town_leader", "holder": "李镇长", "since": "2025-01-01", **body}
    return client_as(who).post("/api/v1/contact-links/", payload, format="json")


def test_filling_a_town_leader_link_ends_the_previous_holder_the_day_before(world):
    first = fill(holder="李镇长").json()

    second = fill(holder="王副镇长", title="副镇长", since="2025-07-01")

    assert second.status_code == 201, second.content
    assert second.json() | {"id": None} == {
        "id": None,
        "division": w.VILLAGE,
        "kind": "town_leader",
        "kind_name": "镇（街道）领导",
        "holder": "王副镇长",
        "title": "副镇长",
        "since": "2025-07-01",
        "until": None,
    }
    assert client_as("inspector").get(f"/api/v1/contact-links/{first['id']}/").json()["until"] == "2025-06-30"


def test_several_deputies_and_members_link_one_village_side_by_side(world):
    fill(kind="deputies", holder="陈代表")
    fill(kind="deputies", holder="黄委员")

    rows = results_of(client_as("town_official").get("/api/v1/contact-links/", {"kind": "deputies"}))

    assert sorted(row["holder"] for row in rows) == ["陈代表", "黄委员"]
    assert all(row["until"] is None for row in rows)


def test_bad_input_to_fill_a_link_is_a_field_error_in_chinese(world):
    unknown_kind = fill(kind="mayor")
    no_holder = fill(holder="")
    bad_date = fill(since="2025-02-30")
    a_town = fill(division=w.TOWN + "000")  # not a village that exists: 404 like any out of scope
    not_a_village = fill(division=w.COOPERATIVE)

    assert unknown_kind.status_code == 400 and list(unknown_kind.json()) == ["kind"]
    assert no_holder.status_code == 400 and list(no_holder.json()) == ["holder"]
    assert "不能为空" in no_holder.json()["holder"][0]
    assert bad_date.status_code == 400 and list(bad_date.json()) == ["since"]
    assert a_town.status_code == 404
    assert not_a_village.status_code == 400 and list(not_a_village.json()) == ["division"]
    assert not ContactLink.objects.exists()


def test_a_new_holder_no_later_than_the_current_one_is_refused_on_since(world):
    fill(since="2025-06-01")

    response = fill(holder="王副镇长", since="2025-06-01")

    assert response.status_code == 400
    assert response.json() == {"since": ["挂钩日期须晚于现任挂钩的开始日期。"]}


def test_ending_a_link_before_its_start_or_twice_is_a_400_on_until(world):
    link_id = fill(since="2025-06-01").json()["id"]
    url = f"/api/v1/contact-links/{link_id}/end/"
    client = client_as("town_official")

    early = client.post(url, {"until": "2025-05-31"}, format="json")
    ended = client.post(url, {"until": "2025-06-01"}, format="json")
    twice = client.post(url, {"until": "2025-12-31"}, format="json")

    assert early.status_code == 400 and early.json() == {"until": ["结束日期不能早于挂钩日期。"]}
    assert ended.status_code == 200 and ended.json()["until"] == "2025-06-01"
    assert twice.status_code == 400 and twice.json() == {"until": ["该挂钩已结束。"]}


def test_the_link_list_filters_by_subtree_kind_and_current(world):
    held = link_in(w.VILLAGE, LinkKind.TOWN_LEADER)
    ended = link_in(w.VILLAGE, LinkKind.TOWN_LEADER, since=D(2020, 1, 1), until=D(2024, 12, 31))
    deputy = link_in(w.OTHER_VILLAGE_SAME_TOWN, LinkKind.DEPUTIES)
    elsewhere = link_in(w.OTHER_TOWN_VILLAGE, LinkKind.DEPUTIES)
    client = client_as("district_admin")

    def ids(**params):
        return {row["id"] for row in results_of(client.get("/api/v1/contact-links/", params))}

    assert ids() == {held.pk, ended.pk, deputy.pk, elsewhere.pk}
    assert ids(division=w.TOWN) == {held.pk, ended.pk, deputy.pk}
    assert ids(division=w.VILLAGE) == {held.pk, ended.pk}
    assert ids(kind="deputies") == {deputy.pk, elsewhere.pk}
    assert ids(current="true", division=w.VILLAGE) == {held.pk}
    assert ids(current="false") == {ended.pk}


def test_another_towns_link_is_404_to_read_and_to_end(world):
    link = link_in(w.OTHER_TOWN_VILLAGE)
    client = client_as("town_official")

    assert client.get(f"/api/v1/contact-links/{link.pk}/").status_code == 404
    assert (
        client.post(f"/api/v1/contact-links/{link.pk}/end/", {"until": "2025-12-31"}, format="json").status_code == 404
    )
    link.refresh_from_db()
    assert link.until is None


def test_links_are_never_edited_nor_deleted_through_the_api(world):
    link = link_in(w.VILLAGE)
    client = client_as("district_admin")

    assert client.patch(f"/api/v1/contact-links/{link.pk}/", {"holder": "改"}, format="json").status_code == 405
    assert client.delete(f"/api/v1/contact-links/{link.pk}/").status_code == 405


# --- 3. Contact days ---------------------------------------------------------------------------------


def record(who="village_clerk", **body):
    payload = {"division": w.VILLAGE, "held_on": "2025-12-02", "attendees": 25, **body}
    return client_as(who).post("/api/v1/contact-days/", payload, format="json")


def test_a_contact_day_on_a_tuesday_and_one_moved_off_it_are_both_recorded(world):
    tuesday = record(held_on="2025-12-02", matters_raised="路灯损坏；垃圾清运", matters_settled=1)
    wednesday = record(held_on="2025-12-10")

    assert tuesday.status_code == 201 and wednesday.status_code == 201, wednesday.content
    assert tuesday.json() | {"id": None} == {
        "id": None,
        "division": w.VILLAGE,
        "held_on": "2025-12-02",
        "on_contact_weekday": True,
        "attendees": 25,
        "matters_raised": "路灯损坏；垃圾清运",
        "matters_settled": 1,
    }
    assert wednesday.json()["on_contact_weekday"] is False


def test_a_town_records_its_own_contact_day(world):
    response = record("town_official", division=w.TOWN)

    assert response.status_code == 201 and response.json()["division"] == w.TOWN


def test_bad_contact_days_are_field_errors_in_chinese(world):
    record(held_on="2025-12-02")

    again = record(held_on="2025-12-02")
    future = record(held_on="2999-01-05")
    negative = record(attendees=-1)
    in_a_cooperative = record(division=w.COOPERATIVE, held_on="2025-11-25")

    assert again.status_code == 400 and again.json() == {"held_on": ["该镇村当天已登记过组织直联日。"]}
    assert future.status_code == 400 and future.json() == {"held_on": ["日期不能晚于今天。"]}
    assert negative.status_code == 400 and list(negative.json()) == ["attendees"]
    assert in_a_cooperative.status_code == 400 and list(in_a_cooperative.json()) == ["division"]
    assert ContactDay.objects.count() == 1


def test_a_contact_day_is_corrected_through_the_service_and_its_date_stays_unique(world):
    first = record(held_on="2025-12-02").json()
    second = record(held_on="2025-12-09").json()
    client = client_as("village_clerk")

    corrected = client.patch(
        f"/api/v1/contact-days/{first['id']}/", {"attendees": 40, "matters_settled": 2}, format="json"
    )
    clash = client.patch(f"/api/v1/contact-days/{second['id']}/", {"held_on": "2025-12-02"}, format="json")

    assert corrected.status_code == 200 and (corrected.json()["attendees"], corrected.json()["matters_settled"]) == (
        40,
        2,
    )
    assert clash.status_code == 400 and list(clash.json()) == ["held_on"]


def test_the_contact_day_list_filters_by_subtree_and_dates(world):
    november = ContactDayFactory(division=division(w.VILLAGE), held_on=D(2025, 11, 4))
    december = ContactDayFactory(division=division(w.VILLAGE), held_on=D(2025, 12, 2))
    town = ContactDayFactory(division=division(w.TOWN), held_on=D(2025, 12, 2))
    other = ContactDayFactory(division=division(w.OTHER_TOWN_VILLAGE), held_on=D(2025, 12, 2))
    client = client_as("district_admin")

    def ids(**params):
        return {row["id"] for row in results_of(client.get("/api/v1/contact-days/", params))}

    assert ids() == {november.pk, december.pk, town.pk, other.pk}
    assert ids(division=w.TOWN) == {november.pk, december.pk, town.pk}
    assert ids(after="2025-12-01") == {december.pk, town.pk, other.pk}
    assert ids(before="2025-11-30", division=w.VILLAGE) == {november.pk}
    assert client.get("/api/v1/contact-days/", {"after": "not-a-day"}).status_code == 400


def test_another_towns_contact_day_is_404_to_read_change_and_delete(world):
    day = ContactDayFactory(division=division(w.OTHER_TOWN_VILLAGE))
    client = client_as("town_official")

    assert client.get(f"/api/v1/contact-days/{day.pk}/").status_code == 404
    assert client.patch(f"/api/v1/contact-days/{day.pk}/", {"attendees": 1}, format="json").status_code == 404
    assert client_as("village_clerk").delete(f"/api/v1/contact-days/{day.pk}/").status_code == 404
    assert record("town_official", division=w.OTHER_TOWN_VILLAGE).status_code == 404


# --- 4. Query counts ---------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/api/v1/contact-links/", "/api/v1/contact-days/"])
def test_a_list_costs_the_same_queries_for_1_row_as_for_many(world, url):
    """Pinned (the grants cached on the user): the page's count and the page."""
    link_in(w.VILLAGE)
    ContactDayFactory(division=division(w.VILLAGE))
    client = client_as("town_official")
    client.get(url)  # the grants, cached on the user
    one_queries, one_rows = queries_and_rows(client, url)

    for code in (w.VILLAGE, w.OTHER_VILLAGE_SAME_TOWN):
        link_in(code)
        link_in(code)
        ContactDayFactory(division=division(code))
        ContactDayFactory(division=division(code))
    many_queries, many_rows = queries_and_rows(client, url)

    assert many_rows > one_rows
    assert many_queries == one_queries == 2
