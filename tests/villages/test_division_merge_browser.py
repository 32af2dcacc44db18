"""A real browser at 1366 px: the district administrator merges (撤并) 联和 into 罗村 from 联和's
page, reads the preview of what moves, confirms, and lands on 罗村's page, which now counts 联和's
people and names it among the villages merged into it."""

import pytest
from django.urls import reverse

from governance.testing import world as w
from governance.testing.browser import ARTIFACTS, expect, sign_in
from villages.models import Division, Person
from villages.testing.factories import HouseholdFactory, PersonFactory, division
from villages.testing.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP_VIEWPORT = {"width": 1366, "height": 768}


@pytest.fixture
def villages(transactional_db):
    build_world()
    household = HouseholdFactory(division=division(w.OTHER_VILLAGE_SAME_TOWN))
    for name in ("联和甲", "联和乙", "联和丙"):
        PersonFactory(name=name, division=division(w.OTHER_VILLAGE_SAME_TOWN), household=household)
    PersonFactory(name="罗村甲", division=division(w.VILLAGE))


def test_the_district_administrator_merges_a_village_into_another_of_its_town(live_server, page, villages):
    page.set_viewport_size(LAPTOP_VIEWPORT)
    ARTIFACTS.mkdir(exist_ok=True)
    sign_in(page, live_server, "district_admin")
    successor_people = Person.objects.filter(division__code__startswith=w.VILLAGE).count()

    page.goto(live_server.url + reverse("villages:division", args=[w.OTHER_VILLAGE_SAME_TOWN]))
    page.locator("#merge-link").click()
    page.wait_for_url(f"**{reverse('villages:division_merge', args=[w.OTHER_VILLAGE_SAME_TOWN])}")

    page.get_by_label("并入").select_option(w.VILLAGE)
    page.get_by_label("撤销日期").fill("2024-12-31")
    page.locator("#merge-preview-button").click()

    expect(page.locator("#merge-summary")).to_contain_text("联和村委会将于 2024-12-31 撤销，并入罗村村委会")
    expect(page.locator("#merge-count-people td").nth(1)).to_have_text("3")
    expect(page.locator("#merge-count-households td").nth(1)).to_have_text("1")
    page.screenshot(path=str(ARTIFACTS / "division-merge-preview-1366.png"), full_page=True)
    assert Division.objects.get(code=w.OTHER_VILLAGE_SAME_TOWN).retired_on is None  # a preview writes nothing

    page.locator("#merge-confirm").click()
    page.wait_for_url(f"**{reverse('villages:division', args=[w.VILLAGE])}")
    expect(page.get_by_text("联和村委会已撤并入罗村村委会")).to_be_visible()
    expect(page.locator("#absorbed-note")).to_contain_text("联和村委会")
    expect(page.locator("#people-count")).to_have_text(str(successor_people + 3))

    # The people list of 罗村 now shows 联和's people too.
    page.locator("#people-link").click()
    expect(page.get_by_role("link", name="联和甲")).to_be_visible()
    expect(page.get_by_role("link", name="罗村甲")).to_be_visible()

    # 联和's page says it is retired and leads to 罗村.
    page.goto(live_server.url + reverse("villages:division", args=[w.OTHER_VILLAGE_SAME_TOWN]))
    expect(page.locator("#retired-note")).to_contain_text("2024-12-31")
    page.locator("#retired-note a").click()
    page.wait_for_url(f"**{reverse('villages:division', args=[w.VILLAGE])}")
