"""The grids reports (DESIGN.md section 7 grid-satisfaction; issue 17 point 4) against hand-built
data: grid-satisfaction with its 90% boundary and a null share, events by category and state,
time to handle; every caller in and out of scope; CSV and XLSX; query counts that do not grow
with the units or the events; the /reports/ index."""

import csv
import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from governance.testing import world as w
from governance.testing.api import ANONYMOUS, ROLES, client_as, queries_and_rows, results_of
from governance.testing.fixtures import OUTSIDER
from grids.choices import EventState, Route, Satisfaction
from grids.querysets import satisfied_share, share_met
from grids.testing.factories import GridEventFactory, GridFactory, category
from villages.testing.factories import division

LOCAL = ZoneInfo("Asia/Shanghai")
SATISFACTION, BY_CATEGORY, TIME_TO_HANDLE = "grid-satisfaction", "grid-events-by-category", "grid-time-to-handle"
SLUGS = (SATISFACTION, BY_CATEGORY, TIME_TO_HANDLE)
# Every grids role that views divisions and the report reader read the reports (counts): the grid
# worker those of their village; a cooperative's clerk has no grid.
READERS = {"district_admin", "town_official", "village_clerk", "grid_worker", "inspector", "report_reader"}
THIRD_VILLAGE = f"{w.TOWN}003"


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=LOCAL)


def get(slug, who="district_admin", **params):
    return client_as(who).get(reverse(f"api:report-{slug}"), params)


def grid_in(code):
    return GridFactory(division=division(code))


def event(grid, reported_at=None, *, satisfaction="", handled_after=None, **fields):
    """An event reported in 2025 (1 June by default), evaluated when `satisfaction` is given,
    handled `handled_after` its report when given (72-hour limit: overdue past it)."""
    reported_at = reported_at or at(2025, 6, 1, 9)
    if handled_after is not None:
        fields.setdefault("state", EventState.HANDLED)
        fields.update(route=Route.VILLAGE, handled_at=reported_at + handled_after)
    if satisfaction:
        fields["state"] = EventState.ASSESSED if satisfaction == Satisfaction.DISSATISFIED else EventState.EVALUATED
        fields.update(satisfaction=satisfaction, evaluated_at=reported_at + datetime.timedelta(days=1))
        if satisfaction == Satisfaction.DISSATISFIED:
            fields["handled_at"] = None
    return GridEventFactory(grid=grid, reported_at=reported_at, **fields)


HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def town_events(world):
    """In 2025 in 狮山镇: 罗村 ten evaluated, nine satisfied or basically (90%: met; the dissatisfied
    one sent back and not handled again: overdue), one reported and never handled (overdue); 联和
    nine evaluated, eight satisfied (88.89%: not met); …003 two events none evaluated (null share).
    Not counted: one of 罗村 reported in 2024. In 九江镇's 下西: one evaluated satisfied."""
    luocun, lianhe, third = grid_in(w.VILLAGE), grid_in(w.OTHER_VILLAGE_SAME_TOWN), grid_in(THIRD_VILLAGE)
    for number in range(10):
        kind = Satisfaction.SATISFIED if number < 6 else Satisfaction.BASICALLY_SATISFIED
        event(luocun, handled_after=5 * HOUR, satisfaction=Satisfaction.DISSATISFIED if number == 9 else kind)
    event(luocun)  # never handled: overdue
    event(luocun, at(2024, 12, 31, 23, 59), satisfaction=Satisfaction.DISSATISFIED)  # 2024: not counted
    for number in range(9):
        satisfaction = Satisfaction.DISSATISFIED if number == 0 else Satisfaction.SATISFIED
        event(lianhe, handled_after=80 * HOUR, satisfaction=satisfaction)  # handled late: overdue
    event(third, handled_after=2 * HOUR)
    event(third, handled_after=10 * HOUR)
    event(grid_in(w.OTHER_TOWN_VILLAGE), handled_after=HOUR, satisfaction=Satisfaction.SATISFIED)


