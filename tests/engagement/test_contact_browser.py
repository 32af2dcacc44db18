"""A real browser (Debian's Chromium) works the five links and a contact day: the village clerk
records a contact day on a 390 px phone, moved off Tuesday, and is warned, not refused; a town
official, told on the home page that villages miss a link, fills one from the link table; the
town's engagement dashboard then draws the panel's chart without a script error."""

import datetime

import pytest
from django.urls import reverse

from engagement.choices import LinkKind
from engagement.models import ContactDay, ContactLink
from engagement.testing.factories import ContactLinkFactory
from governance.testing import world as w
from governance.testing.browser import ARTIFACTS, expect, sign_in
from villages.testing.factories import division
from villages.testing.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def town(transactional_db):
    build_world()
    for kind in (LinkKind.DISTRICT_LEADER, LinkKind.DISTRICT_BRANCH, LinkKind.TOWN_LEADER, LinkKind.TOWN_BRANCH):
        ContactLinkFactory(division=division(w.VILLAGE), kind=kind, since=datetime.date(2025, 1, 1))
    division(w.OTHER_VILLAGE_SAME_TOWN)


def sign_out(page) -> None:
    toggler = page.locator("nav.navbar .navbar-toggler")
    if toggler.is_visible():
        toggler.click()
    page.get_by_role("button", name="退出").click()
    page.wait_for_url("**/accounts/login/")


def test_a_contact_day_from_a_phone_and_a_link_filled_from_the_link_table(live_server, page, town):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    ARTIFACTS.mkdir(exist_ok=True)

    # The village clerk, on a phone: their village preselected; a Wednesday is recorded, with a warning.
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "village_clerk")
    page.goto(live_server.url + reverse("engagement:contact_day_add"))
    expect(page.get_by_label("镇村")).to_have_value(w.VILLAGE)
    page.get_by_label("直联日期").fill("2025-12-03")
    page.get_by_label("参加人数").fill("18")
    page.get_by_label("收集的问题").fill("村道路灯损坏")
    page.get_by_label("当场解决问题数").fill("1")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(ARTIFACTS / "contact-day-phone.png"), full_page=True)
    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/engagement/contact/days/")
    expect(page.locator(".alert-warning")).to_contain_text("不是星期二")
    expect(page.locator("#contact-days")).to_contain_text("村道路灯损坏")
    assert ContactDay.objects.get().held_on == datetime.date(2025, 12, 3)
    sign_out(page)

    # The town official: told on the home page, fills 罗村's deputies from the link table.
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, "town_official")
    expect(page.locator("body")).to_contain_text("2 个村（社区）五挂钩未全部落实。")
    page.goto(live_server.url + reverse("engagement:contact_links"))
    page.locator(f"#village-{w.VILLAGE} a[href*='kind=deputies']").click()
    expect(page.get_by_label("挂钩类别")).to_have_value("deputies")
    page.get_by_label("挂钩领导或单位").fill("陈代表")
    page.get_by_label("挂钩日期").fill("2025-03-01")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/engagement/contact/links/**")
    expect(page.locator(f"#village-{w.VILLAGE}")).to_contain_text("陈代表")
    assert ContactLink.objects.filter(division_id=w.VILLAGE, until__isnull=True).count() == 5

    # The town's dashboard draws the panel's chart: 罗村 complete, 联和 not.
    page.goto(live_server.url + reverse("engagement:dashboard") + f"?division={w.TOWN}&period=2025")
    page.locator("#chart-contact-links canvas").first.wait_for()
    expect(page.locator("#contact-panel")).to_contain_text("罗村村委会")
    page.screenshot(path=str(ARTIFACTS / "contact-dashboard.png"), full_page=True)
    assert errors == []
