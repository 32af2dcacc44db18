"""The disclosure pages (supervision/pages/disclosures.py): the calendar with its overdue marks,
the overdue watchdog (its list and the home page's count), the village's published disclosures
on its public page, access matrices and pinned query counts.

The calendars and lists are of 2024, long past: every disclosure of it is due whatever the day the
tests run, so what is overdue does not depend on the clock."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from governance.testing import world as w
from governance.testing.pages import PageAccessTests, queries_for, signed_in_client
from supervision.choices import Cadence
from supervision.models import Disclosure, DisclosureItem, deadline_of
from supervision.pages.disclosures import LATE, ON_TIME, OVERDUE, PENDING, mark_of
from supervision.querysets import DueDisclosure
from villages.testing.factories import division

D = datetime.date
VIEWERS = {"district_admin", "town_official", "village_clerk", "inspector"}
YEAR = 2024


def catalogue_item(code: str, title: str | None = None, cadence: str = Cadence.QUARTERLY) -> DisclosureItem:
    return DisclosureItem.objects.create(
        division=division(code),
        title=title or f"财务收支{code}",
        cadence=cadence,
        since=D(YEAR, 1, 1),
        until=D(YEAR, 12, 31),
    )


def disclose(item: DisclosureItem, period_start: datetime.date, filed_on: datetime.date | None, content: str = ""):
    return Disclosure.objects.create(
        item=item,
        period_start=period_start,
        due_on=deadline_of(item.cadence, period_start),
        filed_on=filed_on,
        content=content,
    )


class TestCalendarPage(PageAccessTests):
    viewers = VIEWERS
    is_list = True

    def url(self, obj):
        return reverse("supervision:disclosure_calendar") + f"?year={YEAR}"

    def make_object(self, code):
        return catalogue_item(code)

    def marker(self, item):
        return item.title


class TestOverduePage(PageAccessTests):
    viewers = VIEWERS
    is_list = True

    def url(self, obj):
        return reverse("supervision:disclosures_overdue")

    def make_object(self, code):
        return catalogue_item(code)

    def marker(self, item):
        return item.title


pytestmark = pytest.mark.django_db


def due(due_on, filed_on=None):
    return DueDisclosure(item_id=1, division_id=w.VILLAGE, period_start=D(2024, 1, 1), due_on=due_on, filed_on=filed_on)


def test_a_disclosure_is_marked_on_time_late_overdue_or_not_yet_due():
    today = D(2024, 6, 1)

    assert mark_of(due(D(2024, 4, 10), filed_on=D(2024, 4, 10)), today) == ON_TIME
    assert mark_of(due(D(2024, 4, 10), filed_on=D(2024, 4, 11)), today) == LATE
    assert mark_of(due(D(2024, 4, 10)), today) == OVERDUE
    assert mark_of(due(D(2024, 6, 1)), today) == PENDING  # due today: not yet overdue


def test_the_calendar_marks_each_quarter_of_an_item_in_its_first_month(world):
    item = catalogue_item(w.VILLAGE, "季度财务公开")
    disclose(item, D(YEAR, 1, 1), filed_on=D(YEAR, 4, 5))  # on time (due 10 April)
    disclose(item, D(YEAR, 4, 1), filed_on=D(YEAR, 8, 1))  # late (due 10 July)

    response = signed_in_client(world.user("town_official")).get(
        reverse("supervision:disclosure_calendar"), {"year": YEAR}
    )

    row = next(row for row in response.context["rows"] if row["item"] == item)
    assert [[cell["mark"] for cell in cell_marks] for cell_marks in row["cells"]] == [
        [ON_TIME],
        [],
        [],
        [LATE],
        [],
        [],
        [OVERDUE],
        [],
        [],
        [OVERDUE],
        [],
        [],
    ]
    assert response.context["counts"] == {ON_TIME: 1, LATE: 1, OVERDUE: 2, PENDING: 0}
    assert response.text.count("overdue-mark") == 2


def test_the_calendar_shows_one_village_when_asked_for_it(world):
    catalogue_item(w.VILLAGE, "本村事项")
    catalogue_item(w.OTHER_VILLAGE_SAME_TOWN, "邻村事项")

    text = (
        signed_in_client(world.user("town_official"))
        .get(reverse("supervision:disclosure_calendar"), {"year": YEAR, "division": w.VILLAGE})
        .text
    )

    assert "本村事项" in text and "邻村事项" not in text


def test_the_watchdog_lists_what_is_overdue_and_not_what_was_filed_on_time(world):
    item = catalogue_item(w.VILLAGE, "季度财务公开")
    for quarter_start in (D(YEAR, 1, 1), D(YEAR, 4, 1), D(YEAR, 7, 1)):
        disclose(item, quarter_start, filed_on=quarter_start + datetime.timedelta(days=95))

    response = signed_in_client(world.user("town_official")).get(reverse("supervision:disclosures_overdue"))

    assert response.context["total"] == 1
    (row,) = response.context["overdue"]
    assert (row["item"], row["due"].period_start) == (item, D(YEAR, 10, 1))


def test_a_town_official_sees_the_count_of_overdue_disclosures_on_the_home_page(world):
    catalogue_item(w.VILLAGE)  # four quarters, none filed

    response = signed_in_client(world.user("town_official")).get(reverse("home"))

    assert response.context["pending_counts"]["disclosures_overdue"] == 4
    assert reverse("supervision:disclosures_overdue") in response.text


def test_someone_who_views_no_disclosures_pays_no_query_for_the_count(world):
    catalogue_item(w.VILLAGE)

    response = signed_in_client(world.user("report_reader")).get(reverse("home"))

    assert response.context["pending_counts"]["disclosures_overdue"] == 0


def test_the_public_page_shows_the_villages_published_disclosures_only(world):
    item = catalogue_item(w.VILLAGE, "季度财务公开")
    disclose(item, D(YEAR, 1, 1), filed_on=D(YEAR, 4, 5), content="一季度收入 12.5 万元。")
    disclose(item, D(YEAR, 4, 1), filed_on=None, content="未公开的草稿")
    other = catalogue_item(w.OTHER_VILLAGE_SAME_TOWN, "邻村公开")
    disclose(other, D(YEAR, 1, 1), filed_on=D(YEAR, 4, 5), content="邻村的内容")

    text = Client().get(reverse("public_division", args=[w.VILLAGE])).text

    assert "一季度收入 12.5 万元。" in text
    assert "未公开的草稿" not in text and "邻村的内容" not in text


@pytest.mark.parametrize("page", ["supervision:disclosure_calendar", "supervision:disclosures_overdue"])
def test_a_disclosure_page_costs_the_same_queries_for_one_item_and_for_several(world, page):
    url = reverse(page) + f"?year={YEAR}"
    catalogue_item(w.VILLAGE, "事项0")
    one = queries_for(signed_in_client(world.user("town_official")), url)
    for number in range(1, 6):
        catalogue_item(w.OTHER_VILLAGE_SAME_TOWN if number % 2 else w.VILLAGE, f"事项{number}", Cadence.MONTHLY)

    several = queries_for(signed_in_client(world.user("town_official")), url)

    # The session, the user, their grants, the items (or the overdue rows) and the due disclosures
    # (or the items of the page).
    assert one == several == 5