# --- 1. Access -------------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("who", [*ROLES, OUTSIDER, ANONYMOUS])
def test_a_grids_report_answers_each_caller_as_its_scope_and_rights_say(world, slug, who):
    home = w.ROLE_HOME.get(who, w.VILLAGE)
    inside = get(slug, who, division=home, period="2025")
    outside = get(slug, who, division=w.JUST_OUTSIDE.get(who, w.FAR_VILLAGE), period="2025")

    if who == ANONYMOUS:
        assert (inside.status_code, outside.status_code) == (401, 401)
    elif who in READERS:
        assert inside.status_code == 200, inside.content[:300]
        assert inside.json()["division"] == home
        assert outside.status_code == 404
    else:  # the outsider, a cooperative's clerk, a grid worker
        assert (inside.status_code, outside.status_code) == (403, 403)


@pytest.mark.parametrize("slug", SLUGS)
def test_a_grids_report_needs_a_period(world, slug):
    response = get(slug, division=w.TOWN)

    assert response.status_code == 400 and "period" in response.json()


def test_the_index_lists_the_grids_reports(world):
    slugs = [row["slug"] for row in client_as("report_reader").get("/api/v1/reports/").json()["results"]]

    assert set(SLUGS) <= set(slugs)


# --- 2. grid-satisfaction -----------------------------------------------------------------------


def test_satisfaction_of_a_town_has_a_row_per_village_with_the_90_percent_boundary(town_events):
    rows = {row["unit"]: row for row in results_of(get(SATISFACTION, division=w.TOWN, period="2025"))}

    assert rows[w.VILLAGE] == {
        "unit": w.VILLAGE,
        "name": "罗村村委会",
        "events": 11,
        "evaluated": 10,
        "satisfied_share": 90.0,
        "target_met": True,
        "overdue": 2,
    }
    assert (rows[w.OTHER_VILLAGE_SAME_TOWN]["satisfied_share"], rows[w.OTHER_VILLAGE_SAME_TOWN]["target_met"]) == (
        88.89,
        False,
    )
    assert rows[w.OTHER_VILLAGE_SAME_TOWN]["overdue"] == 9
    assert rows[THIRD_VILLAGE] | {"name": None} == {
        "unit": THIRD_VILLAGE,
        "name": None,
        "events": 2,
        "evaluated": 0,
        "satisfied_share": None,
        "target_met": None,
        "overdue": 0,
    }
    assert list(rows) == sorted(rows)


def test_satisfaction_of_a_district_has_a_row_per_town(town_events):
    rows = {row["unit"]: row for row in results_of(get(SATISFACTION, division=w.DISTRICT, period="2025"))}

    assert (rows[w.TOWN]["events"], rows[w.TOWN]["evaluated"]) == (22, 19)
    assert rows[w.TOWN]["satisfied_share"] == 89.47  # 17 of 19
    assert (rows[w.OTHER_TOWN]["satisfied_share"], rows[w.OTHER_TOWN]["target_met"]) == (100.0, True)


def test_satisfaction_counts_the_events_reported_in_the_period_asked_for(town_events):
    rows = {row["unit"]: row for row in results_of(get(SATISFACTION, division=w.TOWN, period="2024-Q4"))}

    assert (rows[w.VILLAGE]["events"], rows[w.VILLAGE]["satisfied_share"]) == (1, 0.0)
    assert rows[w.OTHER_VILLAGE_SAME_TOWN]["events"] == 0


def test_a_village_clerk_reads_the_row_of_their_village_only(town_events):
    response = get(SATISFACTION, "village_clerk", period="2025")

    assert [row["unit"] for row in results_of(response)] == [w.VILLAGE]
    assert get(SATISFACTION, "village_clerk", division=w.TOWN, period="2025").status_code == 404


def test_satisfaction_comes_as_csv_and_xlsx(town_events):
    csv_response = get(SATISFACTION, division=w.TOWN, period="2025", format="csv")
    xlsx_response = get(SATISFACTION, division=w.TOWN, period="2025", format="xlsx")

    assert csv_response.status_code == 200 and csv_response["Content-Type"].startswith("text/csv")
    assert f"grid-satisfaction-{w.TOWN}-2025.csv" in csv_response["Content-Disposition"]
    table = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    assert table[0] == ["代码", "名称", "事件数", "已评价", "满意率（%）", "达到90%", "超期"]
    assert [w.VILLAGE, "罗村村委会", "11", "10", "90.0", "是", "2"] in table
    assert [THIRD_VILLAGE, table[3][1], "2", "0", "", "", "0"] in table
    sheet = list(load_workbook(io.BytesIO(xlsx_response.content)).active.iter_rows(values_only=True))
    assert sheet[0][0] == "代码"
    assert (w.OTHER_VILLAGE_SAME_TOWN, "联和村委会", 9, 9, 88.89, "否", 9) in sheet


