"""The direct-contact reports against hand-built data: contact-links exactly as DESIGN.md §7 has it
(per village or community: unit, name, links with the five keys, missing) on a day, contact-days
per unit for a period (days, on Tuesday, attendees, matters); every caller in and out of scope
(another town's division 404); CSV and XLSX; query counts that do not grow with the rows; the
/reports/ page lists them."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from engagement.choices import LinkKind
from engagement.testing.factories import ContactDayFactory, ContactLinkFactory
from governance.testing import world as w
from governance.testing.api import ANONYMOUS, ROLES, client_as, queries_and_rows, results_of
from governance.testing.fixtures import OUTSIDER
from governance.testing.pages import signed_in_client
from villages.testing.factories import division

D = datetime.date
START = D(2025, 1, 1)
LINKS, DAYS = "contact-links", "contact-days"
READERS = {"district_admin", "town_official", "village_clerk", "inspector"}
THIRD_VILLAGE = f"{w.TOWN}003"
KEYS = ["district_leader", "district_branch", "town_leader", "town_branch", "deputies"]


def get(slug, who="district_admin", **params):
    return client_as(who).get(reverse(f"api:report-{slug}"), params)


def link(code, kind, since=START, until=None, holder="挂钩人"):
    return ContactLinkFactory(division=division(code), kind=kind, since=since, until=until, holder=holder)


@pytest.fixture
def town_links(world):
    """On 1 June 2025 in 狮山镇: 罗村 has all five (two deputies); 联和 its town leader and branch
    (its district leader ended 31 May, its district branch begins 2 June); …003 none. In 九江镇's
    下西 a town leader."""
    for kind in LinkKind.values:
        link(w.VILLAGE, kind)
    link(w.VILLAGE, LinkKind.DEPUTIES, holder="第二位代表")
    link(w.OTHER_VILLAGE_SAME_TOWN, LinkKind.TOWN_LEADER)
    link(w.OTHER_VILLAGE_SAME_TOWN, LinkKind.TOWN_BRANCH)
    link(w.OTHER_VILLAGE_SAME_TOWN, LinkKind.DISTRICT_LEADER, until=D(2025, 5, 31))
    link(w.OTHER_VILLAGE_SAME_TOWN, LinkKind.DISTRICT_BRANCH, since=D(2025, 6, 2))
    division(THIRD_VILLAGE, "第三村委会")
    link(w.OTHER_TOWN_VILLAGE, LinkKind.TOWN_LEADER)


# --- 1. Access -------------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", [LINKS, DAYS])
@pytest.mark.parametrize("who", [*ROLES, OUTSIDER, ANONYMOUS])
def test_a_contact_report_answers_each_caller_as_its_scope_and_rights_say(world, slug, who):
    home = w.ROLE_HOME.get(who, w.VILLAGE)
    inside = get(slug, who, division=home, period="2025")
    outside = get(slug, who, division=w.JUST_OUTSIDE.get(who, w.FAR_VILLAGE), period="2025")

    if who == ANONYMOUS:
        assert (inside.status_code, outside.status_code) == (401, 401)
    elif who in READERS:
        assert inside.status_code == 200, inside.content[:300]
        assert inside.json()["division"] == home
        assert outside.status_code == 404
    else:  # who views no link and no contact day: the outsider, a cooperative's clerk, a grid worker...
        assert (inside.status_code, outside.status_code) == (403, 403)


def test_another_towns_division_is_404_to_a_town_official(town_links):
    assert get(LINKS, "town_official", division=w.OTHER_TOWN).status_code == 404
    assert get(DAYS, "town_official", division=w.OTHER_TOWN, period="2025").status_code == 404


def test_the_index_and_the_reports_page_list_them(world):
    slugs = [row["slug"] for row in client_as("town_official").get("/api/v1/reports/").json()["results"]]
    page = signed_in_client(world.user("town_official")).get("/reports/")

    assert {LINKS, DAYS} <= set(slugs)
    assert page.status_code == 200 and "五挂钩落实情况" in page.text and "组织直联日开展情况" in page.text


# --- 2. contact-links --------------------------------------------------------------------------------


def test_contact_links_of_a_town_has_a_row_per_village_with_the_five_links_and_the_missing(town_links):
    response = get(LINKS, division=w.TOWN, on="2025-06-01")

    assert response.status_code == 200
    assert [column["key"] for column in response.json()["columns"]] == ["unit", "name", "links", "missing"]
    assert results_of(response) == [
        {"unit": w.VILLAGE, "name": "罗村村委会", "links": dict.fromkeys(KEYS, True), "missing": 0},
        {
            "unit": w.OTHER_VILLAGE_SAME_TOWN,
            "name": "联和村委会",
            "links": {
                "district_leader": False,
                "district_branch": False,
                "town_leader": True,
                "town_branch": True,
                "deputies": False,
            },
            "missing": 3,
        },
        {"unit": THIRD_VILLAGE, "name": "第三村委会", "links": dict.fromkeys(KEYS, False), "missing": 5},
    ]


def test_the_link_kinds_are_the_contracts_keys():
    assert LinkKind.values == KEYS


def test_contact_links_are_counted_on_the_day_asked_for(town_links):
    rows = {row["unit"]: row for row in results_of(get(LINKS, division=w.TOWN, on="2025-05-31"))}
    later = {row["unit"]: row for row in results_of(get(LINKS, division=w.TOWN, on="2025-06-02"))}

    assert rows[w.OTHER_VILLAGE_SAME_TOWN]["links"]["district_leader"] is True
    assert rows[w.OTHER_VILLAGE_SAME_TOWN]["missing"] == 2
    assert later[w.OTHER_VILLAGE_SAME_TOWN]["links"]["district_branch"] is True
    assert later[w.OTHER_VILLAGE_SAME_TOWN]["missing"] == 2
    bad_day = get(LINKS, division=w.TOWN, on="2025-13-01")
    assert bad_day.status_code == 400 and list(bad_day.json()) == ["on"]


def test_a_district_lists_every_village_of_its_towns_and_a_village_clerk_their_own(town_links):
    district = [row["unit"] for row in results_of(get(LINKS, division=w.DISTRICT, on="2025-06-01"))]
    clerk = results_of(get(LINKS, "village_clerk", on="2025-06-01"))

    assert district == [w.OTHER_TOWN_VILLAGE, w.VILLAGE, w.OTHER_VILLAGE_SAME_TOWN, THIRD_VILLAGE]
    assert [(row["unit"], row["missing"]) for row in clerk] == [(w.VILLAGE, 0)]


def test_contact_links_come_as_csv_and_xlsx_with_a_column_per_link(town_links):
    csv_response = get(LINKS, division=w.TOWN, on="2025-06-01", format="csv")
    xlsx_response = get(LINKS, division=w.TOWN, on="2025-06-01", format="xlsx")

    assert csv_response.status_code == 200 and csv_response["Content-Type"].startswith("text/csv")
    assert f"contact-links-{w.TOWN}-2025-06-01.csv" in csv_response["Content-Disposition"]
    table = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    assert table[0] == [
        "代码",
        "村（社区）",
        "区领导",
        "区直机关党支部",
        "镇（街道）领导",
        "镇（街道）机关党支部",
        "两代表一委员",
        "未落实",
    ]
    assert table[2] == [w.OTHER_VILLAGE_SAME_TOWN, "联和村委会", "否", "否", "是", "是", "否", "3"]
    sheet = list(load_workbook(io.BytesIO(xlsx_response.content)).active.iter_rows(values_only=True))
    assert sheet[1] == (w.VILLAGE, "罗村村委会", "是", "是", "是", "是", "是", 0)


# --- 3. contact-days ---------------------------------------------------------------------------------


@pytest.fixture
def town_days(world):
    """In 2025 in 狮山镇: 罗村 three days (two Tuesdays, one Wednesday), 联和 one Tuesday without
    matters, the town itself one; not counted: 罗村 in 2024 and 下西 of 九江镇."""
    ContactDayFactory(division=division(w.VILLAGE), held_on=D(2025, 3, 4), attendees=10, matters_settled=2)
    ContactDayFactory(division=division(w.VILLAGE), held_on=D(2025, 3, 11), attendees=15, matters_settled=0)
    ContactDayFactory(division=division(w.VILLAGE), held_on=D(2025, 3, 19), attendees=5, matters_settled=1)
    ContactDayFactory(
        division=division(w.OTHER_VILLAGE_SAME_TOWN),
        held_on=D(2025, 3, 4),
        attendees=8,
        matters_raised="",
        matters_settled=0,
    )
    ContactDayFactory(division=division(w.TOWN), held_on=D(2025, 3, 4), attendees=40, matters_settled=3)
    ContactDayFactory(division=division(w.VILLAGE), held_on=D(2024, 12, 31), attendees=99)
    ContactDayFactory(division=division(w.OTHER_TOWN_VILLAGE), held_on=D(2025, 3, 4), attendees=7)
    division(THIRD_VILLAGE, "第三村委会")


def test_contact_days_of_a_town_has_its_own_row_and_one_per_village(town_days):
    rows = results_of(get(DAYS, division=w.TOWN, period="2025"))

    assert rows == [
        {
            "unit": w.TOWN,
            "name": "狮山镇",
            "days": 1,
            "on_tuesday": 1,
            "attendees": 40,
            "days_with_matters": 1,
            "matters_settled": 3,
        },
        {
            "unit": w.VILLAGE,
            "name": "罗村村委会",
            "days": 3,
            "on_tuesday": 2,
            "attendees": 30,
            "days_with_matters": 3,
            "matters_settled": 3,
        },
        {
            "unit": w.OTHER_VILLAGE_SAME_TOWN,
            "name": "联和村委会",
            "days": 1,
            "on_tuesday": 1,
            "attendees": 8,
            "days_with_matters": 0,
            "matters_settled": 0,
        },
        {
            "unit": THIRD_VILLAGE,
            "name": "第三村委会",
            "days": 0,
            "on_tuesday": 0,
            "attendees": 0,
            "days_with_matters": 0,
            "matters_settled": 0,
        },
    ]


def test_contact_days_of_a_district_count_a_towns_own_days_in_the_town(town_days):
    rows = {row["unit"]: row for row in results_of(get(DAYS, division=w.DISTRICT, period="2025"))}

    assert (rows[w.TOWN]["days"], rows[w.TOWN]["on_tuesday"], rows[w.TOWN]["attendees"]) == (5, 4, 78)
    assert rows[w.OTHER_TOWN]["days"] == 1


def test_contact_days_need_a_period_and_come_as_csv(town_days):
    assert get(DAYS, division=w.TOWN).status_code == 400
    text = get(DAYS, division=w.TOWN, period="2025-Q1", format="csv").content.decode("utf-8-sig")

    assert text.splitlines()[0] == "代码,名称,开展次数,其中星期二,参加人数,收集问题次数,当场解决问题数"
    assert text.splitlines()[2] == f"{w.VILLAGE},罗村村委会,3,2,30,3,3"


# --- 4. Query counts --------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", [LINKS, DAYS])
def test_a_contact_reports_query_count_does_not_grow_with_the_villages_or_the_records(world, slug):
    url = reverse(f"api:report-{slug}")
    params = {"division": w.TOWN, "period": "2025", "on": "2025-06-01"}
    link(w.VILLAGE, LinkKind.TOWN_LEADER)
    ContactDayFactory(division=division(w.VILLAGE), held_on=D(2025, 3, 4))
    client = client_as("district_admin")
    client.get(url, params)  # the grants, cached on the user
    few, few_rows = queries_and_rows(client, url, params)
    for number in range(3, 9):
        code = f"{w.TOWN}{number:03d}"
        for kind in LinkKind.values:
            link(code, kind)
        ContactDayFactory(division=division(code), held_on=D(2025, 3, 4))
        ContactDayFactory(division=division(code), held_on=D(2025, 3, 11))

    many, many_rows = queries_and_rows(client, url, params)

    assert many_rows > few_rows
    assert few == many == 3  # the division, the villages or units, the links or the counts
