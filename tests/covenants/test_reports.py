"""The covenants' roll-up reports (docs/api.md, Reports): covenant-coverage, violations-by-category
and sanctions-in-force. Their figures on hand-built data, the three formats, the access matrix
(in scope, out of scope, the outsider, the anonymous caller) and pinned query counts that do not
grow with the number of villages, violations or people.

Every date is fixed: nothing here depends on today."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from covenants.choices import (
    COVENANT_COVERAGE_TARGET_BY,
    COVENANT_COVERAGE_TARGET_PERCENT,
    CovenantKind,
    SanctionKind,
    Severity,
    VersionStatus,
)
from covenants.testing.factories import (
    ClauseFactory,
    CovenantFactory,
    CovenantVersionFactory,
    ViolationFactory,
    published_covenant,
)
from governance.testing import world as w
from governance.testing.api import ANONYMOUS, ROLES, client_as, queries_and_rows, results_of
from governance.testing.factories import UserFactory
from governance.testing.fixtures import OUTSIDER
from villages.testing.factories import PersonFactory, division

D = datetime.date
COVERAGE, BY_CATEGORY, SANCTIONS = "covenant-coverage", "violations-by-category", "sanctions-in-force"
# Who may read each report: those who view its model somewhere (covenants: every role but the grid
# worker, whose grants are the grids app's and the divisions; violations: not the report reader
# either, who sees no personal records).
READERS = {
    COVERAGE: set(ROLES) - {"grid_worker"},
    BY_CATEGORY: set(ROLES) - {"report_reader", "grid_worker"},
    SANCTIONS: set(ROLES) - {"report_reader", "grid_worker"},
}
PERIOD = {COVERAGE: "2022", BY_CATEGORY: "2025", SANCTIONS: "2025"}


def get(slug, who="town_official", **params):
    return client_as(who).get(reverse(f"api:report-{slug}"), params)


def rows_by_code(response) -> dict[str, dict]:
    assert response.status_code == 200, response.content[:500]
    return {row["code"]: row for row in results_of(response)}


PUBLISHED_ON = D(2022, 4, 1)


def general_covenant(code, *, published_on=PUBLISHED_ON, status=VersionStatus.PUBLISHED, **version_fields):
    """A village's general covenant with one version in the given state."""
    covenant = CovenantFactory(division=division(code), kind=CovenantKind.GENERAL)
    return CovenantVersionFactory(
        covenant=covenant, number=1, status=status, published_on=published_on, **version_fields
    )


def violate(clause, person=None, *, occurred, confirmed, severity=Severity.MINOR, **fields):
    village = clause.version.covenant.division
    return ViolationFactory(
        clause=clause,
        person=person or PersonFactory(division=village),
        occurred_on=occurred,
        confirmed_on=confirmed,
        severity=severity,
        **fields,
    )


# --- 1. Access: every report, every caller, in and out of scope ----------------------------------


@pytest.mark.parametrize("slug", [COVERAGE, BY_CATEGORY, SANCTIONS])
@pytest.mark.parametrize("who", [*ROLES, OUTSIDER, ANONYMOUS])
def test_a_covenant_report_answers_each_caller_as_its_scope_and_rights_say(world, slug, who):
    home = w.ROLE_HOME.get(who, w.VILLAGE)
    inside = get(slug, who, division=home, period=PERIOD[slug])
    outside = get(slug, who, division=w.JUST_OUTSIDE.get(who, w.FAR_VILLAGE), period=PERIOD[slug])

    if who == ANONYMOUS:
        assert (inside.status_code, outside.status_code) == (401, 401)
    elif who in READERS[slug]:
        assert inside.status_code == 200, inside.content[:300]
        assert inside.json()["division"] == home
        assert outside.status_code == 404
    else:  # the outsider, the grid worker, and the report reader for violations: no right to the model anywhere
        assert (inside.status_code, outside.status_code) == (403, 403)


@pytest.mark.parametrize("slug", [COVERAGE, BY_CATEGORY, SANCTIONS])
def test_without_a_division_a_covenant_report_covers_the_callers_jurisdiction(world, slug):
    response = get(slug, "village_clerk", period=PERIOD[slug])

    assert response.status_code == 200
    assert response.json()["division"] == w.VILLAGE
    assert [row["code"] for row in results_of(response)] in ([w.VILLAGE], [])


