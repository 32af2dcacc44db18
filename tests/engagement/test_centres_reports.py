"""The reports of service centres, operating funds and emergency drills (issue 18 point 2) against
hand-built data: each target at its boundary (exactly 30 m² per 100 households, exactly 70%,
exactly 380,000 yuan, a drill 365 or 366 days before the counting day), villages without a record
shown, a village merged away counted in its successor, every caller in and out of scope, CSV and
XLSX, and query counts that do not grow with the villages.

The drills are counted on the last day of 2025 (a past period): nothing depends on today's date."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from engagement.choices import MIN_OPERATING_FUND_FEN
from engagement.testing.factories import DrillFactory, EmergencyPlanFactory, OperatingFundFactory, ServiceCentreFactory
from governance.testing import world as w
from governance.testing.api import ANONYMOUS, ROLES, client_as, queries_and_rows, results_of
from governance.testing.fixtures import OUTSIDER
from villages.models import Division
from villages.testing.factories import division

D = datetime.date
CENTRES, FUNDS, DRILLS = "service-centres", "operating-funds", "emergency-drills"
SLUGS = (CENTRES, FUNDS, DRILLS)
READERS = {"district_admin", "town_official", "village_clerk", "inspector"}
THIRD_VILLAGE = f"{w.TOWN}003"
COUNTED_ON = D(2025, 12, 31)  # the period 2025's last day


def get(slug, who="district_admin", **params):
    return client_as(who).get(reverse(f"api:report-{slug}"), params)


def rows_of(response) -> dict[str, dict]:
    assert response.status_code == 200, response.content[:500]
    return {row["unit"]: row for row in results_of(response)}


@pytest.fixture
def town(world):
    """狮山镇: 罗村 exactly at every target; 联和 just short of each; …003 with nothing recorded.
    九江镇's 下西 has its own records (not a row of 狮山镇's reports)."""
    luocun, lianhe = division(w.VILLAGE), division(w.OTHER_VILLAGE_SAME_TOWN)
    division(THIRD_VILLAGE)
    ServiceCentreFactory(division=luocun, area_m2="300.0", service_area_m2="210.0", households_served=1000)
    ServiceCentreFactory(division=lianhe, area_m2="299.9", service_area_m2="209.9", households_served=1000)
    OperatingFundFactory(division=luocun, year=2025, amount_fen=MIN_OPERATING_FUND_FEN)
    OperatingFundFactory(division=lianhe, year=2025, amount_fen=MIN_OPERATING_FUND_FEN - 1)
    OperatingFundFactory(division=luocun, year=2024, amount_fen=1)  # another year
    flood = EmergencyPlanFactory(division=luocun, adopted_on=D(2023, 1, 1), people_trained=12)
    DrillFactory(plan=flood, held_on=COUNTED_ON - datetime.timedelta(days=365))  # 2024-12-31: still current
    fire = EmergencyPlanFactory(division=luocun, adopted_on=D(2024, 6, 1), people_trained=8)
    DrillFactory(plan=fire, held_on=D(2025, 3, 1))
    DrillFactory(plan=fire, held_on=D(2025, 9, 1))
    DrillFactory(plan=fire, held_on=D(2026, 1, 5))  # after the period: not counted
    EmergencyPlanFactory(division=luocun, adopted_on=D(2026, 2, 1))  # adopted after the counting day
    stale = EmergencyPlanFactory(division=lianhe, adopted_on=D(2023, 1, 1), people_trained=5)
    DrillFactory(plan=stale, held_on=COUNTED_ON - datetime.timedelta(days=366))  # 2024-12-30: due
    far = division(w.OTHER_TOWN_VILLAGE)
    ServiceCentreFactory(division=far)
    OperatingFundFactory(division=far, year=2025)
    EmergencyPlanFactory(division=far)


def test_the_centres_report_judges_each_village_at_the_boundaries_and_shows_those_without(town):
    rows = rows_of(get(CENTRES, "town_official", division=w.TOWN))

    assert list(rows) == [w.VILLAGE, w.OTHER_VILLAGE_SAME_TOWN, THIRD_VILLAGE]
    assert rows[w.VILLAGE] == {
        "unit": w.VILLAGE,
        "name": "罗村村委会",
        "centre": True,
        "households_served": 1000,
        "area_m2": "300.0",
        "required_area_m2": "300.0",
        "meets_area": True,
        "service_area_m2": "210.0",
        "service_share": 70.0,
        "meets_service_share": True,
    }
    short = rows[w.OTHER_VILLAGE_SAME_TOWN]
    assert (short["meets_area"], short["service_share"], short["meets_service_share"]) == (False, 69.99, False)
    assert rows[THIRD_VILLAGE] == {
        "unit": THIRD_VILLAGE,
        "name": rows[THIRD_VILLAGE]["name"],
        "centre": False,
        "households_served": None,
        "area_m2": None,
        "required_area_m2": None,
        "meets_area": False,
        "service_area_m2": None,
        "service_share": None,
        "meets_service_share": False,
    }


def test_the_funds_report_gives_the_county_top_up_and_the_minimum_at_380000_yuan(town):
    rows = rows_of(get(FUNDS, "town_official", division=w.TOWN, year=2025))

    assert rows[w.VILLAGE] | {"name": ""} == {
        "unit": w.VILLAGE,
        "name": "",
        "year": 2025,
        "recorded": True,
        "amount_fen": MIN_OPERATING_FUND_FEN,
        "county_topup_fen": 0,
        "meets_minimum": True,
    }
    short = rows[w.OTHER_VILLAGE_SAME_TOWN]
    assert (short["amount_fen"], short["county_topup_fen"], short["meets_minimum"]) == (
        MIN_OPERATING_FUND_FEN - 1,
        1,
        False,
    )
    none = rows[THIRD_VILLAGE]
    assert (none["recorded"], none["amount_fen"], none["county_topup_fen"], none["meets_minimum"]) == (
        False,
        None,
        None,
        False,
    )
    assert rows_of(get(FUNDS, "town_official", division=w.TOWN, year=2024))[w.VILLAGE]["amount_fen"] == 1


def test_a_bad_year_is_a_400_on_year(town):
    for year in ("明年", "1999", "20255"):
        response = get(FUNDS, division=w.TOWN, year=year)
        assert response.status_code == 400 and list(response.json()) == ["year"], year


def test_the_drills_report_counts_plans_trained_people_drills_and_plans_due_at_365_and_366_days(town):
    rows = rows_of(get(DRILLS, "village_clerk", division=w.VILLAGE, period="2025"))
    town_rows = rows_of(get(DRILLS, "town_official", division=w.TOWN, period="2025"))

    assert rows == {w.VILLAGE: town_rows[w.VILLAGE]}
    assert town_rows[w.VILLAGE] | {"name": ""} == {
        "unit": w.VILLAGE,
        "name": "",
        "plans": 2,
        "people_trained": 20,
        "drills": 2,
        "last_drill_on": "2025-09-01",
        "plans_due": 0,
        "target_met": True,
    }
    stale = town_rows[w.OTHER_VILLAGE_SAME_TOWN]
    assert (stale["plans"], stale["drills"], stale["last_drill_on"], stale["plans_due"], stale["target_met"]) == (
        1,
        0,
        "2024-12-30",
        1,
        False,
    )
    none = town_rows[THIRD_VILLAGE]
    assert (none["plans"], none["people_trained"], none["drills"], none["plans_due"], none["target_met"]) == (
        0,
        0,
        0,
        0,
        False,
    )


def test_a_village_merged_away_counts_in_its_successor(town):
    merged = division(f"{w.TOWN}004")
    ServiceCentreFactory(division=merged, area_m2="30.0", service_area_m2="30.0", households_served=0)
    OperatingFundFactory(division=merged, year=2025, amount_fen=500)
    Division.objects.filter(code=merged.code).update(retired_on=D(2025, 1, 1), merged_into_id=w.OTHER_VILLAGE_SAME_TOWN)

    centres = rows_of(get(CENTRES, division=w.TOWN))
    funds = rows_of(get(FUNDS, division=w.TOWN, year=2025))

    assert merged.code not in centres and merged.code not in funds
    # 联和's centre and the merged village's station: 329.9 m² (239.9 of service space) for 1000 households.
    joined = centres[w.OTHER_VILLAGE_SAME_TOWN]
    assert (joined["area_m2"], joined["service_area_m2"], joined["meets_area"]) == ("329.9", "239.9", True)
    assert funds[w.OTHER_VILLAGE_SAME_TOWN]["amount_fen"] == MIN_OPERATING_FUND_FEN - 1 + 500
    assert funds[w.OTHER_VILLAGE_SAME_TOWN]["meets_minimum"] is True


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("who", (*ROLES, OUTSIDER, ANONYMOUS))
def test_each_report_is_read_in_the_callers_jurisdiction_and_another_towns_division_is_404(town, slug, who):
    params = {"period": "2025"} if slug == DRILLS else {"year": 2025} if slug == FUNDS else {}
    response = get(slug, who, division=w.TOWN, **params)
    other_town = get(slug, who, division=w.OTHER_TOWN, **params)

    if who == ANONYMOUS:
        assert (response.status_code, other_town.status_code) == (401, 401)
    elif who not in READERS:
        assert response.status_code == 403
    elif who == "village_clerk":
        assert response.status_code == 404 and other_town.status_code == 404
        assert list(rows_of(get(slug, who, division=w.VILLAGE, **params))) == [w.VILLAGE]
    elif who == "town_official":
        assert other_town.status_code == 404
        assert list(rows_of(response)) == [w.VILLAGE, w.OTHER_VILLAGE_SAME_TOWN, THIRD_VILLAGE]
    else:
        assert list(rows_of(response)) == [w.VILLAGE, w.OTHER_VILLAGE_SAME_TOWN, THIRD_VILLAGE]
        assert list(rows_of(other_town)) == [w.OTHER_TOWN_VILLAGE]


def test_a_district_reads_every_village_of_its_towns(town):
    rows = rows_of(get(CENTRES, "inspector", division=w.DISTRICT))
    assert set(rows) == {w.VILLAGE, w.OTHER_VILLAGE_SAME_TOWN, THIRD_VILLAGE, w.OTHER_TOWN_VILLAGE}


def test_the_funds_report_writes_yuan_in_csv_and_xlsx(town):
    as_csv = get(FUNDS, division=w.TOWN, year=2025, format="csv")
    as_xlsx = get(FUNDS, division=w.TOWN, year=2025, format="xlsx")

    lines = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert lines[0] == ["代码", "名称", "年度", "已登记", "村级经费（元）", "县级补足（元）", "达到38万元"]
    assert lines[1] == [w.VILLAGE, "罗村村委会", "2025", "是", "380000.00", "0.00", "是"]
    assert lines[2][4:] == ["379999.99", "0.01", "否"]
    assert as_csv["Content-Disposition"] == f'attachment; filename="operating-funds-{w.TOWN}-2025.csv"'
    sheet = load_workbook(io.BytesIO(as_xlsx.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[1][:5] == (w.VILLAGE, "罗村村委会", 2025, "是", 380000)


@pytest.mark.parametrize("slug", SLUGS)
def test_the_centres_and_drills_reports_answer_csv(town, slug):
    params = {"period": "2025"} if slug == DRILLS else {}
    response = get(slug, division=w.TOWN, format="csv", **params)
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert response.status_code == 200 and len(lines) == 4


@pytest.mark.parametrize("slug", SLUGS)
def test_a_report_costs_the_same_queries_for_one_village_as_for_many(world, slug):
    params = {"division": w.TOWN, **({"period": "2025"} if slug == DRILLS else {"year": 2025} if slug == FUNDS else {})}
    url = reverse(f"api:report-{slug}")

    def village_with_everything(code):
        village = division(code)
        ServiceCentreFactory(division=village)
        OperatingFundFactory(division=village, year=2025)
        DrillFactory(plan=EmergencyPlanFactory(division=village), held_on=D(2025, 4, 1))

    village_with_everything(w.VILLAGE)
    client = client_as("town_official")
    client.get(url, params)  # the grants, cached on the user
    one_queries, one_rows = queries_and_rows(client, url, params)
    for number in range(3, 8):
        village_with_everything(f"{w.TOWN}{number:03d}")
    many_queries, many_rows = queries_and_rows(client, url, params)

    assert many_rows > one_rows
    # The division, the villages, one GROUP BY of centres or funds; of plans, plans due and drills.
    assert many_queries == one_queries == (5 if slug == DRILLS else 3)


def test_the_reports_are_listed_on_the_reports_page_for_their_readers(town):
    index = {row["slug"] for row in client_as("town_official").get("/api/v1/reports/").json()["results"]}
    assert set(SLUGS) <= index
