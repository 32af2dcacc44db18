"""The party members' service reports (docs/parts/api-party.md) against hand-built data:
service-posts (per unit: party members, those holding a post on the day, the share and its 100%
target, null without members) and pioneer-index (per branch and member: points in the period, the
branch's average and each member's index); every caller in and out of scope; CSV and XLSX; query
counts that do not grow with the units, the members or the points; the /reports/ index."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from engagement.choices import PointActivity
from engagement.querysets.party import branch_average, member_index, posts_share, posts_target_met
from engagement.testing.factories import PointEntryFactory, PostClaimFactory, ServicePostFactory
from governance.testing import world as w
from governance.testing.api import ANONYMOUS, ROLES, client_as, queries_and_rows
from governance.testing.fixtures import OUTSIDER
from villages.testing.factories import PartyMembershipFactory, division

D = datetime.date
JOINED, CLAIMED, EARNED = D(2000, 7, 1), D(2025, 3, 1), D(2025, 6, 1)
POSTS, PIONEER = "service-posts", "pioneer-index"
THIRD_VILLAGE = f"{w.TOWN}003"
# engagement.grants: service-posts (counts) is read by who reads the district's point rules, the
# report reader included; pioneer-index (names members) by who views point entries.
READERS = {
    POSTS: {"district_admin", "town_official", "village_clerk", "inspector", "report_reader"},
    PIONEER: {"district_admin", "town_official", "village_clerk", "inspector"},
}


def get(slug, who="district_admin", **params):
    return client_as(who).get(reverse(f"api:report-{slug}"), params)


def member(code, name=None, joined_on=JOINED):
    fields = {"person__name": name} if name else {}
    return PartyMembershipFactory(branch=division(code), joined_on=joined_on, **fields)


def holding(made, claimed_on=CLAIMED, left_on=None):
    PostClaimFactory(post=ServicePostFactory(division=made.branch), member=made, claimed_on=claimed_on, left_on=left_on)
    return made


def points(made, amount, earned_on=EARNED):
    PointEntryFactory(member=made, points=amount, earned_on=earned_on, activity=PointActivity.VOLUNTEER)


@pytest.fixture
def town_posts(world):
    """On 2025-12-31 in 狮山镇: 罗村 two members both holding a post (100%: met); 联和 three members,
    two holding one (66.67%: not met) and one who left on the day; …003 no member (null). In
    九江镇's 下西 one member without a post."""
    holding(member(w.VILLAGE))
    holding(member(w.VILLAGE))
    holding(member(w.OTHER_VILLAGE_SAME_TOWN))
    holding(member(w.OTHER_VILLAGE_SAME_TOWN), claimed_on=D(2025, 12, 31))
    holding(member(w.OTHER_VILLAGE_SAME_TOWN), left_on=D(2025, 12, 31))
    division(THIRD_VILLAGE)
    member(w.OTHER_TOWN_VILLAGE)


@pytest.mark.parametrize("slug", (POSTS, PIONEER))
@pytest.mark.parametrize("who", [*ROLES, OUTSIDER, ANONYMOUS])
def test_a_party_report_answers_each_caller_as_its_scope_and_rights_say(world, slug, who):
    home = w.ROLE_HOME.get(who, w.VILLAGE)
    inside = get(slug, who, division=home, period="2025", on="2025-12-31")
    outside = get(slug, who, division=w.JUST_OUTSIDE.get(who, w.FAR_VILLAGE), period="2025", on="2025-12-31")

    if who == ANONYMOUS:
        assert (inside.status_code, outside.status_code) == (401, 401)
    elif who in READERS[slug]:
        assert inside.status_code == 200, inside.content[:300]
        assert inside.json()["division"] == home
        assert outside.status_code == 404
    else:  # the outsider, a cooperative's clerk, a grid worker (and the report reader for members)
        assert (inside.status_code, outside.status_code) == (403, 403)