@pytest.mark.parametrize("slug", [COVERAGE, BY_CATEGORY])
def test_a_covenant_report_needs_a_period(world, slug):
    response = get(slug, division=w.TOWN)

    assert response.status_code == 400
    assert "period" in response.json()


def test_the_index_lists_the_covenant_reports(world):
    slugs = [row["slug"] for row in client_as("town_official").get("/api/v1/reports/").json()["results"]]

    assert {COVERAGE, BY_CATEGORY, SANCTIONS} <= set(slugs)


# --- 2. covenant-coverage -----------------------------------------------------------------------


@pytest.fixture
def coverage_villages(world):
    """On 2022-12-31, in 狮山镇: 罗村 covered; 联和 with only a special covenant; …003 published
    after the day; …004 only filed; …005 retired before the day (not counted). In 九江镇: 下西 whose
    first version was superseded by a second one during the year (covered); …002 none at all."""
    general_covenant(w.VILLAGE)
    CovenantVersionFactory(
        covenant=CovenantFactory(division=division(w.OTHER_VILLAGE_SAME_TOWN), kind=CovenantKind.PARKING), number=1
    )
    general_covenant(f"{w.TOWN}003", published_on=D(2023, 1, 1))
    general_covenant(f"{w.TOWN}004", status=VersionStatus.FILED, published_on=None)
    division(f"{w.TOWN}005", retired_on=D(2022, 6, 30))
    first = general_covenant(
        w.OTHER_TOWN_VILLAGE, published_on=D(2021, 5, 1), status=VersionStatus.SUPERSEDED, superseded_on=D(2022, 8, 1)
    )
    CovenantVersionFactory(covenant=first.covenant, number=2, published_on=D(2022, 8, 1))
    division(f"{w.OTHER_TOWN}002")


def test_coverage_counts_per_town_the_villages_with_a_general_covenant_in_force_on_the_periods_last_day(
    coverage_villages,
):
    rows = rows_by_code(get(COVERAGE, "district_admin", division=w.DISTRICT, period="2022"))

    assert set(rows) == {w.TOWN, w.OTHER_TOWN}
    town = rows[w.TOWN]
    assert (town["villages"], town["covered"], town["not_covered"], town["share"]) == (4, 1, 3, 25.0)
    assert (town["on"], town["meets_target"]) == ("2022-12-31", False)
    assert (rows[w.OTHER_TOWN]["villages"], rows[w.OTHER_TOWN]["covered"], rows[w.OTHER_TOWN]["share"]) == (2, 1, 50.0)
    # The report reader, who reads covenants, gets the same figures.
    assert rows_by_code(get(COVERAGE, "report_reader", division=w.DISTRICT, period="2022")) == rows


def test_coverage_of_a_town_has_a_row_per_village(coverage_villages):
    rows = rows_by_code(get(COVERAGE, division=w.TOWN, period="2022"))

    assert set(rows) == {w.VILLAGE, w.OTHER_VILLAGE_SAME_TOWN, f"{w.TOWN}003", f"{w.TOWN}004"}
    assert rows[w.VILLAGE]["name"] == "罗村村委会"
    assert (rows[w.VILLAGE]["covered"], rows[w.VILLAGE]["share"], rows[w.VILLAGE]["meets_target"]) == (1, 100.0, True)
    assert [rows[code]["covered"] for code in (w.OTHER_VILLAGE_SAME_TOWN, f"{w.TOWN}003", f"{w.TOWN}004")] == [0, 0, 0]


def test_coverage_is_judged_on_the_last_day_of_the_period_asked_for(coverage_villages):
    before = rows_by_code(get(COVERAGE, division=w.TOWN, period="2022-Q1"))  # 罗村 published 1 April
    later = rows_by_code(get(COVERAGE, division=w.TOWN, period="2023"))  # …003 published 1 January 2023

    assert before[w.VILLAGE]["covered"] == 0
    assert (later[w.VILLAGE]["covered"], later[f"{w.TOWN}003"]["covered"]) == (1, 1)


