"""The disclosure catalogue and filing pages (issue 16 point 1): a village's catalogue in the
browser (list, add, edit), filing a disclosure from a calendar cell or a row of the overdue list,
the forms' errors (Chinese, on their fields), and the one state of a due disclosure that the
calendar, the overdue list, the home page's count and the report all read (a disclosure published
after its deadline is late, not overdue). Access matrices and pinned query counts.

The data is of 2024, long past: what is overdue does not depend on the day the tests run."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from governance import clock
from governance.testing import world as w
from governance.testing.api import client_as, results_of
from governance.testing.pages import PageAccessTests, queries_for, signed_in_client
from supervision.choices import Cadence, DisclosureState
from supervision.demo.assessment import LATE_MONTH, load_catalogue
from supervision.models import Disclosure, DisclosureItem, deadline_of
from supervision.querysets import disclosure_state
from supervision.services import disclosures
from villages.demo.plan import DEMO_VILLAGE_CODE
from villages.testing.factories import division

D = datetime.date
YEAR = 2024
VIEWERS = {"district_admin", "town_official", "village_clerk", "inspector"}
KEEPERS = {"district_admin", "village_clerk"}

pytestmark = pytest.mark.django_db


def catalogue_item(code: str, title: str = "财务收支", cadence: str = Cadence.QUARTERLY, **dates) -> DisclosureItem:
    return DisclosureItem.objects.create(
        division=division(code),
        title=title,
        cadence=cadence,
        since=dates.get("since", D(YEAR, 1, 1)),
        until=dates.get("until", D(YEAR, 12, 31)),
    )


def disclose(item, period_start, filed_on):
    return Disclosure.objects.create(
        item=item, period_start=period_start, due_on=deadline_of(item.cadence, period_start), filed_on=filed_on
    )


def file_url(item, period: str = f"{YEAR}-01-01") -> str:
    return reverse("supervision:disclosure_file", args=[item.pk]) + f"?period={period}"


# --- access ----------------------------------------------------------------------------------------


class TestCataloguePage(PageAccessTests):
    viewers = VIEWERS
    is_list = True

    def url(self, obj):
        return reverse("supervision:disclosure_catalogue")

    def make_object(self, code):
        return catalogue_item(code, f"目录事项{code}")

    def marker(self, item):
        return item.title


class TestItemEditPage(PageAccessTests):
    viewers = VIEWERS
    posters = KEEPERS

    def url(self, item):
        return reverse("supervision:disclosure_item_edit", args=[item.pk])

    def make_object(self, code):
        return catalogue_item(code, f"目录事项{code}")

    def post_data(self, item):
        return {"title": "改过的事项", "cadence": item.cadence, "since": f"{YEAR}-01-01", "until": ""}


class TestFilingPage(PageAccessTests):
    viewers = VIEWERS
    posters = KEEPERS

    def url(self, item):
        return file_url(item)

    def make_object(self, code):
        return catalogue_item(code, f"目录事项{code}")

    def post_data(self, item):
        return {"period_day": f"{YEAR}-01-01", "filed_on": f"{YEAR}-04-05", "content": "一季度收支"}


class TestItemAddPage(PageAccessTests):
    """The catalogue belongs to a village: each role is placed at a village (the cooperative clerk,
    who keeps none, at their cooperative)."""

    viewers = set(w.ROLE_HOME)  # every role views the divisions of its jurisdiction
    posters = KEEPERS
    places = {
        role: (w.COOPERATIVE, w.JUST_OUTSIDE[role]) if role == "coop_clerk" else (w.VILLAGE, w.JUST_OUTSIDE[role])
        for role in w.ROLE_HOME
    }

    def url(self, place):
        return reverse("supervision:disclosure_item_add", args=[place.code])

    def make_object(self, code):
        return division(code)

    def post_data(self, place):
        return {"title": "新公开事项", "cadence": Cadence.MONTHLY, "since": f"{YEAR}-01-01"}


@pytest.mark.parametrize(
    ("who", "code", "status"),
    [
        ("village_clerk", w.VILLAGE, 200),
        ("district_admin", w.VILLAGE, 200),
        ("town_official", w.VILLAGE, 403),  # views the catalogue, does not keep it
        ("village_clerk", w.OTHER_VILLAGE_SAME_TOWN, 404),
        ("district_admin", w.COOPERATIVE, 404),  # a catalogue belongs to a village
        ("district_admin", w.TOWN, 404),
        ("outsider", w.VILLAGE, 404),
    ],
)
def test_who_opens_the_form_to_add_an_item_to_a_village_s_catalogue(world, who, code, status):
    user = world.outsider if who == "outsider" else world.user(who)

    response = signed_in_client(user).get(reverse("supervision:disclosure_item_add", args=[code]))

    assert response.status_code == status


# --- the catalogue ---------------------------------------------------------------------------------


def test_a_village_clerk_adds_an_item_to_the_catalogue_and_corrects_it(world):
    client = signed_in_client(world.user("village_clerk"))

    response = client.post(
        reverse("supervision:disclosure_item_add", args=[w.VILLAGE]),
        {"title": " 月度财务收支 ", "cadence": Cadence.MONTHLY, "since": "2024-01-15"},
    )

    item = DisclosureItem.objects.get(division_id=w.VILLAGE)
    assert response.url == reverse("supervision:disclosure_catalogue") + f"?division={w.VILLAGE}"
    assert (item.title, item.cadence, item.since, item.until) == ("月度财务收支", Cadence.MONTHLY, D(2024, 1, 15), None)
    listed = client.get(response.url).text
    assert "月度财务收支" in listed and reverse("supervision:disclosure_item_edit", args=[item.pk]) in listed

    client.post(
        reverse("supervision:disclosure_item_edit", args=[item.pk]),
        {"title": "财务收支明细", "cadence": Cadence.MONTHLY, "since": "2024-01-15", "until": "2024-06-30"},
    )

    item.refresh_from_db()
    assert (item.title, item.until) == ("财务收支明细", D(2024, 6, 30))


def test_the_catalogue_offers_its_add_form_only_to_who_keeps_it(world):
    catalogue_item(w.VILLAGE, "本村事项")
    add = reverse("supervision:disclosure_item_add", args=[w.VILLAGE])

    clerk = signed_in_client(world.user("village_clerk")).get(reverse("supervision:disclosure_catalogue")).text
    town = (
        signed_in_client(world.user("town_official"))
        .get(reverse("supervision:disclosure_catalogue"), {"division": w.VILLAGE})
        .text
    )

    assert add in clerk and "本村事项" in clerk
    assert add not in town and "本村事项" in town and "修改" not in town


def test_the_item_form_says_what_is_wrong_on_its_fields_in_chinese(world):
    client = signed_in_client(world.user("village_clerk"))

    empty = client.post(reverse("supervision:disclosure_item_add", args=[w.VILLAGE]), {"cadence": "weekly"})

    errors = empty.context["form"].errors
    assert errors["title"] == ["该字段是必填项。"]
    assert errors["since"] == ["该字段是必填项。"]
    assert "选择一个有效的选项" in errors["cadence"][0]
    assert not DisclosureItem.objects.exists()


def test_an_item_with_disclosures_keeps_its_cadence_and_stops_no_earlier_than_it_starts(world):
    item = catalogue_item(w.VILLAGE)
    disclose(item, D(YEAR, 1, 1), D(YEAR, 4, 1))
    url = reverse("supervision:disclosure_item_edit", args=[item.pk])
    client = signed_in_client(world.user("village_clerk"))

    cadence = client.post(url, {"title": "财务收支", "cadence": Cadence.MONTHLY, "since": "2024-01-01"})
    until = client.post(
        url, {"title": "财务收支", "cadence": item.cadence, "since": "2024-01-01", "until": "2023-12-31"}
    )

    assert cadence.context["form"].errors["cadence"] == ["该事项已有公开记录，不能更改公开频次。"]
    assert until.context["form"].errors["until"] == ["停止日期不能早于起始日期。"]
    item.refresh_from_db()
    assert (item.cadence, item.until) == (Cadence.QUARTERLY, D(YEAR, 12, 31))


def test_changing_an_item_is_refused_to_a_town_official_by_the_service(world):
    item = catalogue_item(w.VILLAGE)

    with pytest.raises(PermissionDenied):
        disclosures.change_disclosure_item(
            item, acting_user=world.user("town_official"), title="x", cadence=item.cadence, since=item.since, until=None
        )


# --- filing ----------------------------------------------------------------------------------------


def test_a_calendar_cell_links_to_the_filing_form_of_its_item_and_period_for_who_files(world):
    item = catalogue_item(w.VILLAGE)

    clerk = signed_in_client(world.user("village_clerk")).get(
        reverse("supervision:disclosure_calendar"), {"year": YEAR}
    )
    town = signed_in_client(world.user("town_official")).get(
        reverse("supervision:disclosure_calendar"), {"year": YEAR, "division": w.VILLAGE}
    )

    for quarter in ("01", "04", "07", "10"):
        link = file_url(item, f"{YEAR}-{quarter}-01")
        assert link in clerk.text and link not in town.text


def test_each_row_of_the_overdue_list_has_its_button_to_file(world):
    item = catalogue_item(w.VILLAGE)

    text = signed_in_client(world.user("village_clerk")).get(reverse("supervision:disclosures_overdue")).text

    assert text.count("去公开") == 4
    assert file_url(item, f"{YEAR}-07-01") in text


def test_the_filing_form_files_through_the_service_and_the_period_leaves_the_overdue_list(world):
    item = catalogue_item(w.VILLAGE)
    client = signed_in_client(world.user("village_clerk"))
    form = client.get(file_url(item, f"{YEAR}-04-01"))
    assert form.context["form"].initial["period_day"] == D(YEAR, 4, 1)

    response = client.post(
        file_url(item, f"{YEAR}-04-01"), {"period_day": "2024-05-20", "filed_on": "2024-07-08", "content": "二季度"}
    )

    filed = Disclosure.objects.get(item=item)
    assert (filed.period_start, filed.due_on, filed.filed_on, filed.content) == (
        D(YEAR, 4, 1),
        D(YEAR, 7, 10),
        D(YEAR, 7, 8),
        "二季度",
    )
    assert filed.filed_by == world.user("village_clerk")
    assert response.url == reverse("supervision:disclosure_calendar") + f"?year={YEAR}&division={w.VILLAGE}"
    assert client.get(reverse("supervision:disclosures_overdue")).context["total"] == 3


def test_the_filing_form_says_what_is_wrong_on_its_fields_in_chinese(world):
    item = catalogue_item(w.VILLAGE)
    client = signed_in_client(world.user("village_clerk"))
    tomorrow = clock.today() + datetime.timedelta(days=2)

    empty = client.post(file_url(item), {"period_day": "2024-01-01"})
    future = client.post(file_url(item), {"period_day": "2024-01-01", "filed_on": tomorrow, "content": "x"})
    outside = client.post(file_url(item), {"period_day": "2023-12-01", "filed_on": "2024-01-05", "content": "x"})
    early = client.post(file_url(item), {"period_day": "2024-04-01", "filed_on": "2024-03-31", "content": "x"})

    assert empty.context["form"].errors == {"filed_on": ["该字段是必填项。"], "content": ["该字段是必填项。"]}
    assert future.context["form"].errors == {"filed_on": ["日期不能晚于今天。"]}
    assert outside.context["form"].errors == {"period_day": ["该期间不在公开事项的公开时段内。"]}
    assert early.context["form"].errors == {"filed_on": ["公开日期不能早于所属期间。"]}
    assert not Disclosure.objects.exists()


# --- one state: on time, late, overdue, not yet due ------------------------------------------------


def test_a_disclosure_s_state_at_each_boundary_of_its_deadline():
    due_on = D(2024, 6, 10)

    assert disclosure_state(due_on, None, D(2024, 6, 10)) == DisclosureState.PENDING  # due today
    assert disclosure_state(due_on, None, D(2024, 6, 11)) == DisclosureState.OVERDUE  # the day after
    assert disclosure_state(due_on, D(2024, 6, 10), D(2024, 6, 11)) == DisclosureState.ON_TIME  # the last day
    assert disclosure_state(due_on, D(2024, 6, 11), D(2024, 6, 11)) == DisclosureState.LATE  # a day late
    assert disclosure_state(due_on, D(2024, 7, 1), D(2024, 6, 20)) == DisclosureState.OVERDUE  # not yet then


def test_the_calendar_the_overdue_list_the_home_count_and_the_report_agree(world):
    # The village: May's finances published late (after 10 June) and April's never.
    item = catalogue_item(w.VILLAGE, "月度财务公开", Cadence.MONTHLY, since=D(YEAR, 4, 1), until=D(YEAR, 5, 31))
    disclose(item, D(YEAR, 5, 1), filed_on=D(YEAR, 7, 1))
    client = signed_in_client(world.user("village_clerk"))

    calendar = client.get(reverse("supervision:disclosure_calendar"), {"year": YEAR}).context["counts"]
    listed = client.get(reverse("supervision:disclosures_overdue")).context
    home = client.get(reverse("home")).context["pending_counts"]["disclosures_overdue"]
    report = results_of(
        client_as("village_clerk").get(
            reverse("api:report-overdue-disclosures"), {"period": str(YEAR), "division": w.VILLAGE}
        )
    )[0]

    assert calendar[DisclosureState.OVERDUE] == listed["total"] == home == report["overdue"] == 1
    assert calendar[DisclosureState.LATE] == report["late"] == 1
    assert [row["due"].period_start for row in listed["overdue"]] == [D(YEAR, 4, 1)]
    assert Disclosure.objects.overdue(clock.today()).count() == 0  # the API's ?overdue_on=


def test_on_the_demo_s_catalogue_the_late_may_finances_are_late_and_not_overdue(world):
    # The demo's catalogue (supervision.demo.assessment), loaded as of today by the district: May's
    # finances posted on 15 June (after the 10th) and a major matter of September never posted.
    division(DEMO_VILLAGE_CODE)
    load_catalogue(world.user("district_admin"), clock.today())
    client = signed_in_client(world.user("district_admin"))
    query = {"year": 2026, "division": DEMO_VILLAGE_CODE}

    calendar = client.get(reverse("supervision:disclosure_calendar"), query).context
    listed = client.get(reverse("supervision:disclosures_overdue")).context
    home = client.get(reverse("home")).context["pending_counts"]["disclosures_overdue"]

    of_2026 = [row for row in listed["overdue"] if row["due"].period_start.year == 2026]
    assert calendar["counts"][DisclosureState.OVERDUE] == len(of_2026)
    assert home == listed["total"]
    finances = next(row for row in calendar["rows"] if row["item"].cadence == Cadence.MONTHLY)
    assert [cell["mark"] for cell in finances["cells"][LATE_MONTH - 1]] == [DisclosureState.LATE]
    assert all(row["due"].period_start != D(2026, LATE_MONTH, 1) for row in listed["overdue"])


# --- query counts ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["town_official", "village_clerk"])
def test_the_catalogue_costs_the_same_queries_for_one_item_and_for_several(world, who):
    url = reverse("supervision:disclosure_catalogue") + f"?division={w.VILLAGE}"
    catalogue_item(w.VILLAGE, "事项0")
    one = queries_for(signed_in_client(world.user(who)), url)
    for number in range(1, 6):
        catalogue_item(w.VILLAGE, f"事项{number}", Cadence.MONTHLY)

    several = queries_for(signed_in_client(world.user(who)), url)

    # The session, the user, their grants and the items; the village for who may add to it.
    assert one == several == {"town_official": 4, "village_clerk": 5}[who]


def test_the_calendar_with_its_links_costs_the_same_queries_for_one_item_and_for_several(world):
    url = reverse("supervision:disclosure_calendar") + f"?year={YEAR}"
    catalogue_item(w.VILLAGE, "事项0")
    one = queries_for(signed_in_client(world.user("village_clerk")), url)
    for number in range(1, 6):
        catalogue_item(w.VILLAGE, f"事项{number}", Cadence.MONTHLY)

    several = queries_for(signed_in_client(world.user("village_clerk")), url)

    assert one == several == 5