def test_the_index_lists_the_party_reports(world):
    slugs = [row["slug"] for row in client_as("district_admin").get("/api/v1/reports/").json()["results"]]

    assert {POSTS, PIONEER} <= set(slugs)


# --- service-posts -----------------------------------------------------------------------------------


def test_service_posts_of_a_town_has_a_row_per_village_with_the_100_percent_boundary(town_posts):
    rows = get(POSTS, "town_official", division=w.TOWN, on="2025-12-31").json()["results"]

    assert rows == [
        {
            "unit": w.VILLAGE,
            "name": "罗村村委会",
            "party_members": 2,
            "with_post": 2,
            "share": 100.0,
            "target_met": True,
        },
        {
            "unit": w.OTHER_VILLAGE_SAME_TOWN,
            "name": "联和村委会",
            "party_members": 3,
            "with_post": 2,
            "share": 66.67,
            "target_met": False,
        },
        {
            "unit": THIRD_VILLAGE,
            "name": f"区划{THIRD_VILLAGE}",
            "party_members": 0,
            "with_post": 0,
            "share": None,
            "target_met": None,
        },
    ]


def test_service_posts_counts_on_the_day_asked_for(town_posts):
    before = get(POSTS, division=w.OTHER_VILLAGE_SAME_TOWN, on="2025-12-30").json()["results"]

    # On the 30th the member who left on the 31st still held their post, the one who claimed on
    # the 31st did not yet.
    assert [(row["with_post"], row["share"]) for row in before] == [(2, 66.67)]


def test_service_posts_of_a_district_has_a_row_per_town(town_posts):
    rows = get(POSTS, division=w.DISTRICT, on="2025-12-31").json()["results"]

    assert [(row["unit"], row["party_members"], row["with_post"]) for row in rows] == [
        (w.OTHER_TOWN, 1, 0),
        (w.TOWN, 5, 4),
    ]


def test_a_village_clerk_reads_the_row_of_their_village_only(town_posts):
    rows = get(POSTS, "village_clerk", division=w.VILLAGE, on="2025-12-31").json()["results"]
    refused = get(POSTS, "village_clerk", division=w.TOWN, on="2025-12-31")

    assert [row["unit"] for row in rows] == [w.VILLAGE]
    assert refused.status_code == 404


def test_a_bad_day_is_a_400_on_on(world):
    response = get(POSTS, division=w.TOWN, on="2025-13-01")

    assert response.status_code == 400 and list(response.json()) == ["on"]


def test_service_posts_comes_as_csv_and_xlsx(town_posts):
    csv_response = get(POSTS, division=w.TOWN, on="2025-12-31", format="csv")
    xlsx_response = get(POSTS, division=w.TOWN, on="2025-12-31", format="xlsx")

    assert csv_response.status_code == 200 and csv_response["Content-Type"].startswith("text/csv")
    assert f"service-posts-{w.TOWN}.csv" in csv_response["Content-Disposition"]
    table = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    assert table[0] == ["代码", "名称", "党员数", "已认岗党员", "认岗率（%）", "全部认岗"]
    assert table[2] == [w.OTHER_VILLAGE_SAME_TOWN, "联和村委会", "3", "2", "66.67", "否"]
    sheet = list(load_workbook(io.BytesIO(xlsx_response.content)).active.iter_rows(values_only=True))
    assert sheet[1] == (w.VILLAGE, "罗村村委会", 2, 2, 100, "是")


@pytest.mark.parametrize(
    ("with_post", "members", "share", "met"),
    [(10, 10, 100.0, True), (9999, 10000, 99.99, False), (0, 0, None, None), (2, 3, 66.67, False)],
)
def test_the_share_and_its_target_are_judged_in_one_place_for_report_and_dashboard(with_post, members, share, met):
    assert posts_share(with_post, members) == share
    assert posts_target_met(share) is met


# --- pioneer-index -----------------------------------------------------------------------------------


