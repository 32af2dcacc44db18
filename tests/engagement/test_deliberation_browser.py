"""A real browser (Debian's Chromium) takes a topic from a village clerk's phone to its deliberation:
the clerk proposes it from the district's catalogue on a 390 px phone; a town official, told on the
home page that it waits for pre-review, approves it; the clerk records the meeting and the outcome;
the town's engagement dashboard then draws the coverage chart without a script error."""

import datetime

import pytest
from django.urls import reverse

from engagement.choices import TopicStatus
from engagement.models import Topic
from engagement.testing.factories import CatalogueEntryFactory, DeliberationBodyFactory
from governance import clock
from governance.testing import world as w
from governance.testing.browser import ARTIFACTS, expect, sign_in
from villages.testing.factories import division
from villages.testing.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def body(transactional_db):
    build_world()
    CatalogueEntryFactory(district=division(w.DISTRICT), title="村内道路建设")
    return DeliberationBodyFactory(division=division(w.VILLAGE), name="罗村村民议事会")


def sign_out(page) -> None:
    toggler = page.locator("nav.navbar .navbar-toggler")
    if toggler.is_visible():
        toggler.click()
    page.get_by_role("button", name="退出").click()
    page.wait_for_url("**/accounts/login/")


def test_a_topic_goes_from_a_clerks_phone_through_the_towns_pre_review_to_its_meeting(live_server, page, body):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    ARTIFACTS.mkdir(exist_ok=True)
    today = clock.today().isoformat()

    # The village clerk, on a phone: their body preselected, a category of the catalogue, one tap.
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "village_clerk")
    page.goto(live_server.url + reverse("engagement:deliberation_topic_propose"))
    expect(page.get_by_label("议事会")).to_have_value(str(body.pk))
    page.get_by_label("目录类别").select_option(label="村内道路建设")
    page.locator("#id_title").fill("修缮三组村道")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(ARTIFACTS / "deliberation-propose-phone.png"), full_page=True)
    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/deliberation/topics/to-review/")
    topic = Topic.objects.get()
    expect(page.locator("#topics")).to_contain_text("修缮三组村道")
    assert page.locator(f"a[href='{reverse('engagement:deliberation_topic_review', args=[topic.pk])}']").count() == 0
    sign_out(page)

    # A town official, told on the home page, pre-reviews it.
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, "town_official")
    pending = page.locator("#pending-deliberation_topics_to_review")
    expect(pending).to_contain_text("1 个协商议题待预审。")
    pending.get_by_role("link", name="去预审").click()
    page.wait_for_url("**/deliberation/topics/to-review/")
    expect(page.locator("#tab-to_review")).to_contain_text("1")
    page.locator("#topics").get_by_role("link", name="预审").click()
    page.get_by_label("通过", exact=True).check()
    page.get_by_label("预审意见").fill("属于指导目录，同意提交议事会协商")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/deliberation/topics/")
    sign_out(page)

    # The clerk records the meeting, then the outcome.
    sign_in(page, live_server, "village_clerk")
    page.goto(live_server.url + reverse("engagement:deliberation_village", args=[w.VILLAGE]))
    page.locator("#add-meeting").click()
    page.get_by_label("会议日期").fill(today)
    page.get_by_label("参会人数").fill("15")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(f"**/divisions/{w.VILLAGE}/deliberation/")
    page.goto(live_server.url + reverse("engagement:deliberation_topics_to_deliberate"))
    page.locator("#topics").get_by_role("link", name="记录协商").click()
    page.get_by_label("协商会议").select_option(index=1)
    page.get_by_label("达成一致", exact=True).check()
    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/deliberation/topics/")
    sign_out(page)

    # The town's dashboard draws the coverage of its villages against 100%.
    sign_in(page, live_server, "town_official")
    page.goto(live_server.url + reverse("engagement:dashboard") + f"?division={w.TOWN}")
    page.locator("#chart-deliberation-coverage canvas").first.wait_for()
    expect(page.locator(f"#deliberation-units tr[data-unit='{w.VILLAGE}']")).to_contain_text("100.0")
    page.screenshot(path=str(ARTIFACTS / "deliberation-dashboard.png"), full_page=True)
    assert errors == []

    topic.refresh_from_db()
    assert topic.status == TopicStatus.DELIBERATED
    assert topic.reviewed_by.username == "town_official" and topic.proposed_by.username == "village_clerk"
    assert topic.meeting.held_on == datetime.date.fromisoformat(today)
