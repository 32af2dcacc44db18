"""The two committees' term (DESIGN.md section 3, R26): COMMITTEE_TERM_YEARS (5) from the day they
were last elected (the latest start of a two-committee post in the village); a village whose term
has run out without a new election is flagged to its town: on the division pages, on the home page
(with its list) and in the report `terms-expired` (formats, access matrix, pinned query counts)."""

import csv
import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from openpyxl import load_workbook

from governance import clock
from governance.periods import same_day_later
from governance.testing import world as w
from governance.testing.api import ANONYMOUS, ROLES, client_as, queries_and_rows, results_of
from governance.testing.fixtures import OUTSIDER
from governance.testing.pages import queries_for, signed_in_client
from villages.choices import COMMITTEE_TERM_YEARS, TWO_COMMITTEE_POSITIONS, PositionKind
from villages.models import Division
from villages.querysets import latest_election_out_of_term, term_ends_on
from villages.testing.factories import PersonFactory, PositionFactory, division

pytestmark = pytest.mark.django_db

D = datetime.date
DAY = datetime.timedelta(days=1)
REPORT = "terms-expired"
LIST_URL = reverse("villages:expired_terms")


def elected(code: str, on: datetime.date, kind=PositionKind.PARTY_SECRETARY, **fields):
    place = division(code)
    return PositionFactory(division=place, kind=kind, person=PersonFactory(division=place), started_on=on, **fields)


def out_of_term(on: datetime.date) -> set[str]:
    return set(Division.objects.committees_out_of_term(on).values_list("code", flat=True))


def test_the_term_is_five_years():
    assert COMMITTEE_TERM_YEARS == 5
    assert term_ends_on(D(2021, 3, 1)) == D(2026, 3, 1)
    assert term_ends_on(D(2024, 2, 29)) == D(2029, 3, 1)  # governance.periods.same_day_later


@pytest.mark.parametrize("on", [D(2026, 2, 28), D(2026, 3, 1), D(2029, 2, 28), D(2029, 3, 1), D(2028, 2, 29)])
def test_the_latest_election_out_of_term_is_the_last_day_whose_term_has_ended(on):
    latest = latest_election_out_of_term(on)

    assert term_ends_on(latest) <= on < term_ends_on(latest + DAY)


def test_a_village_is_out_of_term_on_the_day_its_term_ends_not_the_day_before(world):
    elected(w.VILLAGE, D(2021, 3, 1))

    assert out_of_term(D(2026, 2, 28)) == set()
    assert out_of_term(D(2026, 3, 1)) == {w.VILLAGE}
    assert out_of_term(D(2026, 3, 2)) == {w.VILLAGE}


def test_committees_elected_on_29_february_are_out_of_term_on_1_march(world):
    elected(w.VILLAGE, D(2024, 2, 29))

    assert out_of_term(D(2029, 2, 28)) == set()
    assert out_of_term(D(2029, 3, 1)) == {w.VILLAGE}


def test_the_last_election_is_the_latest_start_of_any_two_committee_post(world):
    elected(w.VILLAGE, D(2021, 3, 1), ended_on=D(2023, 1, 1))
    elected(w.VILLAGE, D(2021, 3, 1), kind=PositionKind.COMMITTEE_MEMBER)
    elected(w.OTHER_VILLAGE_SAME_TOWN, D(2021, 3, 1))
    elected(w.OTHER_VILLAGE_SAME_TOWN, D(2023, 6, 1), kind=PositionKind.COMMITTEE_MEMBER)  # a by-election

    assert set(TWO_COMMITTEE_POSITIONS) >= {PositionKind.COMMITTEE_MEMBER, PositionKind.PARTY_SECRETARY}
    assert out_of_term(D(2026, 6, 1)) == {w.VILLAGE}
    village = Division.objects.with_last_election(D(2026, 6, 1)).get(code=w.OTHER_VILLAGE_SAME_TOWN)
    assert village.last_elected_on == D(2023, 6, 1)


def test_a_new_election_ends_the_flag_and_other_posts_do_not_count(world):
    elected(w.VILLAGE, D(2021, 3, 1), ended_on=D(2026, 3, 1))
    elected(w.VILLAGE, D(2026, 3, 1))
    elected(w.OTHER_VILLAGE_SAME_TOWN, D(2026, 3, 1), kind=PositionKind.VILLAGER_REPRESENTATIVE)
    elected(w.OTHER_VILLAGE_SAME_TOWN, D(2026, 3, 1), kind=PositionKind.RESERVE_CADRE)
    elected(w.OTHER_VILLAGE_SAME_TOWN, D(2020, 1, 1))

    assert out_of_term(D(2026, 6, 1)) == {w.OTHER_VILLAGE_SAME_TOWN}


def test_a_village_without_any_two_committee_post_is_not_flagged(world):
    elected(w.VILLAGE, D(2015, 1, 1), kind=PositionKind.VILLAGER_REPRESENTATIVE)

    assert out_of_term(D(2026, 6, 1)) == set()


# --- pages, home count, report ------------------------------------------------------------------


@pytest.fixture
def terms(world):
    """罗村 and 九江镇's 下西 were last elected six years ago; 联和 a year ago; 禅城区's 远方 six
    years ago."""
    today = clock.today()
    six_years_ago = D(today.year - 6, today.month, min(today.day, 28))
    elected(w.VILLAGE, six_years_ago)
    elected(w.OTHER_VILLAGE_SAME_TOWN, D(today.year - 1, today.month, min(today.day, 28)))
    elected(w.OTHER_TOWN_VILLAGE, six_years_ago)
    elected(w.FAR_VILLAGE, six_years_ago)
    return six_years_ago


