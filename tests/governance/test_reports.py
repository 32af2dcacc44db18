"""The reports base (governance.api.reports): division in scope, JSON, CSV and XLSX, the index.

The villages app's reserve-cadre report is the concrete report these tests read.
"""

import csv
import datetime
import io

import pytest
from openpyxl import load_workbook

from governance.testing import world as w
from governance.testing.api import client_as, queries_and_rows
from villages.models import PositionKind
from villages.testing.factories import PositionFactory, division

URL = "/api/v1/reports/reserve-cadres/"


@pytest.fixture
def reserves(world):
    """Two reserve cadres in the world's village (it meets the rule), none in the others."""
    village = division(w.VILLAGE)
    for _ in range(2):
        PositionFactory(
            division=village, kind=PositionKind.RESERVE_CADRE, started_on=datetime.date(2020, 1, 1), term_ends_on=None
        )
    return village


def test_the_index_lists_every_registered_report(world):
    response = client_as("report_reader").get("/api/v1/reports/")

    assert response.status_code == 200
    assert "reserve-cadres" in [row["slug"] for row in response.json()["results"]]


def test_a_report_lists_the_villages_of_the_division_asked_for(world, reserves):
    response = client_as("district_admin").get(URL, {"division": w.TOWN})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["report"] == "reserve-cadres" and body["division"] == w.TOWN
    rows = {row["code"]: row for row in body["results"]}
    assert set(rows) == {w.VILLAGE, w.OTHER_VILLAGE_SAME_TOWN}
    assert rows[w.VILLAGE]["reserve_cadres"] == 2 and rows[w.VILLAGE]["meets_rule"] is True
    assert rows[w.OTHER_VILLAGE_SAME_TOWN]["meets_rule"] is False


def test_without_a_division_a_report_covers_the_callers_jurisdiction(world, reserves):
    response = client_as("town_official").get(URL)

    assert response.status_code == 200
    assert response.json()["division"] == w.TOWN


def test_a_division_outside_the_jurisdiction_answers_404_like_an_absent_one(world):
    client = client_as("town_official")

    assert client.get(URL, {"division": w.OTHER_TOWN}).status_code == 404
    assert client.get(URL, {"division": "440605999"}).status_code == 404


def test_a_report_shows_only_what_the_caller_may_view_inside_a_wider_division(world):
    # The village clerk may view their own village, not its town: asking for the town is 404,
    # so the neighbouring village never shows.
    client = client_as("village_clerk")

    assert client.get(URL, {"division": w.TOWN}).status_code == 404
    assert [row["code"] for row in client.get(URL).json()["results"]] == [w.VILLAGE]


def test_the_outsider_may_read_no_report_and_the_anonymous_caller_must_sign_in(world):
    assert client_as("outsider").get(URL, {"division": w.TOWN}).status_code == 403
    assert client_as("anonymous").get(URL, {"division": w.TOWN}).status_code == 401


def test_a_report_comes_as_csv_with_chinese_headers_that_excel_reads(world, reserves):
    response = client_as("district_admin").get(URL, {"division": w.TOWN, "format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert f"reserve-cadres-{w.TOWN}.csv" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["代码", "村（社区）", "镇（街道）", "现有后备干部", "应配备", "是否达标"]
    assert [w.VILLAGE, "罗村村委会", "狮山镇", "2", "2", "是"] in rows


def test_a_report_comes_as_xlsx(world, reserves):
    response = client_as("district_admin").get(URL, {"division": w.TOWN, "format": "xlsx"})

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "代码"
    assert (w.VILLAGE, "罗村村委会", "狮山镇", 2, 2, "是") in rows


def test_an_error_in_csv_is_still_an_error(world):
    response = client_as("town_official").get(URL, {"division": w.OTHER_TOWN, "format": "csv"})

    assert response.status_code == 404
    assert "Content-Disposition" not in response


def test_a_reports_query_count_does_not_grow_with_its_rows(world):
    few_queries, few_rows = queries_and_rows(client_as("district_admin"), URL, {"division": w.TOWN})
    for number in range(3, 13):
        division(f"{w.TOWN}{number:03d}", has_collective_economy=True)

    many_queries, many_rows = queries_and_rows(client_as("district_admin"), URL, {"division": w.TOWN})

    assert many_rows == few_rows + 10
    assert many_queries == few_queries == 3  # the caller's grants, the division, the rows
