"""The party-share report (/api/v1/reports/party-share/): party members in cooperative committees
(社长 and 社委委员) at the 2021 general election and on the day asked, against the Nanhai
party-building plan's target of 5 more percentage points (supervision.choices); per cooperative of a
village, rolled up per village of a town and per town of the district; who may read it, CSV and
XLSX, pinned query counts."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from governance.reporting import percent
from governance.testing import world as w
from governance.testing.api import ANONYMOUS, OUTSIDER, client_as, queries_and_rows, results_of
from governance.testing.pages import ROLES
from supervision.choices import (
    PARTY_SHARE_BASELINE_DAY,
    PARTY_SHARE_RISE_POINTS,
    PARTY_SHARE_TARGET_DAY,
    party_share_target,
    party_share_target_met,
)
from villages.choices import PositionKind
from villages.testing.factories import PartyMembershipFactory, PersonFactory, PositionFactory, division

pytestmark = pytest.mark.django_db

D = datetime.date
URL = reverse("api:report-party-share")
HEAD, MEMBER = PositionKind.COOPERATIVE_HEAD, PositionKind.COOPERATIVE_COMMITTEE_MEMBER
ELECTED = D(2021, 3, 1)
NOW = D(2023, 12, 31)


def get(who="district_admin", **params):
    return client_as(who).get(URL, params)


def rows(who="district_admin", **params) -> dict[str, dict]:
    response = get(who, **params)
    assert response.status_code == 200, response.content[:500]
    return {row["code"]: row for row in results_of(response)}


def seat(cooperative: str, kind=MEMBER, *, party_since=None, started=ELECTED, ended=None):
    """A person holding a committee post of the cooperative, a party member since `party_since`."""
    person = PersonFactory(division=division(cooperative))
    PositionFactory(person=person, division=division(cooperative), kind=kind, started_on=started, ended_on=ended)
    if party_since is not None:
        PartyMembershipFactory(person=person, branch=division(cooperative[:12]), joined_on=party_since)
    return person


@pytest.fixture
def committees(world):
    """第一经济社 of 罗村: 1 party member of 4 at the baseline (25%), 2 of 4 on NOW (50%): met.
    第二经济社: 1 of 2 at the baseline (50%), still 1 of 2 (50%): not met.
    A cooperative of 九江镇: 0 of 1 at the baseline, 0 of 1 on NOW: not met."""
    seat(w.COOPERATIVE, HEAD, party_since=D(2010, 7, 1))
    seat(w.COOPERATIVE)
    seat(w.COOPERATIVE)
    seat(w.COOPERATIVE, party_since=D(2022, 7, 1))  # joined after the election
    seat(w.OTHER_COOPERATIVE_SAME_VILLAGE, HEAD, party_since=D(2015, 7, 1))
    seat(w.OTHER_COOPERATIVE_SAME_VILLAGE)
    seat(f"{w.OTHER_TOWN_VILLAGE}001", HEAD)
    # Not counted: a villager representative (no committee post), a member representative.
    PositionFactory(division=division(w.VILLAGE), kind=PositionKind.VILLAGER_REPRESENTATIVE)
    PositionFactory(division=division(w.COOPERATIVE), kind=PositionKind.MEMBER_REPRESENTATIVE)


# --- the rule --------------------------------------------------------------------------------------


def test_the_rule_is_5_points_over_the_2021_election_by_the_end_of_2023():
    assert PARTY_SHARE_RISE_POINTS == 5
    assert PARTY_SHARE_BASELINE_DAY == D(2021, 6, 30)
    assert PARTY_SHARE_TARGET_DAY == D(2023, 12, 31)


@pytest.mark.parametrize(
    ("party", "members", "met"),
    [
        (29, 100, False),  # 29% of 100: one point short of 25 + 5
        (30, 100, True),  # exactly 30%: met
        (31, 100, True),
        (3, 10, True),  # 30% again, of a smaller committee
        (2, 7, False),  # 28.57%
    ],
)
def test_the_target_is_the_baseline_share_plus_5_points_at_the_boundary(party, members, met):
    # Baseline 1 of 4: 25%, target 30%.
    assert party_share_target_met(party, members, 1, 4) is met


def test_a_committee_all_party_members_at_the_baseline_has_a_target_of_100():
    assert percent(*party_share_target(4, 4), 2) == 100.0
    assert party_share_target_met(3, 3, 4, 4) is True
    assert party_share_target_met(2, 3, 4, 4) is False


def test_without_a_committee_on_either_day_there_is_nothing_to_compare():
    assert party_share_target(0, 0) is None
    assert party_share_target_met(1, 2, 0, 0) is None
    assert party_share_target_met(0, 0, 1, 2) is None


def test_shares_have_two_decimals_rounded_half_up():
    assert percent(1, 3, 2) == 33.33
    assert percent(2, 3, 2) == 66.67
    assert percent(1, 8, 2) == 12.5
    assert percent(1, 3) == 33.3  # one decimal stays the default of the other reports


# --- the report ------------------------------------------------------------------------------------


def test_a_village_gets_one_row_per_cooperative_with_baseline_now_target_and_whether_met(committees):
    found = rows(division=w.VILLAGE, on=NOW.isoformat())

    first, second = found[w.COOPERATIVE], found[w.OTHER_COOPERATIVE_SAME_VILLAGE]
    assert (first["baseline_members"], first["baseline_party_members"], first["baseline_share"]) == (4, 1, 25.0)
    assert (first["members"], first["party_members"], first["share"]) == (4, 2, 50.0)
    assert (first["target"], first["target_met"]) == (30.0, True)
    assert (second["baseline_share"], second["share"], second["target"], second["target_met"]) == (
        50.0,
        50.0,
        55.0,
        False,
    )
    assert first["baseline_on"] == "2021-06-30" and first["on"] == "2023-12-31"
    assert first["target_by"] == "2023-12-31"
    assert first["name"] == "罗村村委会 · 第一经济社" or first["name"].endswith("第一经济社")


def test_a_town_rolls_its_cooperatives_up_per_village_and_the_district_per_town(committees):
    villages = rows(division=w.TOWN, on=NOW.isoformat())
    towns = rows(division=w.DISTRICT, on=NOW.isoformat())

    # 罗村: 2 of 6 at the baseline (33.33%), 3 of 6 now (50%); target 38.33%: met.
    village = villages[w.VILLAGE]
    assert (village["baseline_members"], village["baseline_party_members"], village["baseline_share"]) == (6, 2, 33.33)
    assert (village["members"], village["party_members"], village["share"]) == (6, 3, 50.0)
    assert (village["target"], village["target_met"]) == (38.33, True)
    # A village without a cooperative committee has nothing to compare.
    assert villages[w.OTHER_VILLAGE_SAME_TOWN]["members"] == 0
    assert villages[w.OTHER_VILLAGE_SAME_TOWN]["share"] is None
    assert villages[w.OTHER_VILLAGE_SAME_TOWN]["target_met"] is None
    assert towns[w.TOWN]["party_members"] == 3 and towns[w.TOWN]["target_met"] is True
    assert (towns[w.OTHER_TOWN]["members"], towns[w.OTHER_TOWN]["target_met"]) == (1, False)


def test_per_cooperative_lists_every_cooperative_of_a_town(committees):
    found = rows(division=w.TOWN, on=NOW.isoformat(), per="cooperative")

    assert set(found) >= {w.COOPERATIVE, w.OTHER_COOPERATIVE_SAME_VILLAGE}
    assert all(code.startswith(w.TOWN) and len(code) == 15 for code in found)


def test_a_bad_per_or_day_is_a_field_error(committees):
    assert "per" in get(division=w.TOWN, per="village").json()
    assert "on" in get(division=w.TOWN, on="2023-13-01").json()


def test_the_day_is_today_by_default_or_the_last_day_of_a_period(committees, monkeypatch):
    monkeypatch.setattr("governance.clock.today", lambda: D(2022, 1, 1))

    today = rows(division=w.VILLAGE)[w.COOPERATIVE]
    period = rows(division=w.VILLAGE, period="2023")[w.COOPERATIVE]

    assert (today["on"], today["party_members"]) == ("2022-01-01", 1)
    assert (period["on"], period["party_members"]) == ("2023-12-31", 2)


def test_a_member_who_joins_the_party_counts_from_the_day_he_joined(world):
    seat(w.COOPERATIVE, HEAD, party_since=D(2010, 1, 1))
    seat(w.COOPERATIVE, party_since=D(2023, 6, 1))

    before = rows(division=w.VILLAGE, on="2023-05-31")[w.COOPERATIVE]
    on_the_day = rows(division=w.VILLAGE, on="2023-06-01")[w.COOPERATIVE]

    assert (before["party_members"], on_the_day["party_members"]) == (1, 2)


def test_a_post_counts_from_its_first_day_to_the_day_before_it_ended(world):
    seat(w.COOPERATIVE, HEAD, party_since=D(2010, 1, 1), started=D(2021, 6, 30), ended=D(2023, 12, 31))
    seat(w.OTHER_COOPERATIVE_SAME_VILLAGE, HEAD, party_since=D(2010, 1, 1), started=D(2021, 7, 1))

    found = rows(division=w.VILLAGE, on="2023-12-31")
    before = rows(division=w.VILLAGE, on="2023-12-30")

    assert found[w.COOPERATIVE]["baseline_members"] == 1  # seated on the baseline day
    assert found[w.OTHER_COOPERATIVE_SAME_VILLAGE]["baseline_members"] == 0  # seated the day after
    assert found[w.COOPERATIVE]["members"] == 0  # ended on the day: no longer held
    assert before[w.COOPERATIVE]["members"] == 1


def test_a_person_with_two_posts_of_one_cooperative_counts_once(world):
    person = seat(w.COOPERATIVE, HEAD, party_since=D(2010, 1, 1))
    PositionFactory(person=person, division=division(w.COOPERATIVE), kind=MEMBER, started_on=ELECTED)

    found = rows(division=w.VILLAGE, on=NOW.isoformat())[w.COOPERATIVE]

    assert (found["members"], found["party_members"]) == (1, 1)


# --- who reads it ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", [*ROLES, OUTSIDER, ANONYMOUS])
def test_the_report_answers_each_caller_as_its_scope_says(world, who):
    home = w.ROLE_HOME.get(who, w.VILLAGE)
    inside = get(who, division=home)
    outside = get(who, division=w.JUST_OUTSIDE.get(who, w.FAR_VILLAGE))

    if who == ANONYMOUS:
        assert (inside.status_code, outside.status_code) == (401, 401)
    elif who == OUTSIDER:
        assert (inside.status_code, outside.status_code) == (403, 403)
    else:
        assert inside.status_code == 200, inside.content[:300]
        assert inside.json()["division"] == home
        assert outside.status_code == 404


def test_without_a_division_the_report_covers_the_callers_jurisdiction(committees):
    response = get("village_clerk")

    assert response.status_code == 200
    assert response.json()["division"] == w.VILLAGE
    assert {row["code"] for row in results_of(response)} >= {w.COOPERATIVE, w.OTHER_COOPERATIVE_SAME_VILLAGE}


def test_another_towns_division_is_not_found_for_a_town_official(committees):
    assert get("town_official", division=w.OTHER_TOWN).status_code == 404
    assert get("town_official", division=w.OTHER_TOWN_VILLAGE).status_code == 404


def test_the_index_lists_the_report(world):
    slugs = [row["slug"] for row in client_as("town_official").get("/api/v1/reports/").json()["results"]]

    assert "party-share" in slugs


def test_csv_and_xlsx_carry_the_same_rows(committees):
    as_csv = get(division=w.VILLAGE, on=NOW.isoformat(), format="csv")
    as_xlsx = get(division=w.VILLAGE, on=NOW.isoformat(), format="xlsx")

    assert as_csv.status_code == as_xlsx.status_code == 200
    text = as_csv.content.decode("utf-8-sig")
    assert "基准日党员比例（%）" in text and w.COOPERATIVE in text
    assert as_csv["Content-Disposition"].endswith(f'party-share-{w.VILLAGE}-2023-12-31.csv"')
    sheet = load_workbook(io.BytesIO(as_xlsx.content)).active
    codes = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert w.COOPERATIVE in codes


# The grants, the division, the counts (one GROUP BY), the units.
PINNED_QUERIES = 4


@pytest.mark.parametrize("division_code", [w.TOWN, w.VILLAGE])
def test_the_report_costs_the_same_queries_for_few_units_and_for_many(world, division_code):
    seat(w.COOPERATIVE, HEAD, party_since=D(2010, 1, 1))
    few, few_rows = queries_and_rows(client_as("town_official"), URL, {"division": division_code})
    for number in range(3, 9):
        village = f"{w.TOWN}{number:03d}"
        division(village)
        seat(f"{village}001", HEAD, party_since=D(2010, 1, 1))
        seat(f"{w.VILLAGE}{number:03d}", MEMBER)

    many, many_rows = queries_and_rows(client_as("town_official"), URL, {"division": division_code})

    assert many_rows > few_rows
    assert few == many == PINNED_QUERIES