# Who is told of which villages: the town and the district (they review cadre filings).
TOLD = {
    "district_admin": {w.VILLAGE, w.OTHER_TOWN_VILLAGE},
    "town_official": {w.VILLAGE},
    "village_clerk": set(),
    "coop_clerk": set(),
    "grid_worker": set(),
    "inspector": set(),
    "report_reader": set(),
    OUTSIDER: set(),
}


@pytest.mark.parametrize("who", [*ROLES, OUTSIDER])
def test_the_home_count_and_its_list_are_the_villages_out_of_term_the_user_is_told_of(terms, who):
    user = get_user_model().objects.get(username=who)

    response = signed_in_client(user).get(reverse("home"))
    listed = signed_in_client(user).get(LIST_URL)

    count = response.context["pending_counts"]["expired_terms"]
    assert count == len(TOLD[who])
    assert listed.status_code == 200
    assert {village.code for village in listed.context["villages"]} == TOLD[who]
    if count:
        assert f"{count} 个村（社区）“两委”任期已届满，尚未换届。" in response.text and LIST_URL in response.text
    else:
        assert 'id="pending-expired_terms"' not in response.text


def test_the_list_page_costs_the_same_queries_whatever_the_number_of_villages(terms, world):
    client = signed_in_client(world.user("town_official"))
    few = queries_for(client, LIST_URL)
    for number in range(3, 9):
        elected(f"{w.TOWN}{number:03d}", terms)

    assert queries_for(client, LIST_URL) == few


def test_the_village_page_says_since_when_its_term_has_run_out(terms, world):
    page = signed_in_client(world.user("village_clerk")).get(reverse("villages:division", args=[w.VILLAGE]))
    fresh = signed_in_client(world.user("town_official")).get(
        reverse("villages:division", args=[w.OTHER_VILLAGE_SAME_TOWN])
    )

    ended = same_day_later(terms, years=COMMITTEE_TERM_YEARS)
    assert 'id="committee-term-note"' in page.text
    assert f"本村“两委”上次选举于 {terms:%Y-%m-%d}，每届任期 5 年，已于 {ended:%Y-%m-%d} 届满，尚未换届。" in page.text
    assert 'id="committee-term-note"' not in fresh.text


def test_the_town_page_counts_its_villages_out_of_term(terms, world):
    page = signed_in_client(world.user("town_official")).get(reverse("villages:division", args=[w.TOWN]))

    assert "辖内有 1 个村（社区）“两委”任期（5 年）已届满，尚未换届。" in page.text


def get_report(who="town_official", **params):
    return client_as(who).get(reverse(f"api:report-{REPORT}"), params)


@pytest.mark.parametrize("who", [*ROLES, OUTSIDER, ANONYMOUS])
def test_the_report_answers_each_caller_as_its_scope_and_rights_say(terms, who):
    home = w.ROLE_HOME.get(who, w.VILLAGE)
    inside = get_report(who, division=home)
    outside = get_report(who, division=w.JUST_OUTSIDE.get(who, w.FAR_VILLAGE))

    if who == ANONYMOUS:
        assert (inside.status_code, outside.status_code) == (401, 401)
    elif who == OUTSIDER:
        assert (inside.status_code, outside.status_code) == (403, 403)
    else:  # every role views divisions; the report names no person
        assert inside.status_code == 200, inside.content[:300]
        assert inside.json()["division"] == home
        assert outside.status_code == 404


def test_the_report_of_another_town_is_not_found_and_the_default_is_the_jurisdiction(terms):
    assert get_report(division=w.OTHER_TOWN).status_code == 404
    assert get_report().json()["division"] == w.TOWN


def test_the_report_gives_each_village_its_last_election_term_end_and_days_overdue(terms):
    rows = {row["code"]: row for row in results_of(get_report(division=w.TOWN))}
    ended = same_day_later(terms, years=COMMITTEE_TERM_YEARS)

    assert set(rows) == {w.VILLAGE, w.OTHER_VILLAGE_SAME_TOWN}
    assert rows[w.VILLAGE] == {
        "code": w.VILLAGE,
        "name": "罗村村委会",
        "town": "狮山镇",
        "last_elected_on": terms.isoformat(),
        "term_ends_on": ended.isoformat(),
        "expired": True,
        "days_overdue": (clock.today() - ended).days,
    }
    assert (rows[w.OTHER_VILLAGE_SAME_TOWN]["expired"], rows[w.OTHER_VILLAGE_SAME_TOWN]["days_overdue"]) == (
        False,
        None,
    )


def test_the_report_downloads_as_csv_and_xlsx(terms):
    as_csv = get_report(division=w.TOWN, format="csv")
    as_xlsx = get_report(division=w.TOWN, format="xlsx")

    table = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert table[0] == ["代码", "村（社区）", "镇（街道）", "上次选举", "任期届满", "是否届满未换届", "逾期天数"]
    assert [row[5] for row in table[1:]] == ["是", "否"]
    assert load_workbook(io.BytesIO(as_xlsx.content)).active.max_row == 3


def test_the_index_lists_the_report(world):
    slugs = [row["slug"] for row in client_as("report_reader").get("/api/v1/reports/").json()["results"]]

    assert REPORT in slugs


@pytest.mark.parametrize("more", [0, 8])
def test_the_report_costs_the_same_queries_whatever_the_number_of_villages(terms, more):
    for number in range(3, 3 + more):
        elected(f"{w.TOWN}{number:03d}", terms)
    client = client_as("town_official")
    client.get(reverse(f"api:report-{REPORT}"), {"division": w.TOWN})  # the user's grants are loaded once

    queries, rows = queries_and_rows(client, reverse(f"api:report-{REPORT}"), {"division": w.TOWN})

    assert rows == 2 + more
    assert queries == 2  # the division, the rows
