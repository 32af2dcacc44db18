"""The top bar in a real browser (Debian's Chromium), in English, the longer language: at a
laptop's 1366 px it fits (no horizontal scroll, sign-out on screen, the user's name readable),
and on a 390 px phone the menu collapses behind the toggler and still reaches sign-out."""

import pytest

from governance.testing.browser import sign_in
from villages.testing.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def english_district_admin(live_server, page, transactional_db):
    build_world()
    sign_in(page, live_server, "district_admin")  # the role with the most menus
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    return page


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def assert_within_viewport(page, locator, width: int) -> None:
    box = locator.bounding_box()
    assert box is not None, "not displayed"
    assert box["x"] >= 0 and box["x"] + box["width"] <= width


def test_the_english_top_bar_fits_a_laptop_of_1366_px(live_server, english_district_admin):
    page = english_district_admin
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "en"

    assert page_width(page) <= 1366
    sign_out = page.locator("#sign-out")
    assert sign_out.is_visible()
    assert_within_viewport(page, sign_out, 1366)
    user_menu = page.locator("#current-user")
    assert user_menu.is_visible()
    assert_within_viewport(page, user_menu, 1366)
    # The name is readable: not white on the white of a light button.
    colour = user_menu.evaluate("e => getComputedStyle(e).color")
    background = page.locator("nav.navbar").evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour != background


def test_the_english_top_bar_collapses_on_a_phone_of_390_px(live_server, english_district_admin):
    page = english_district_admin
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/")

    assert page_width(page) <= 390
    toggler = page.locator("nav.navbar .navbar-toggler")
    assert toggler.is_visible()
    assert not page.locator("#main-nav").is_visible()
    toggler.click()
    sign_out = page.locator("#sign-out")
    sign_out.wait_for(state="visible")
    assert_within_viewport(page, sign_out, 390)
    assert page_width(page) <= 390