def test_coverage_gives_the_share_rounded_half_up_and_the_target_with_its_date(world):
    for number in (3, 4):
        division(f"{w.TOWN}{number:03d}")
    general_covenant(w.VILLAGE)
    general_covenant(w.OTHER_VILLAGE_SAME_TOWN)

    rows = rows_by_code(get(COVERAGE, "district_admin", division=w.DISTRICT, period="2022"))

    row = rows[w.TOWN]
    assert (row["covered"], row["villages"], row["share"]) == (2, 4, 50.0)
    assert (rows[w.OTHER_TOWN]["covered"], rows[w.OTHER_TOWN]["share"]) == (0, 0.0)
    assert (row["target"], row["target_by"]) == (100, "2022-12-31")
    assert (COVENANT_COVERAGE_TARGET_PERCENT, COVENANT_COVERAGE_TARGET_BY) == (100, D(2022, 12, 31))


def test_coverage_of_two_villages_out_of_three_is_66_7_percent(world):
    division(f"{w.TOWN}003")
    general_covenant(w.VILLAGE)
    general_covenant(f"{w.TOWN}003")

    row = rows_by_code(get(COVERAGE, "district_admin", division=w.DISTRICT, period="2022"))[w.TOWN]

    assert (row["covered"], row["villages"], row["share"]) == (2, 3, 66.7)


def test_coverage_comes_as_csv_and_xlsx(coverage_villages):
    csv_response = get(COVERAGE, division=w.TOWN, period="2022", format="csv")
    xlsx_response = get(COVERAGE, division=w.TOWN, period="2022", format="xlsx")

    assert f"covenant-coverage-{w.TOWN}-2022.csv" in csv_response["Content-Disposition"]
    table = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    assert table[0][:6] == ["代码", "名称", "统计日期", "村（社区）数", "已施行村规民约", "未施行村规民约"]
    assert [w.VILLAGE, "罗村村委会", "2022-12-31", "1", "1", "0", "100.0", "100", "2022-12-31", "是"] in table
    sheet = list(load_workbook(io.BytesIO(xlsx_response.content)).active.iter_rows(values_only=True))
    assert sheet[0][0] == "代码"
    assert (w.VILLAGE, "罗村村委会", "2022-12-31", 1, 1, 0, 100, 100, "2022-12-31", "是") in sheet


def test_coverages_query_count_does_not_grow_with_the_villages(world):
    url = reverse(f"api:report-{COVERAGE}")
    few, few_rows = queries_and_rows(client_as("district_admin"), url, {"division": w.TOWN, "period": "2022"})
    for number in range(3, 13):
        general_covenant(f"{w.TOWN}{number:03d}")

    many, many_rows = queries_and_rows(client_as("district_admin"), url, {"division": w.TOWN, "period": "2022"})

    assert (few_rows, many_rows) == (2, 12)
    assert few == many == 4  # the caller's grants, the division, the counts, the villages


# --- 3. violations-by-category ------------------------------------------------------------------


@pytest.fixture
def categorised_violations(world):
    """Confirmed in 2025 in 罗村: 集体经济 two minor and one serious, 人居环境 one minor; not counted:
    one confirmed in 2024, one not yet confirmed, one lifted by an upheld appeal. In 联和: one of a
    clause with no category. In 九江镇's 下西: one 停车."""
    clauses = {clause.number: clause for clause in published_covenant(w.VILLAGE).clauses.all()}
    for severity in (Severity.MINOR, Severity.MINOR, Severity.SERIOUS):
        violate(clauses[1], occurred=D(2025, 2, 1), confirmed=D(2025, 2, 10), severity=severity)
    violate(clauses[2], occurred=D(2024, 12, 20), confirmed=D(2025, 1, 5))
    violate(clauses[1], occurred=D(2024, 11, 1), confirmed=D(2024, 12, 31))
    violate(clauses[1], occurred=D(2025, 3, 1), confirmed=None)
    violate(
        clauses[2],
        occurred=D(2025, 3, 1),
        confirmed=D(2025, 3, 5),
        appeal_filed_on=D(2025, 3, 10),
        appeal_upheld=True,
        appeal_decided_on=D(2025, 3, 20),
        appeal_decided_by=UserFactory(),
    )
    other = published_covenant(w.OTHER_VILLAGE_SAME_TOWN).clauses.get(number=1)
    uncategorised = ClauseFactory(version=other.version, number=9, category="")
    violate(uncategorised, occurred=D(2025, 5, 1), confirmed=D(2025, 5, 2), severity=Severity.SERIOUS)
    far = published_covenant(w.OTHER_TOWN_VILLAGE).clauses.get(number=3)
    violate(far, occurred=D(2025, 6, 1), confirmed=D(2025, 6, 2))


