"""A real browser opens the assessment dashboard as the town official: ECharts (the static file)
draws the three charts from the embedded JSON without a script error, a unit's scorecard opens
from the table, and printing it hides the navigation. Debian's Chromium, never a downloaded one."""

import pytest
from django.urls import reverse

from governance.testing import world as w
from governance.testing.browser import ARTIFACTS, sign_in
from supervision.choices import Grade
from supervision.testing.factories import scheme, stored_results
from villages.testing.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def scored(transactional_db):
    build_world()
    earlier = scheme(w.TOWN, period="2024")
    stored_results(earlier, {w.VILLAGE: (60, Grade.PASS, 1, {"work": 60}, [])})
    made = scheme(w.TOWN, period="2025")
    stored_results(
        made,
        {
            w.VILLAGE: (92, Grade.EXCELLENT, 1, {"work": 92}, []),
            w.OTHER_VILLAGE_SAME_TOWN: (75, Grade.PASS, 2, {"work": 75}, []),
        },
    )
    return made


def test_the_town_official_sees_the_charts_and_prints_a_scorecard(live_server, page, scored):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, live_server, "town_official")

    page.goto(live_server.url + reverse("supervision:dashboard"))
    for chart in ("#chart-grades", "#chart-trend", "#chart-weakest"):
        page.locator(f"{chart} canvas").first.wait_for()
    assert errors == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "assessment-dashboard.png"), full_page=True)

    page.locator("#units").get_by_role("link", name="得分卡").first.click()
    page.wait_for_url(f"**/units/{w.VILLAGE}/")
    assert page.locator("#total").inner_text() == "92.00"
    page.emulate_media(media="print")
    assert not page.locator("nav.navbar").is_visible()
    assert page.locator("#indicators").is_visible()
    page.pdf(path=str(ARTIFACTS / "scorecard.pdf"), format="A4")


def test_at_1366_px_the_town_official_reads_the_towns_grade_chart_a_bar_per_grade(live_server, page, scored):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in(page, live_server, "town_official")

    page.goto(live_server.url + reverse("supervision:dashboard"))
    page.locator("#chart-grades canvas").first.wait_for()

    assert errors == []
    box = page.locator("#chart-grades").bounding_box()
    assert box["width"] > 300 and box["height"] == 320
    categories = page.evaluate(
        "echarts.getInstanceByDom(document.getElementById('chart-grades')).getOption().xAxis[0].data"
    )
    assert categories == ["优秀", "良好", "合格", "不合格"]
    assert page.locator("#grade-units tbody tr").count() == 4
    assert "联和村委会" in page.locator("#grade-units").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard-town-grades-1366.png"), full_page=True)
