"""A real browser (Debian's Chromium) at 1366 px: the report reader opens 报表 from the top bar,
picks a report, sees its table and downloads it as XLSX."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from governance.testing import world as w
from governance.testing.browser import ARTIFACTS, sign_in
from villages.models import PositionKind
from villages.testing.factories import PositionFactory, division
from villages.testing.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reserves(transactional_db):
    build_world()
    for _ in range(2):
        PositionFactory(
            division=division(w.VILLAGE),
            kind=PositionKind.RESERVE_CADRE,
            started_on=datetime.date(2020, 1, 1),
            term_ends_on=None,
        )


def test_the_report_reader_opens_a_report_and_downloads_it_as_xlsx(live_server, page, reserves):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, live_server, "report_reader")

    navbar = page.locator("nav.navbar")
    assert navbar.get_by_role("link", name="人员").count() == 0
    navbar.get_by_role("link", name="报表").click()
    page.wait_for_url(live_server.url + reverse("reports"))
    page.locator("#report-reserve-cadres").click()
    page.wait_for_url(f"**{reverse('report', args=['reserve-cadres'])}**")

    table = page.locator("#report-table")
    table.wait_for()
    assert table.locator("tbody tr").filter(has_text=w.VILLAGE).count() == 1
    assert table.locator("thead th").first.inner_text() == "代码"
    page.locator("#report-chart canvas").first.wait_for()  # ECharts draws the numeric columns
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report-reserve-cadres.png"), full_page=True)

    with page.expect_download() as download_info:
        page.locator("#download-xlsx").click()
    download = download_info.value
    assert download.suggested_filename == f"reserve-cadres-{w.DISTRICT}.xlsx"
    sheet = load_workbook(io.BytesIO(open(download.path(), "rb").read())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "代码"
    assert w.VILLAGE in [row[0] for row in rows[1:]]
    assert errors == []