def category_rows(response) -> dict[tuple[str, str], tuple[int, int, int]]:
    assert response.status_code == 200, response.content[:500]
    return {
        (row["code"], row["category"]): (row["minor"], row["serious"], row["total"]) for row in results_of(response)
    }


def test_violations_of_a_town_are_counted_per_village_category_and_severity(categorised_violations):
    rows = category_rows(get(BY_CATEGORY, division=w.TOWN, period="2025"))

    assert rows == {
        (w.VILLAGE, "集体经济"): (2, 1, 3),
        (w.VILLAGE, "人居环境"): (1, 0, 1),
        (w.OTHER_VILLAGE_SAME_TOWN, "未分类"): (0, 1, 1),
    }


def test_violations_of_a_district_are_counted_per_town(categorised_violations):
    rows = category_rows(get(BY_CATEGORY, "district_admin", division=w.DISTRICT, period="2025"))

    assert rows == {
        (w.TOWN, "集体经济"): (2, 1, 3),
        (w.TOWN, "人居环境"): (1, 0, 1),
        (w.TOWN, "未分类"): (0, 1, 1),
        (w.OTHER_TOWN, "停车"): (1, 0, 1),
    }


def test_violations_are_counted_in_the_period_of_their_confirmation(categorised_violations):
    first_quarter = category_rows(get(BY_CATEGORY, division=w.TOWN, period="2025-Q1"))
    of_2024 = category_rows(get(BY_CATEGORY, division=w.TOWN, period="2024"))

    assert set(first_quarter) == {(w.VILLAGE, "集体经济"), (w.VILLAGE, "人居环境")}
    assert of_2024 == {(w.VILLAGE, "集体经济"): (1, 0, 1)}


def test_a_village_clerk_sees_only_the_violations_of_their_village(categorised_violations):
    rows = category_rows(get(BY_CATEGORY, "village_clerk", period="2025"))

    assert set(rows) == {(w.VILLAGE, "集体经济"), (w.VILLAGE, "人居环境")}


def test_violations_by_category_come_as_csv_and_xlsx(categorised_violations):
    csv_text = get(BY_CATEGORY, division=w.TOWN, period="2025", format="csv").content.decode("utf-8-sig")
    sheet = list(
        load_workbook(
            io.BytesIO(get(BY_CATEGORY, division=w.TOWN, period="2025", format="xlsx").content)
        ).active.iter_rows(values_only=True)
    )

    table = list(csv.reader(io.StringIO(csv_text)))
    assert table[0] == ["代码", "名称", "条款类别", "一般", "严重", "合计"]
    assert [w.VILLAGE, "罗村村委会", "集体经济", "2", "1", "3"] in table
    assert (w.OTHER_VILLAGE_SAME_TOWN, "联和村委会", "未分类", 0, 1, 1) in sheet


def test_violations_by_categorys_query_count_does_not_grow_with_the_violations(world):
    clause = published_covenant(w.VILLAGE).clauses.get(number=1)
    violate(clause, occurred=D(2025, 2, 1), confirmed=D(2025, 2, 2))
    url = reverse(f"api:report-{BY_CATEGORY}")
    few, few_rows = queries_and_rows(client_as("town_official"), url, {"division": w.TOWN, "period": "2025"})
    other = published_covenant(w.OTHER_VILLAGE_SAME_TOWN).clauses.all()
    for clause in other:
        for _ in range(3):
            violate(clause, occurred=D(2025, 2, 1), confirmed=D(2025, 2, 2))

    many, many_rows = queries_and_rows(client_as("town_official"), url, {"division": w.TOWN, "period": "2025"})

    assert (few_rows, many_rows) == (1, 5)
    assert few == many == 4  # the caller's grants, the division, the counts, the villages


