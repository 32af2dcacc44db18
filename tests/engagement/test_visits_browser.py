"""A real browser (Debian's Chromium) takes a visit from a cadre's phone to the town's coverage
table (issue 18, point 5): a town official who is also a visiting cadre (包联罗村) reads the town's
coverage (none of two households visited), records a visit on a 390 px phone (their own profile
preselected; a household number the group lacks first, refused on its field, then the right one),
lands on their coverage, and the town's table then shows their coverage changed (1 of 2, 50.0)."""

import pytest
from django.urls import reverse

from engagement.choices import VisitorLevel
from engagement.models import Visit
from engagement.testing.factories import VisitingCadreFactory
from governance.testing import world as w
from governance.testing.browser import ARTIFACTS, PHONE_VIEWPORT, assert_fits, expect, sign_in, try_form
from villages.testing.factories import HouseholdFactory, division
from villages.testing.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def cadre(transactional_db):
    world = build_world()
    made = VisitingCadreFactory(
        division=division(w.TOWN), name="陈走访", level=VisitorLevel.TOWN_CADRE, user=world.user("town_official")
    )
    made.villages.add(division(w.VILLAGE))
    HouseholdFactory(division=division(w.COOPERATIVE, "第一经济社"), number="H0101")
    HouseholdFactory(division=division(w.COOPERATIVE), number="H0102")
    return made


def coverage_row(page, cadre):
    return page.locator(f"#coverage tr[data-cadre='{cadre.pk}']")


def test_a_cadre_records_a_visit_on_a_phone_and_the_towns_coverage_changes(live_server, page, cadre):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    ARTIFACTS.mkdir(exist_ok=True)
    table = live_server.url + reverse("engagement:visits_coverage") + f"?division={w.TOWN}&period=2026"

    # The town's table: the cadre has visited none of the two households of their village.
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server, "town_official")
    page.goto(table)
    expect(coverage_row(page, cadre).locator(".visited")).to_have_text("0")
    expect(coverage_row(page, cadre).locator(".share")).to_have_text("0.0")
    expect(coverage_row(page, cadre)).to_contain_text("未达到")

    # On a phone: their own profile preselected; a household the group lacks, then the right one.
    page.set_viewport_size(PHONE_VIEWPORT)
    page.goto(live_server.url + reverse("engagement:visits_new"))
    expect(page.get_by_label("走访人")).to_have_value(str(cadre.pk))
    submit_button = page.locator("#submit-visit")
    box = submit_button.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE_VIEWPORT["width"] and box["height"] >= 44
    try_form(
        page,
        wrong={"division": w.COOPERATIVE, "household": "H9999", "visited_on": "2026-03-03", "raised": "灌溉渠堵塞"},
        error="所选村（组）没有户号为 H9999 的户。",
        right={"household": "H0101", "outcome": "已联系村委清理"},
        done="已登记陈走访的走访。",
    )
    page.screenshot(path=str(ARTIFACTS / "visit-recorded-phone.png"), full_page=True)
    expect(coverage_row(page, cadre).locator(".visited")).to_have_text("1")
    expect(page.locator("#latest-visits")).to_contain_text("H0101")

    # Back at a desk, the town's table shows the cadre's coverage changed.
    page.set_viewport_size(DESKTOP)
    page.goto(table)
    expect(coverage_row(page, cadre).locator(".visited")).to_have_text("1")
    expect(coverage_row(page, cadre).locator(".share")).to_have_text("50.0")
    assert_fits(page)
    page.screenshot(path=str(ARTIFACTS / "visit-coverage-town.png"), full_page=True)
    assert errors == []

    visit = Visit.objects.get()
    assert (visit.visitor_id, visit.division_id, visit.household.number) == (cadre.pk, w.COOPERATIVE, "H0101")
    assert visit.recorded_by.username == "town_official" and visit.raised == "灌溉渠堵塞"
