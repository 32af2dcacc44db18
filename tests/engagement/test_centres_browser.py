"""A real browser (Debian's Chromium): a village clerk, told on the home page of a plan without a
drill for a year, records the drill on a 390 px phone; a town official then reads the town's table
of centres, funds and drills with the targets met and missed, and the dashboard draws its charts
without a script error."""

import datetime

import pytest
from django.urls import reverse

from engagement.choices import MIN_OPERATING_FUND_FEN
from engagement.models import Drill
from engagement.testing.factories import EmergencyPlanFactory, OperatingFundFactory, ServiceCentreFactory
from governance import clock
from governance.testing import world as w
from governance.testing.browser import ARTIFACTS, assert_fits, expect, sign_in
from villages.testing.factories import division
from villages.testing.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def town(transactional_db):
    build_world()
    luocun, lianhe = division(w.VILLAGE), division(w.OTHER_VILLAGE_SAME_TOWN)
    ServiceCentreFactory(division=luocun, area_m2="300.0", service_area_m2="210.0", households_served=1000)
    ServiceCentreFactory(division=lianhe, area_m2="200.0", service_area_m2="100.0", households_served=1000)
    year = clock.today().year
    OperatingFundFactory(division=luocun, year=year, amount_fen=MIN_OPERATING_FUND_FEN)
    OperatingFundFactory(division=lianhe, year=year, amount_fen=MIN_OPERATING_FUND_FEN - 5_000_000)
    return EmergencyPlanFactory(
        division=luocun, title="防汛防台风应急预案", adopted_on=clock.today() - datetime.timedelta(days=500)
    )


def sign_out(page) -> None:
    toggler = page.locator("nav.navbar .navbar-toggler")
    if toggler.is_visible():
        toggler.click()
    page.get_by_role("button", name="退出").click()
    page.wait_for_url("**/accounts/login/")


def test_a_clerk_records_a_drill_on_a_phone_and_the_town_reads_its_targets(live_server, page, town):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    ARTIFACTS.mkdir(exist_ok=True)

    # The village clerk, on a phone: told on the home page, records the drill in a few taps.
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "village_clerk")
    pending = page.locator("#pending-engagement_plans_due_a_drill")
    expect(pending).to_contain_text("1 个应急预案一年内未演练。")
    pending.get_by_role("link", name="去登记演练").click()
    page.wait_for_url("**/engagement/centres/plans/due/")
    page.locator(f"#plan-{town.pk}").get_by_role("link", name="登记演练").click()
    page.wait_for_url(f"**/engagement/centres/plans/{town.pk}/drills/new/")
    expect(page.get_by_label("演练日期")).to_have_value(clock.today().isoformat())
    page.get_by_label("参加人数").fill("36")
    page.get_by_label("演练情况").fill("组织群众疏散至避难场所")
    assert_fits(page)
    save = page.get_by_role("button", name="保存")
    box = save.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] and box["height"] >= 44
    page.screenshot(path=str(ARTIFACTS / "engagement-drill-phone.png"), full_page=True)
    save.click()
    page.wait_for_url(f"**/engagement/centres/{w.VILLAGE}/")
    expect(page.get_by_role("alert")).to_have_text("已登记演练。")
    expect(page.locator(f"#plan-{town.pk}")).not_to_contain_text("一年内未演练")
    assert Drill.objects.get(plan=town).participants == 36
    assert_fits(page)
    sign_out(page)

    # A town official reads the town's table: 罗村 meets every target, 联和 misses the centre's and the fund's.
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, "town_official")
    page.goto(live_server.url + reverse("engagement:centres"))
    luocun, lianhe = page.locator(f"#village-{w.VILLAGE}"), page.locator(f"#village-{w.OTHER_VILLAGE_SAME_TOWN}")
    expect(luocun.locator('[data-target="area"]')).to_have_text("达标")
    expect(luocun.locator('[data-target="fund"]')).to_have_text("达标")
    expect(luocun.locator('[data-target="drill"]')).to_have_text("0")
    expect(lianhe.locator('[data-target="area"]')).to_have_text("未达标")
    expect(lianhe.locator('[data-target="share"]')).to_have_text("未达标")
    expect(lianhe.locator('[data-target="fund"]')).to_have_text("未达标")
    expect(lianhe.locator('[data-target="drill"]')).to_have_text("无预案")
    page.screenshot(path=str(ARTIFACTS / "engagement-centres-table.png"), full_page=True)

    page.goto(live_server.url + reverse("engagement:dashboard") + f"?division={w.TOWN}")
    expect(page.locator("#chart-centres-area canvas")).to_have_count(1)
    assert errors == []