# --- 4. sanctions-in-force ----------------------------------------------------------------------


@pytest.fixture
def sanctioned(world):
    """In 罗村, judged on 2025-06-30: A a repeat of clause 1, the second serious (bars from
    2024-05-01 to 2027 and 2029, the referral until rectified; the 2024 award only); B vehicle
    access restricted, not rectified (and the 2025 award); C a repeat of clause 1 within 12 months
    (bars from the repeat's confirmation, and the 2025 award); D restricted but rectified in 2024;
    F a repeat confirmed only on 2025-07-10; G lifted by an upheld appeal. In 联和: E a single
    serious violation (the 2025 award and the referral: no bar)."""
    clauses = {clause.number: clause for clause in published_covenant(w.VILLAGE).clauses.all()}
    a = PersonFactory(division=division(w.VILLAGE))
    violate(clauses[1], a, occurred=D(2024, 1, 10), confirmed=D(2024, 1, 15))
    violate(clauses[1], a, occurred=D(2024, 4, 20), confirmed=D(2024, 5, 1), severity=Severity.SERIOUS)
    violate(clauses[3], occurred=D(2025, 2, 20), confirmed=D(2025, 3, 1))
    repeat = PersonFactory(division=division(w.VILLAGE))
    violate(clauses[1], repeat, occurred=D(2024, 9, 1), confirmed=D(2024, 9, 10))
    violate(clauses[1], repeat, occurred=D(2025, 1, 5), confirmed=D(2025, 1, 15))
    violate(clauses[3], occurred=D(2024, 3, 1), confirmed=D(2024, 3, 5), rectified_on=D(2024, 6, 1))
    f = PersonFactory(division=division(w.VILLAGE))
    violate(clauses[1], f, occurred=D(2025, 5, 1), confirmed=D(2025, 7, 1))
    violate(clauses[1], f, occurred=D(2025, 6, 1), confirmed=D(2025, 7, 10))
    violate(
        clauses[1],
        occurred=D(2025, 1, 1),
        confirmed=D(2025, 1, 10),
        severity=Severity.SERIOUS,
        appeal_filed_on=D(2025, 1, 12),
        appeal_upheld=True,
        appeal_decided_on=D(2025, 1, 20),
        appeal_decided_by=UserFactory(),
    )
    other = published_covenant(w.OTHER_VILLAGE_SAME_TOWN).clauses.get(number=1)
    violate(other, occurred=D(2025, 2, 1), confirmed=D(2025, 2, 10), severity=Severity.SERIOUS)


def counts(row) -> dict[str, int]:
    return {key: value for key, value in row.items() if key == "people" or key in SanctionKind.values and value}


def test_sanctions_in_force_count_the_people_under_each_kind_per_village_of_a_town(sanctioned):
    rows = rows_by_code(get(SANCTIONS, division=w.TOWN, on="2025-06-30"))

    assert set(rows) == {w.VILLAGE, w.OTHER_VILLAGE_SAME_TOWN}
    assert rows[w.VILLAGE]["on"] == "2025-06-30"
    assert counts(rows[w.VILLAGE]) == {
        "people": 3,
        SanctionKind.ASSET_BIDDING_BAR: 2,
        SanctionKind.ELECTION_BAR: 2,
        SanctionKind.NOMINATION_BAR: 2,
        SanctionKind.AWARD_WITHHELD: 2,
        SanctionKind.VEHICLE_ACCESS_RESTRICTION: 1,
        SanctionKind.REFERRAL: 1,
    }
    assert rows[w.VILLAGE][SanctionKind.SERVICE_RESTRICTION] == rows[w.VILLAGE][SanctionKind.COMPENSATION] == 0
    assert counts(rows[w.OTHER_VILLAGE_SAME_TOWN]) == {
        "people": 1,
        SanctionKind.AWARD_WITHHELD: 1,
        SanctionKind.REFERRAL: 1,
    }


