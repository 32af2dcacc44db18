"""A real browser walks the portal: Playwright drives Debian's Chromium (never a downloaded one)
against the live test server, as the town official. The `browser` and `page` fixtures and
`sign_in` are governance's (governance/testing/browser.py).
"""

import datetime

import pytest
from django.urls import reverse

from governance.testing import world as w
from governance.testing.browser import ARTIFACTS, expect, sign_in
from villages import services
from villages.identity import make_id_number
from villages.models import Position, PositionKind
from villages.testing.factories import PersonFactory, PositionFactory, division
from villages.testing.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def town(transactional_db):
    """build_world() and a few cooperatives and people in the town official's town."""
    world = build_world()
    division(f"{w.OTHER_VILLAGE_SAME_TOWN}001", "联和第一经济社")
    division(f"{w.OTHER_VILLAGE_SAME_TOWN}002", "联和第二经济社")
    # The gender follows the parity of the ID number's sequence: 黄志强 male, 梁秀英 female.
    born = datetime.date(1975, 5, 4)
    head = PersonFactory(name="黄志强", division=division(w.COOPERATIVE), id_number=make_id_number("440605", born, 13))
    PositionFactory(person=head, division=division(w.COOPERATIVE), kind=PositionKind.COOPERATIVE_HEAD)
    PersonFactory(
        name="梁秀英", division=division(w.OTHER_COOPERATIVE_SAME_VILLAGE), id_number=make_id_number("440605", born, 12)
    )
    return world


def test_a_town_official_browses_from_home_to_the_cooperatives_of_a_village_and_not_beyond(live_server, page, town):
    page.goto(live_server.url + reverse("home"))

    # Anonymous: sent to sign in; the form signs the town official in and lands on home.
    assert "/accounts/login/" in page.url
    sign_in(page, live_server, "town_official")
    assert page.locator("#current-user").inner_text() == "town_official"
    assert page.get_by_role("heading", name="我的辖区").is_visible()

    # Home starts at the town; the town lists its villages.
    page.get_by_role("link", name="狮山镇").click()
    page.wait_for_url(f"**/divisions/{w.TOWN}/")
    assert page.locator("#division-name").inner_text() == "狮山镇"
    children = page.locator("#children")
    assert children.get_by_role("link", name="罗村村委会").is_visible()
    assert children.get_by_role("link", name="联和村委会").is_visible()

    # A village shows its cooperatives, with the breadcrumbs back to the town.
    children.get_by_role("link", name="罗村村委会").click()
    page.wait_for_url(f"**/divisions/{w.VILLAGE}/")
    cooperatives = page.locator("#children")
    assert cooperatives.get_by_role("link", name="第一经济社").is_visible()
    assert cooperatives.get_by_role("link", name="第二经济社").is_visible()
    assert page.locator("#breadcrumbs").get_by_role("link", name="狮山镇").is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "village.png"), full_page=True)

    # The people of the village, from its page: names shown, ID numbers masked for the town.
    page.locator("#people-link").click()
    page.wait_for_url(f"**/people/?division={w.VILLAGE}")
    people = page.locator("#people")
    assert people.get_by_role("link", name="黄志强").is_visible()
    assert "********" in people.inner_text()
    page.screenshot(path=str(ARTIFACTS / "people.png"), full_page=True)

    # Choosing a filter refreshes the results in place (htmx) and keeps the URL in step.
    page.locator("#id_gender").select_option("female")
    page.wait_for_url("**/people/?*gender=female*")
    expect(page.locator("#people").get_by_role("link")).to_have_count(2)  # one person, one division
    assert people.get_by_role("link", name="梁秀英").is_visible()
    assert page.locator("#filters").count() == 1  # swapped the results, not the whole page

    # A village of another town is outside the jurisdiction: the not-found page.
    response = page.goto(live_server.url + reverse("villages:division", args=[w.OTHER_TOWN_VILLAGE]))
    assert response.status == 404
    assert page.locator("#not-found").is_visible()
    assert "下西村委会" not in page.content()
    page.screenshot(path=str(ARTIFACTS / "not-found.png"), full_page=True)

    # Signing out goes back to the sign-in page.
    page.get_by_role("button", name="退出").click()
    page.wait_for_url("**/accounts/login/")


