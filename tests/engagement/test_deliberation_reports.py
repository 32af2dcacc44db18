"""The deliberation reports (DESIGN.md §7 deliberation-coverage; issue 18 point 2) against
hand-built data: coverage per village of a town and per town of a district with the 100% target
at its boundary, the day counted, topics and meetings of a period; every caller in and out of
scope; CSV and XLSX; query counts that do not grow with the units; the /reports/ index."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from engagement.choices import Outcome, TopicStatus
from engagement.querysets.deliberation import coverage_met, coverage_share
from engagement.testing.factories import DeliberationBodyFactory, MeetingFactory, TopicFactory, body_in
from governance.testing import world as w
from governance.testing.api import ANONYMOUS, ROLES, client_as, queries_and_rows, results_of
from governance.testing.factories import UserFactory
from governance.testing.fixtures import OUTSIDER
from rights_lists.testing.factories import decision_on
from villages.testing.factories import division

D = datetime.date
COVERAGE, TOPICS = "deliberation-coverage", "deliberation-topics"
SLUGS = (COVERAGE, TOPICS)
# Who views the district's catalogue and divisions: every engagement role and the report reader.
READERS = {"district_admin", "town_official", "village_clerk", "inspector", "report_reader"}
THIRD_VILLAGE = f"{w.TOWN}003"


def get(slug, who="district_admin", **params):
    return client_as(who).get(reverse(f"api:report-{slug}"), params)


def rows_of(response) -> dict:
    assert response.status_code == 200, response.content[:300]
    return {row["unit"]: row for row in results_of(response)}


# --- 1. Access -------------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("who", [*ROLES, OUTSIDER, ANONYMOUS])
def test_a_deliberation_report_answers_each_caller_as_its_scope_and_rights_say(world, slug, who):
    home = w.ROLE_HOME.get(who, w.VILLAGE)
    inside = get(slug, who, division=home, period="2026")
    outside = get(slug, who, division=w.JUST_OUTSIDE.get(who, w.FAR_VILLAGE), period="2026")

    if who == ANONYMOUS:
        assert (inside.status_code, outside.status_code) == (401, 401)
    elif who in READERS:
        assert inside.status_code == 200, inside.content[:300]
        assert inside.json()["division"] == home
        assert outside.status_code == 404
    else:  # the outsider, a cooperative's clerk, a grid worker
        assert (inside.status_code, outside.status_code) == (403, 403)


def test_another_towns_division_is_not_found(world):
    assert get(COVERAGE, "town_official", division=w.OTHER_TOWN).status_code == 404
    assert get(TOPICS, "town_official", division=w.OTHER_TOWN_VILLAGE, period="2026").status_code == 404


def test_the_topics_report_needs_a_period_and_the_coverage_a_good_day(world):
    no_period = get(TOPICS, division=w.TOWN)
    assert no_period.status_code == 400 and list(no_period.json()) == ["period"]
    bad_day = get(COVERAGE, division=w.TOWN, on="2026-02-30")
    assert bad_day.status_code == 400 and list(bad_day.json()) == ["on"]


def test_the_index_lists_the_deliberation_reports(world):
    slugs = [row["slug"] for row in client_as("report_reader").get("/api/v1/reports/").json()["results"]]

    assert set(SLUGS) <= set(slugs)


# --- 2. deliberation-coverage ----------------------------------------------------------------------


@pytest.fixture
def town_bodies(world):
    """狮山镇: 罗村 and 联和 have bodies (联和's formed on 1 July 2026), …003 has none; 九江镇's 下西 has
    one. A cooperative is no village: it does not count."""
    division(THIRD_VILLAGE)
    DeliberationBodyFactory(division=division(w.VILLAGE), formed_on=D(2025, 1, 1))
    DeliberationBodyFactory(division=division(w.OTHER_VILLAGE_SAME_TOWN), formed_on=D(2026, 7, 1))
    DeliberationBodyFactory(division=division(w.OTHER_TOWN_VILLAGE), formed_on=D(2025, 1, 1))


def test_coverage_of_a_town_has_a_row_per_village(town_bodies):
    rows = rows_of(get(COVERAGE, division=w.TOWN, on="2026-08-01"))

    assert rows[w.VILLAGE] == {
        "unit": w.VILLAGE,
        "name": "罗村村委会",
        "villages": 1,
        "with_body": 1,
        "share": 100.0,
        "target_met": True,
    }
    assert (rows[THIRD_VILLAGE]["with_body"], rows[THIRD_VILLAGE]["share"], rows[THIRD_VILLAGE]["target_met"]) == (
        0,
        0.0,
        False,
    )
    assert list(rows) == sorted(rows) == [w.VILLAGE, w.OTHER_VILLAGE_SAME_TOWN, THIRD_VILLAGE]


def test_coverage_of_a_district_has_a_row_per_town_with_the_target_at_100(town_bodies):
    rows = rows_of(get(COVERAGE, division=w.DISTRICT, on="2026-08-01"))

    assert (rows[w.TOWN]["villages"], rows[w.TOWN]["with_body"]) == (3, 2)
    assert (rows[w.TOWN]["share"], rows[w.TOWN]["target_met"]) == (66.67, False)
    assert (rows[w.OTHER_TOWN]["share"], rows[w.OTHER_TOWN]["target_met"]) == (100.0, True)


def test_coverage_counts_the_bodies_formed_by_the_day_asked_for(town_bodies):
    before = rows_of(get(COVERAGE, division=w.TOWN, on="2026-06-30"))
    after = rows_of(get(COVERAGE, division=w.TOWN, on="2026-07-01"))

    assert before[w.OTHER_VILLAGE_SAME_TOWN]["with_body"] == 0
    assert after[w.OTHER_VILLAGE_SAME_TOWN]["with_body"] == 1


def test_a_village_clerk_reads_the_row_of_their_village_only(town_bodies):
    response = get(COVERAGE, "village_clerk")

    assert [row["unit"] for row in results_of(response)] == [w.VILLAGE]
    assert get(COVERAGE, "village_clerk", division=w.TOWN).status_code == 404


def test_coverage_comes_as_csv_and_xlsx(town_bodies):
    csv_response = get(COVERAGE, division=w.TOWN, on="2026-08-01", format="csv")
    xlsx_response = get(COVERAGE, division=w.TOWN, on="2026-08-01", format="xlsx")

    assert csv_response.status_code == 200 and csv_response["Content-Type"].startswith("text/csv")
    assert f"deliberation-coverage-{w.TOWN}.csv" in csv_response["Content-Disposition"]
    table = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    assert table[0] == ["代码", "名称", "村（社区）数", "已建议事协商组织", "覆盖率（%）", "达到100%"]
    assert [w.VILLAGE, "罗村村委会", "1", "1", "100.0", "是"] in table
    sheet = list(load_workbook(io.BytesIO(xlsx_response.content)).active.iter_rows(values_only=True))
    assert sheet[0][0] == "代码"
    assert (w.OTHER_VILLAGE_SAME_TOWN, "联和村委会", 1, 1, 100.0, "是") in sheet


@pytest.mark.parametrize(
    ("with_body", "villages", "share", "met"),
    [(100, 100, 100.0, True), (9999, 10000, 99.99, False), (99999, 100000, 100.0, False), (0, 0, None, None)],
)
def test_the_share_and_its_target_are_judged_in_one_place(with_body, villages, share, met):
    """The target is every village (100%), judged in integers: a share rounded to 100.00 with one
    village missing (99,999 of 100,000) does not meet it."""
    assert coverage_share(with_body, villages) == share
    assert coverage_met(with_body, villages) is met


# --- 3. deliberation-topics ------------------------------------------------------------------------


def test_topics_are_counted_per_village_where_they_stand_with_meetings_held(world):
    body = body_in(w.VILLAGE)
    meeting = MeetingFactory(body=body, held_on=D(2026, 4, 7))
    MeetingFactory(body=body, held_on=D(2025, 12, 31))  # another year
    reviewer = UserFactory()
    TopicFactory(body=body)  # proposed
    TopicFactory(body=body, status=TopicStatus.REJECTED, reviewed_by=reviewer, reviewed_on=D(2026, 3, 3))
    TopicFactory(body=body, status=TopicStatus.APPROVED, reviewed_by=reviewer, reviewed_on=D(2026, 3, 3))
    for outcome, decision in ((Outcome.AGREED, None), (Outcome.NEEDS_DECISION, decision_on(w.VILLAGE))):
        TopicFactory(
            body=body,
            status=TopicStatus.DELIBERATED,
            reviewed_by=reviewer,
            reviewed_on=D(2026, 3, 3),
            meeting=meeting,
            outcome=outcome,
            decision=decision,
        )
    TopicFactory(body=body, proposed_on=D(2025, 11, 1))  # another year

    rows = rows_of(get(TOPICS, division=w.TOWN, period="2026"))

    assert rows[w.VILLAGE] | {"name": None} == {
        "unit": w.VILLAGE,
        "name": None,
        "proposed": 5,
        "reviewed": 4,
        "approved": 3,
        "rejected": 1,
        "deliberated": 2,
        "agreed": 1,
        "not_agreed": 0,
        "needs_decision": 1,
        "with_decision": 1,
        "meetings": 1,
    }
    assert rows[w.OTHER_VILLAGE_SAME_TOWN]["proposed"] == rows[w.OTHER_VILLAGE_SAME_TOWN]["meetings"] == 0
    district = rows_of(get(TOPICS, division=w.DISTRICT, period="2025"))
    assert (district[w.TOWN]["proposed"], district[w.TOWN]["meetings"]) == (1, 1)
    csv_text = get(TOPICS, division=w.TOWN, period="2026", format="csv").content.decode("utf-8-sig")
    assert csv_text.splitlines()[0].split(",")[-2:] == ["关联决策", "召开会议"]


# --- 4. Query counts --------------------------------------------------------------------------------


@pytest.mark.parametrize(("slug", "queries"), [(COVERAGE, 3), (TOPICS, 4)])
def test_a_deliberation_reports_query_count_does_not_grow_with_the_villages(world, slug, queries):
    url = reverse(f"api:report-{slug}")
    params = {"division": w.TOWN, "period": "2026"}
    TopicFactory(body=body_in(w.VILLAGE))
    client = client_as("district_admin")
    client.get(url, params)  # the grants, cached on the user
    few, few_rows = queries_and_rows(client, url, params)
    for number in range(3, 9):
        body = body_in(f"{w.TOWN}{number:03d}")
        TopicFactory(body=body)
        MeetingFactory(body=body)

    many, many_rows = queries_and_rows(client, url, params)

    assert many_rows > few_rows
    assert few == many == queries  # the division, the counts (topics and meetings: two), the units
