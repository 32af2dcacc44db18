"""A real browser at 1366 px (a town office's laptop): a town official opens a village's page and
follows its hub's links to the village's covenant in force and to its decisions."""

import pytest
from django.urls import reverse

from covenants.testing.factories import published_covenant
from governance.testing import world as w
from governance.testing.browser import ARTIFACTS, expect, sign_in
from rights_lists.testing.factories import decision_on
from villages.testing.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP_VIEWPORT = {"width": 1366, "height": 768}


@pytest.fixture
def village(transactional_db):
    build_world()
    version = published_covenant(w.VILLAGE)
    decision = decision_on(w.VILLAGE, title="村道硬化工程")
    decision_on(w.OTHER_VILLAGE_SAME_TOWN, title="邻村的决策")
    return version, decision


def test_a_town_official_follows_the_village_hub_to_its_covenant_and_its_decisions(live_server, page, village):
    version, decision = village
    page.set_viewport_size(LAPTOP_VIEWPORT)
    ARTIFACTS.mkdir(exist_ok=True)
    sign_in(page, live_server, "town_official")

    page.goto(live_server.url + reverse("villages:division", args=[w.VILLAGE]))
    expect(page.locator("#division-hub")).to_be_visible()
    expect(page.locator("#hub-decisions-count")).to_have_text("审议中 1 · 已通过 0")
    page.screenshot(path=str(ARTIFACTS / "division-hub-1366.png"), full_page=True)
    # The hub fits the laptop's width: no horizontal scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= LAPTOP_VIEWPORT["width"]

    # The covenant in force, straight from the hub.
    page.get_by_role("link", name=f"{version.covenant.title}（第 {version.number} 版施行中）").click()
    page.wait_for_url(f"**{reverse('covenants:covenant', args=[version.covenant_id])}")
    expect(page.get_by_text("不得侵占集体资产。")).to_be_visible()

    # Back to the village, then its decisions: the village's only.
    page.go_back()
    page.locator("#hub-decisions-link").click()
    page.wait_for_url(f"**{reverse('rights_lists:decisions')}?division={w.VILLAGE}")
    # (the list is a table at this width, cards on a phone: one of the two shows)
    expect(page.locator("a:visible", has_text=decision.title)).to_have_count(1)
    expect(page.get_by_text("邻村的决策")).to_have_count(0)