def test_a_village_clerk_registers_a_person_after_correcting_a_mistyped_id_number(live_server, page, town):
    born = datetime.date(1992, 8, 30)
    id_number = make_id_number("440605", born, 44)  # sequence 044: even, female
    mistyped = id_number[:17] + ("0" if id_number[17] != "0" else "1")
    sign_in(page, live_server, "village_clerk")

    page.goto(live_server.url + reverse("villages:division", args=[w.VILLAGE]))
    page.locator("#add-person").click()
    page.wait_for_url(f"**/divisions/{w.VILLAGE}/people/new/")
    page.get_by_label("姓名").fill("陈美玲")
    page.get_by_label("身份证号").fill(mistyped)
    page.get_by_role("button", name="保存").click()

    # The form comes back with the error under the field and the typed values kept.
    expect(page.locator("#error-id_number")).to_contain_text("身份证号校验码错误")
    assert page.get_by_label("姓名").input_value() == "陈美玲"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "person-form-error.png"), full_page=True)

    page.get_by_label("身份证号").fill(id_number)
    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/people/*/")
    assert page.locator("#person-name").inner_text() == "陈美玲"
    assert page.get_by_role("alert").inner_text() == "已登记 陈美玲。"
    assert id_number in page.locator("#id-number").inner_text()  # the clerk sees personal data
    assert "1992-08-30" in page.content()
    page.screenshot(path=str(ARTIFACTS / "person-registered.png"), full_page=True)


def test_a_town_official_accepts_a_cooperative_heads_filing_from_the_review_list(live_server, page, town):
    head = Position.objects.get(division_id=w.COOPERATIVE, kind=PositionKind.COOPERATIVE_HEAD)
    services.submit_filing(head, acting_user=town.user("village_clerk"))
    sign_in(page, live_server, "town_official")

    page.get_by_role("link", name="备案", exact=True).click()
    page.wait_for_url("**/filings/")
    filings = page.locator("#filings")
    assert filings.get_by_role("link", name="黄志强").is_visible()
    filings.get_by_role("link", name="查看").click()
    page.wait_for_url("**/filings/*/")
    page.get_by_label("准予备案").check()
    page.get_by_label("意见").fill("材料齐全，准予备案。")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "filing-review.png"), full_page=True)
    page.get_by_role("button", name="提交审核结果").click()

    expect(page.locator("#filing-status")).to_have_text("已备案")
    assert page.get_by_role("alert").inner_text() == "已准予备案。"
    assert "材料齐全，准予备案。" in page.locator("#filing-note").inner_text()
    assert page.locator("#decide-form").count() == 0  # decided: no second decision


def test_a_town_official_filters_the_people_list_by_a_division_picked_by_name(live_server, page, town):
    sign_in(page, live_server, "town_official")
    page.goto(live_server.url + reverse("villages:people"))
    people = page.locator("#people")
    expect(people.get_by_role("link", name="黄志强")).to_be_visible()
    expect(people.get_by_role("link", name="梁秀英")).to_be_visible()

    # Part of a name: the picker offers the cooperatives that match, each named with its village.
    box = page.get_by_label("所属区划（含下级）")
    box.press_sequentially("第二")
    choices = page.get_by_role("listbox")
    expect(choices.get_by_role("option", name="联和村委会 · 联和第二经济社")).to_be_visible()
    expect(choices.get_by_role("option", name="狮山镇 · 联和村委会")).to_have_count(0)  # matches only
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "division-picker.png"), full_page=True)
    choices.get_by_role("option", name="罗村村委会 · 第二经济社").click()

    # The pick fills the form and the list refreshes in place (htmx), the URL in step.
    page.wait_for_url(f"**/people/?*division={w.OTHER_COOPERATIVE_SAME_VILLAGE}*")
    expect(people.get_by_role("link", name="黄志强")).to_have_count(0)
    expect(people.get_by_role("link", name="梁秀英")).to_be_visible()
    expect(box).to_have_value("罗村村委会 · 第二经济社")
    page.wait_for_timeout(500)  # longer than the box's typing delay: a late search would show now
    expect(choices.get_by_role("option")).to_have_count(0)