# --- 3. events by category and state, time to handle ------------------------------------------------


def test_events_are_counted_per_village_category_and_state(world):
    luocun = grid_in(w.VILLAGE)
    safety = category("safety_hazard", time_limit_hours=24, name="安全隐患")
    event(luocun)
    event(luocun, handled_after=5 * HOUR)
    event(luocun, category=safety, state=EventState.ASSESSED, route=Route.WHISTLE, departments=["公安分局"])

    rows = results_of(get(BY_CATEGORY, division=w.TOWN, period="2025"))

    assert [(row["unit"], row["category"]) for row in rows] == [(w.VILLAGE, "dispute"), (w.VILLAGE, "safety_hazard")]
    dispute, hazard = rows
    assert (dispute["reported"], dispute["handled"], dispute["total"], dispute["overdue"]) == (1, 1, 2, 1)
    assert (hazard["assessed"], hazard["whistled"], hazard["category_name"], hazard["overdue"]) == (1, 1, "安全隐患", 1)
    csv_text = get(BY_CATEGORY, division=w.TOWN, period="2025", format="csv").content.decode("utf-8-sig")
    assert "吹哨报到" in csv_text.splitlines()[0]


def test_time_to_handle_gives_the_handled_the_on_time_share_and_the_hours(world):
    luocun = grid_in(w.VILLAGE)
    event(luocun, handled_after=2 * HOUR)
    event(luocun, handled_after=72 * HOUR)  # at the due time itself: on time
    event(luocun, handled_after=73 * HOUR)
    event(luocun)  # not handled

    rows = {row["unit"]: row for row in results_of(get(TIME_TO_HANDLE, division=w.TOWN, period="2025"))}

    assert rows[w.VILLAGE] | {"name": None} == {
        "unit": w.VILLAGE,
        "name": None,
        "events": 4,
        "handled": 3,
        "handled_on_time": 2,
        "on_time_share": 66.67,
        "average_hours": 49.0,
        "longest_hours": 73.0,
    }
    assert rows[w.OTHER_VILLAGE_SAME_TOWN]["on_time_share"] is None
    sheet = list(
        load_workbook(
            io.BytesIO(get(TIME_TO_HANDLE, division=w.TOWN, period="2025", format="xlsx").content)
        ).active.iter_rows(values_only=True)
    )
    assert sheet[0][-1] == "最长办理时长（小时）"


# --- 4. Query counts --------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", SLUGS)
def test_a_grids_reports_query_count_does_not_grow_with_the_villages_or_the_events(world, slug):
    url = reverse(f"api:report-{slug}")
    grid_in(w.VILLAGE)
    event(grid_in(w.VILLAGE))
    client = client_as("district_admin")
    client.get(url, {"division": w.TOWN, "period": "2025"})  # the grants, cached on the user
    few, few_rows = queries_and_rows(client, url, {"division": w.TOWN, "period": "2025"})
    for number in range(3, 9):
        grid = grid_in(f"{w.TOWN}{number:03d}")
        event(grid, satisfaction=Satisfaction.SATISFIED)
        event(grid, handled_after=HOUR, category=category("environment"))

    many, many_rows = queries_and_rows(client, url, {"division": w.TOWN, "period": "2025"})

    assert many_rows > few_rows
    assert few == many == 3  # the division, the counts, the units


@pytest.mark.parametrize(
    ("satisfied", "evaluated", "share", "met"),
    [(9, 10, 90.0, True), (8999, 10000, 89.99, False), (0, 0, None, None), (2, 3, 66.67, False)],
)
def test_the_share_and_its_target_are_judged_in_one_place_for_report_and_dashboard(satisfied, evaluated, share, met):
    assert satisfied_share(satisfied, evaluated) == share
    assert share_met(share) is met
