"""A real browser at a phone's width (390 px): the village clerk opens the disclosure calendar, whose
item column stays readable (its minimum width, sticky while the months scroll sideways), clicks an
overdue cell, files the disclosure, and the overdue count drops on the calendar and the home page.
Debian's Chromium, never a downloaded one."""

import datetime

import pytest
from django.urls import reverse

from governance import clock
from governance.testing import world as w
from governance.testing.browser import ARTIFACTS, sign_in
from supervision.choices import Cadence
from supervision.models import Disclosure, DisclosureItem
from villages.testing.factories import division
from villages.testing.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def catalogue(transactional_db):
    build_world()
    # A year whose months up to two months ago are all past their deadline, whatever today is.
    year = (clock.today() - datetime.timedelta(days=60)).year
    return DisclosureItem.objects.create(
        division=division(w.VILLAGE),
        title="村集体经济组织财务收支明细（含大额支出）",
        cadence=Cadence.MONTHLY,
        since=datetime.date(year, 1, 1),
    )


def overdue_badge(page) -> int:
    badge = page.locator("#overdue-link .badge")
    return int(badge.inner_text()) if badge.count() else 0


def test_the_village_clerk_files_an_overdue_disclosure_from_the_calendar_on_a_phone(live_server, page, catalogue):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "village_clerk")
    year = catalogue.since.year

    page.goto(live_server.url + reverse("supervision:disclosure_calendar") + f"?year={year}")
    before = overdue_badge(page)
    assert before >= 1

    # The item column keeps its width (no two characters a line) and stays put while the months scroll.
    item_cell = page.locator("#disclosure-calendar tbody td.calendar-item").first
    assert item_cell.bounding_box()["width"] >= 140
    scroller = page.locator(".table-responsive").first
    assert scroller.evaluate("element => element.scrollWidth > element.clientWidth")
    left_before = item_cell.bounding_box()["x"]
    scroller.evaluate("element => { element.scrollLeft = element.scrollWidth; }")
    assert abs(item_cell.bounding_box()["x"] - left_before) < 2
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1  # only the table scrolls
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "disclosure-calendar-phone.png"), full_page=True)

    cell = page.locator("a.calendar-cell[data-mark='overdue']").first
    period = cell.get_attribute("data-period")
    cell.click()
    page.wait_for_url("**/file/?period=*")
    page.get_by_label("公开内容").fill("一月份收入 8.2 万元，支出 5.1 万元。")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/supervision/disclosures/?year=*")

    assert overdue_badge(page) == before - 1
    filed = Disclosure.objects.get(item=catalogue, period_start=datetime.date.fromisoformat(period))
    assert filed.filed_on == clock.today() and filed.content.startswith("一月份收入")
    page.goto(live_server.url + reverse("home"))
    assert f"{before - 1} 项村务公开逾期未公开" in page.content()
    assert errors == []
