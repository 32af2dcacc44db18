"""A real browser (Debian's Chromium) takes a grid event from a phone to the dashboard (issue 17,
"done when"): the grid worker reports it on a 390 px phone with a photo, their own grid
preselected; a town official, told on the home page that it waits, whistles it to a department
(吹哨报到) and records the department's arrival; the village clerk records its handling and is not
offered to close it (查办分离); the official records the reporter's evaluation; the district
administrator, another user, closes it; the town's dashboard then counts it, satisfied, and draws
its charts without a script error."""

import struct
import zlib

import pytest
from django.urls import reverse

from governance.testing import world as w
from governance.testing.browser import ARTIFACTS, expect, sign_in
from grids.choices import EventState
from grids.models import EventPhoto, GridEvent
from grids.testing.factories import GridFactory, category
from villages.testing.factories import division
from villages.testing.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DEPARTMENT = "城市管理和综合执法局"


def png_photo(width: int = 8, height: int = 6) -> bytes:
    """A small valid PNG (a phone camera's photo as far as the portal can tell)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + b"\x30\x80\xc0" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


@pytest.fixture
def village(transactional_db):
    world = build_world()
    grid = GridFactory(division=division(w.VILLAGE), name="罗村第一网格", worker=world.user("grid_worker"))
    category("dispute", name="矛盾纠纷", time_limit_hours=72)
    category("environment", name="环境卫生", time_limit_hours=72)
    return grid


def sign_out(page) -> None:
    toggler = page.locator("nav.navbar .navbar-toggler")
    if toggler.is_visible():
        toggler.click()
    page.get_by_role("button", name="退出").click()
    page.wait_for_url("**/accounts/login/")


def test_an_event_goes_from_a_grid_workers_phone_to_the_towns_dashboard(live_server, page, village):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    ARTIFACTS.mkdir(exist_ok=True)

    # The grid worker, on a phone: their grid is preselected; category, description, a photo, one tap.
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "grid_worker")
    page.goto(live_server.url + reverse("grids:event_report"))
    expect(page.get_by_label("网格")).to_have_value(str(village.pk))
    assert page.locator("#id_photos").get_attribute("capture") == "environment"
    page.get_by_label("事件类别").select_option(label="矛盾纠纷（72 小时内办结）")
    page.get_by_label("事件描述").fill("两户因排水沟堵塞发生争执")
    page.get_by_label("地点").fill("一组祠堂前")
    page.locator("#id_photos").set_input_files(
        files=[{"name": "现场.png", "mimeType": "image/png", "buffer": png_photo()}]
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    submit = page.locator("#submit-report")
    box = submit.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] and box["height"] >= 44
    page.screenshot(path=str(ARTIFACTS / "grid-event-report-phone.png"), full_page=True)
    submit.click()

    page.wait_for_url("**/grids/events/*/")
    event = GridEvent.objects.get()
    assert "已上报事件，须在" in page.get_by_role("alert").inner_text()
    expect(page.locator("#event-state")).to_have_text("已上报")
    expect(page.locator("#report-photos img.event-thumbnail")).to_have_count(1)
    assert page.locator("#report-photos img.event-thumbnail").evaluate("img => img.naturalWidth") == 8
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert EventPhoto.objects.get(event=event).original_name == "现场.png"
    sign_out(page)

    # A town official, told on the home page, whistles it to a department and records its arrival.
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, "town_official")
    pending = page.locator("#pending-grid_events_to_assess")
    expect(pending).to_contain_text("1 件网格事件待研判。")
    pending.get_by_role("link", name="去研判").click()
    page.wait_for_url("**/grids/events/new/")
    expect(page.locator("#count-new")).to_have_text("1")
    page.locator("#events").get_by_role("link", name="矛盾纠纷").click()
    page.wait_for_url(f"**/grids/events/{event.pk}/")
    page.locator("#assess-event").click()
    page.get_by_label("吹哨报到").check()
    page.get_by_label(DEPARTMENT).check()
    page.get_by_label("研判意见").fill("涉及占道，需执法部门到场")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(f"**/grids/events/{event.pk}/")
    expect(page.locator("#event-whistled")).to_be_visible()
    expect(page.locator("#event-departments")).to_have_text(DEPARTMENT)
    page.locator("#record-arrival").click()
    page.get_by_label(DEPARTMENT).check()
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(f"**/grids/events/{event.pk}/")
    expect(page.get_by_role("alert")).to_have_text("已登记部门报到。")
    sign_out(page)

    # The village clerk records its handling, and may not close what they handled (查办分离).
    sign_in(page, live_server, "village_clerk")
    expect(page.locator("#pending-grid_events_to_handle")).to_contain_text("1 件网格事件待处置。")
    page.goto(live_server.url + reverse("grids:event", args=[event.pk]))
    page.locator("#handle-event").click()
    page.get_by_label("处置情况").fill("城管到场拆除占道杂物，疏通排水沟，双方和解")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(f"**/grids/events/{event.pk}/")
    expect(page.locator("#event-state")).to_have_text("已办结")
    assert page.locator("#close-event").count() == 0
    sign_out(page)

    # The town official records the reporter's evaluation (回访).
    sign_in(page, live_server, "town_official")
    page.goto(live_server.url + reverse("grids:event", args=[event.pk]))
    page.locator("#evaluate-event").click()
    page.get_by_label("满意", exact=True).check()
    page.get_by_label("回访记录").fill("电话回访上报人，满意")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(f"**/grids/events/{event.pk}/")
    expect(page.locator("#event-satisfaction")).to_have_text("满意")
    sign_out(page)

    # Another user closes it.
    sign_in(page, live_server, "district_admin")
    page.goto(live_server.url + reverse("grids:event", args=[event.pk]))
    page.locator("#close-event").click()
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(f"**/grids/events/{event.pk}/")
    expect(page.locator("#event-state")).to_have_text("已关闭")
    expect(page.locator("#event-timeline .event-step")).to_have_count(6)
    page.screenshot(path=str(ARTIFACTS / "grid-event-closed.png"), full_page=True)

    # The town's dashboard counts it, satisfied (100%, the target met), and draws its charts.
    page.goto(live_server.url + reverse("grids:dashboard") + f"?division={w.TOWN}")
    for chart in ("#chart-categories", "#chart-satisfaction", "#chart-hours", "#chart-overdue"):
        page.locator(f"{chart} canvas").first.wait_for()
    expect(page.locator("#total-events")).to_have_text("1")
    expect(page.locator("#total-satisfaction")).to_have_text("100.0%")
    expect(page.locator(f"#unit-{w.VILLAGE}")).to_contain_text("罗村村委会")
    page.screenshot(path=str(ARTIFACTS / "grid-dashboard.png"), full_page=True)
    assert errors == []

    event.refresh_from_db()
    assert event.state == EventState.CLOSED
    assert event.closed_by.username == "district_admin" and event.handled_by.username == "village_clerk"