def test_sanctions_in_force_of_a_district_are_counted_per_town(sanctioned):
    rows = rows_by_code(get(SANCTIONS, "district_admin", division=w.DISTRICT, on="2025-06-30"))

    assert counts(rows[w.TOWN]) == {
        "people": 4,
        SanctionKind.ASSET_BIDDING_BAR: 2,
        SanctionKind.ELECTION_BAR: 2,
        SanctionKind.NOMINATION_BAR: 2,
        SanctionKind.AWARD_WITHHELD: 3,
        SanctionKind.VEHICLE_ACCESS_RESTRICTION: 1,
        SanctionKind.REFERRAL: 2,
    }
    assert counts(rows[w.OTHER_TOWN]) == {"people": 0}


def test_sanctions_in_force_are_judged_on_the_periods_last_day_without_on(sanctioned):
    row = rows_by_code(get(SANCTIONS, division=w.TOWN, period="2025"))[w.VILLAGE]

    assert row["on"] == "2025-12-31"
    assert (row["people"], row[SanctionKind.ASSET_BIDDING_BAR]) == (4, 3)  # F's bars began on 10 July


def test_a_bar_ends_on_the_day_before_the_same_date_years_later(sanctioned):
    last_day = rows_by_code(get(SANCTIONS, division=w.TOWN, on="2027-04-30"))[w.VILLAGE]
    ended = rows_by_code(get(SANCTIONS, division=w.TOWN, on="2027-05-01"))[w.VILLAGE]

    # A's bidding bar (confirmed 2024-05-01) ends with 2027-04-30; C's and F's run on.
    assert (last_day[SanctionKind.ASSET_BIDDING_BAR], ended[SanctionKind.ASSET_BIDDING_BAR]) == (3, 2)
    assert ended[SanctionKind.ELECTION_BAR] == 3


def test_sanctions_in_force_need_a_day_or_a_period_and_refuse_a_bad_day(world):
    assert "period" in get(SANCTIONS, division=w.TOWN).json()
    response = get(SANCTIONS, division=w.TOWN, on="2025-02-30")
    assert response.status_code == 400
    assert "on" in response.json()


def test_sanctions_in_force_come_as_csv_and_xlsx(sanctioned):
    csv_response = get(SANCTIONS, division=w.TOWN, on="2025-06-30", format="csv")
    sheet = list(
        load_workbook(
            io.BytesIO(get(SANCTIONS, division=w.TOWN, on="2025-06-30", format="xlsx").content)
        ).active.iter_rows(values_only=True)
    )

    assert f"sanctions-in-force-{w.TOWN}-2025-06-30.csv" in csv_response["Content-Disposition"]
    table = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    assert table[0] == ["代码", "名称", "统计日期", "受惩戒人数", *[str(kind.label) for kind in SanctionKind]]
    # asset bidding, election, nomination, award, dividends, homestead, services, vehicles,
    # compensation, referral
    assert [w.VILLAGE, "罗村村委会", "2025-06-30", "3", "2", "2", "2", "2", "0", "0", "0", "1", "0", "1"] in table
    assert (w.OTHER_VILLAGE_SAME_TOWN, "联和村委会", "2025-06-30", 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1) in sheet


def test_sanctions_in_force_cost_the_same_queries_for_one_person_or_many(world):
    clause = published_covenant(w.VILLAGE).clauses.get(number=1)
    violate(clause, occurred=D(2025, 2, 1), confirmed=D(2025, 2, 2), severity=Severity.SERIOUS)
    url, params = reverse(f"api:report-{SANCTIONS}"), {"division": w.TOWN, "on": "2025-06-30"}
    few, _rows = queries_and_rows(client_as("town_official"), url, params)
    for _ in range(15):
        person = PersonFactory(division=division(w.VILLAGE))
        violate(clause, person, occurred=D(2024, 9, 1), confirmed=D(2024, 9, 2))
        violate(clause, person, occurred=D(2025, 1, 1), confirmed=D(2025, 1, 2))

    many, _rows = queries_and_rows(client_as("town_official"), url, params)

    assert rows_by_code(client_as("town_official").get(url, params))[w.VILLAGE]["people"] == 16
    # The caller's grants, the division, the violations in view, all their people's violations, the villages.
    assert few == many == 5
