"""A real browser takes a town official from entering scores to a unit's scorecard: the score
grid saved in one go, a scoring run started from the scheme's page whose screen polls its progress
with htmx until it is done, the results table, and the scorecard of a village opened from it.
Debian's Chromium, never a downloaded one; without a broker the run's tasks run in-process once
the request commits."""

import pytest
from django.urls import reverse

from governance.testing import world as w
from governance.testing.browser import ARTIFACTS, sign_in
from supervision.models import Result, ScoreEntry
from supervision.pages.entries import cell_name
from supervision.services import scoring as services
from supervision.testing.factories import scheme
from villages.testing.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def town_scheme(transactional_db):
    build_world()
    return scheme(w.TOWN, indicators=(("work", 60, "entered"), ("safety", 40, "entered")), period="2025")


def test_a_town_official_enters_scores_runs_the_scoring_and_opens_a_scorecard(live_server, page, town_scheme):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, live_server, "town_official")

    page.get_by_role("button", name="监督考核").or_(page.get_by_role("link", name="监督考核")).click()
    page.get_by_role("link", name="考核", exact=True).click()
    page.get_by_role("link", name=town_scheme.name).click()
    page.locator("#enter-scores").click()
    page.fill(f"#{cell_name(w.VILLAGE, 'work')}", "90")
    page.fill(f"#{cell_name(w.VILLAGE, 'safety')}", "80")
    page.fill(f"#{cell_name(w.OTHER_VILLAGE_SAME_TOWN, 'work')}", "150")
    page.locator("#save-grid").click()
    page.locator("#grid-errors").wait_for()
    assert ScoreEntry.objects.filter(scheme=town_scheme).count() == 0
    page.fill(f"#{cell_name(w.OTHER_VILLAGE_SAME_TOWN, 'work')}", "70")
    page.locator("#save-grid").click()
    page.get_by_text("已保存 3 项得分。").wait_for()
    assert ScoreEntry.objects.filter(scheme=town_scheme).count() == 3

    page.get_by_role("link", name=town_scheme.name).click()
    page.locator("#start-run").click()
    page.wait_for_url("**/assessment/runs/*/")
    page.locator("#run-results").wait_for(timeout=20_000)
    assert page.locator("#run-state").get_attribute("data-state") == "done"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "assessment-run.png"), full_page=True)

    page.locator("#run-results").click()
    page.wait_for_url(f"**{reverse('supervision:results', args=[town_scheme.pk])}")
    # 罗村: 60 × 90 / 100 + 40 × 80 / 100 = 86; the other village: 60 × 70 / 100 = 42, safety missing.
    assert "86.00" in page.locator(f"#result-{w.VILLAGE}").inner_text()
    assert "42.00" in page.locator(f"#result-{w.OTHER_VILLAGE_SAME_TOWN}").inner_text()
    assert Result.objects.filter(run__scheme=town_scheme).count() == 2

    page.locator(f"#result-{w.VILLAGE}").get_by_role("link", name="得分卡").click()
    page.wait_for_url(f"**/units/{w.VILLAGE}/")
    assert page.locator("#total").inner_text() == "86.00"
    assert errors == []


def test_the_run_screen_polls_a_queued_run_until_it_is_done(live_server, page, town_scheme):
    from django.contrib.auth import get_user_model

    official = get_user_model().objects.get(username="town_official")
    run = services.request_run(town_scheme, acting_user=official, dispatch=False)
    sign_in(page, live_server, "town_official")

    page.goto(live_server.url + reverse("supervision:run", args=[run.pk]))
    assert page.locator("#run-state").get_attribute("data-state") == "queued"
    assert not page.locator("#run-results").is_visible()
    services.score_now(run)

    # No reload: htmx asks for the progress fragment again within 2 s and it shows the link.
    page.locator("#run-results").wait_for(timeout=10_000)
    assert page.locator("#run-state").get_attribute("data-state") == "done"
    assert page.locator("#run-progress").get_attribute("hx-trigger") is None


def test_a_bad_upload_opens_on_its_errors_above_a_long_grid_each_linking_to_its_row(live_server, page, town_scheme):
    import io

    from openpyxl import Workbook
    from playwright.sync_api import expect

    from villages.testing.factories import division

    last = division(f"{w.TOWN}060").code  # a long grid: the town's villages 003 to 060 as well
    for number in range(3, 60):
        division(f"{w.TOWN}{number:03d}")
    workbook = Workbook()
    workbook.active.append(("单位代码", "单位名称", "指标work（work）", "指标safety（safety）"))
    workbook.active.append((last, "", "很好", None))
    buffer = io.BytesIO()
    workbook.save(buffer)
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in(page, live_server, "town_official")
    page.goto(live_server.url + reverse("supervision:entries", args=[town_scheme.pk]))

    page.locator("#upload-form input[type=file]").set_input_files(
        files=[{"name": "scores.xlsx", "mimeType": "application/octet-stream", "buffer": buffer.getvalue()}]
    )
    page.locator("#upload-form button[type=submit]").click()
    page.wait_for_url("**/entries/upload/#errors")

    expect(page.locator("#errors")).to_be_in_viewport()
    expect(page.locator("#errors")).to_contain_text("第 2 行“指标work（work）”：请输入 0 至 100 之间的分数。")
    row = page.locator(f"#row-{last}")
    expect(row).not_to_be_in_viewport()
    page.locator("#errors").get_by_role("link").click()
    expect(row).to_be_in_viewport()
    assert ScoreEntry.objects.filter(scheme=town_scheme).count() == 0