@pytest.fixture
def branch_points(world):
    """2025 in 罗村: 陈一 10 points (6 + 4), 李二 5, 王三 none (15 in all, 5.00 on average); not
    counted: 李二's 9 points of 2024, 赵四 who joined in 2026. 联和: one member without points."""
    first, second = member(w.VILLAGE, "陈一"), member(w.VILLAGE, "李二")
    member(w.VILLAGE, "王三")
    member(w.VILLAGE, "赵四", joined_on=D(2026, 1, 1))
    points(first, 6, D(2025, 1, 1))
    points(first, 4, D(2025, 12, 31))
    points(second, 5)
    points(second, 9, D(2024, 12, 31))
    member(w.OTHER_VILLAGE_SAME_TOWN, "周五")


def test_the_pioneer_index_gives_each_branch_its_average_and_each_member_points_over_it(branch_points):
    rows = get(PIONEER, "town_official", division=w.TOWN, period="2025").json()["results"]

    summary = [
        (row["kind"], row["member_name"], row["members"], row["points"], row["average_points"], row["pioneer_index"])
        for row in rows
    ]
    assert summary == [
        ("branch", "", 3, 15, 5.0, 5.0),
        ("member", "陈一", None, 10, 5.0, 200.0),
        ("member", "李二", None, 5, 5.0, 100.0),
        ("member", "王三", None, 0, 5.0, 0.0),
        ("branch", "", 1, 0, 0.0, 0.0),
        ("member", "周五", None, 0, 0.0, None),
    ]
    assert {row["branch"] for row in rows[:4]} == {w.VILLAGE}
    assert rows[0]["branch_name"] == "罗村村委会"


def test_the_pioneer_index_counts_the_period_asked_for(branch_points):
    rows = get(PIONEER, division=w.VILLAGE, period="2025-H2").json()["results"]

    assert [(row["member_name"], row["points"]) for row in rows] == [("", 4), ("陈一", 4), ("李二", 0), ("王三", 0)]


def test_the_pioneer_index_needs_a_period_and_comes_as_csv(branch_points):
    missing = get(PIONEER, division=w.TOWN)
    csv_text = get(PIONEER, division=w.VILLAGE, period="2025", format="csv").content.decode("utf-8-sig")

    assert missing.status_code == 400 and list(missing.json()) == ["period"]
    assert csv_text.splitlines()[0] == "类别,党组织代码,党组织,党员编号,党员,党员数,积分,人均积分,先锋指数"
    assert "陈一" in csv_text and "200.0" in csv_text


@pytest.mark.parametrize(
    ("points_", "total", "members", "index"),
    [(10, 15, 3, 200.0), (1, 3, 3, 100.0), (1, 6, 4, 66.7), (0, 0, 4, None), (2, 3, 2, 133.3)],
)
def test_a_members_index_is_their_points_over_the_branch_average_times_100_one_decimal(points_, total, members, index):
    assert member_index(points_, total, members) == index


def test_a_branchs_index_is_its_average_points_two_decimals():
    assert branch_average(10, 3) == 3.33
    assert branch_average(5, 2) == 2.5
    assert branch_average(0, 0) is None


# --- query counts ------------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", (POSTS, PIONEER))
def test_a_party_reports_query_count_does_not_grow_with_the_villages_members_or_points(world, slug):
    url = reverse(f"api:report-{slug}")
    params = {"division": w.TOWN, "period": "2025", "on": "2025-12-31"}
    points(holding(member(w.VILLAGE)), 3)
    client = client_as("town_official")
    client.get(url, params)  # the grants, cached on the user
    few, few_rows = queries_and_rows(client, url, params)
    for number in range(3, 9):
        code = f"{w.TOWN}{number:03d}"
        points(holding(member(code)), number)
        points(member(code), 1)

    many, many_rows = queries_and_rows(client, url, params)

    assert many_rows > few_rows
    assert few == many == (3 if slug == POSTS else 2)
