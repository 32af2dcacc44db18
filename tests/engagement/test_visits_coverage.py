"""Visit coverage for many cadres at once (engagement.querysets.visits.coverage_table): each quota
of Guangxi §16 at its boundary (one short, exactly met), the same answers as coverage_of cadre by
cadre, and one statement whatever the number of cadres; the contacts kept (Guangxi §10) at theirs."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from engagement.choices import ContactKind, QuotaTarget, VisitorLevel
from engagement.models import KeptContact
from engagement.querysets import coverage_of
from engagement.querysets.visits import KeptRole, cadres_behind, coverage_table, kept_contacts_table
from engagement.testing.factories import KeptContactFactory, VisitFactory, VisitingCadreFactory
from governance.periods import Period
from governance.testing import world as w
from villages.choices import PositionKind
from villages.models import Division, Person
from villages.testing.factories import HouseholdFactory, PartyMembershipFactory, PositionFactory, division

pytestmark = pytest.mark.django_db
D = datetime.date
YEAR = Period.parse("2026")
MAY_5 = datetime.date(2026, 5, 5)
JUNE_30 = datetime.date(2026, 6, 30)


def counts(cadre, period=YEAR):
    return [
        (row.coverage.target, row.coverage.required, row.coverage.visited) for row in coverage_table([cadre], period)
    ]


def households_of_village(number: int, code: str = w.COOPERATIVE):
    return [HouseholdFactory(division=division(code)) for _ in range(number)]


def visit_households(cadre, households, on=MAY_5):
    for household in households:
        VisitFactory(visitor=cadre, household=household, division=household.division, visited_on=on)


@pytest.fixture
def town_cadre(world):
    cadre = VisitingCadreFactory(level=VisitorLevel.TOWN_CADRE, division=division(w.TOWN))
    cadre.villages.add(division(w.VILLAGE))
    return cadre


# --- each quota at its boundary ---------------------------------------------------------------------


def test_a_town_cadre_one_household_short_misses_and_with_every_household_meets(town_cadre):
    households = households_of_village(3)
    visit_households(town_cadre, households[:2])

    [short] = coverage_table([town_cadre], YEAR)
    visit_households(town_cadre, households[2:])
    [met] = coverage_table([town_cadre], YEAR)

    assert (short.coverage.required, short.coverage.visited, short.coverage.met) == (3, 2, False)
    assert short.quota == "households_year" and short.coverage.share == 66.67
    assert (met.coverage.visited, met.coverage.met, met.coverage.share) == (3, True, 100.0)


def test_a_visit_to_the_village_without_a_household_counts_for_no_household(town_cadre):
    households_of_village(1)
    VisitFactory(visitor=town_cadre, division=division(w.VILLAGE), visited_on=D(2026, 5, 5))

    assert counts(town_cadre) == [(QuotaTarget.HOUSEHOLDS, 1, 0)]


def test_a_town_head_one_natural_village_short_misses_and_with_all_meets(world):
    head = VisitingCadreFactory(level=VisitorLevel.TOWN_HEAD, division=division(w.TOWN))
    second = w.OTHER_VILLAGE_SAME_TOWN + "001"
    for code in (w.COOPERATIVE, w.OTHER_COOPERATIVE_SAME_VILLAGE, second):
        division(code)
    division(w.OTHER_TOWN_VILLAGE + "001")  # another town's: not the head's
    VisitFactory(visitor=head, division=division(w.COOPERATIVE), visited_on=D(2026, 1, 2))
    VisitFactory(visitor=head, division=division(second), visited_on=D(2026, 12, 31))

    short = counts(head)
    VisitFactory(visitor=head, division=division(w.OTHER_COOPERATIVE_SAME_VILLAGE), visited_on=D(2026, 7, 7))

    assert short == [(QuotaTarget.NATURAL_VILLAGES, 3, 2)]
    assert counts(head) == [(QuotaTarget.NATURAL_VILLAGES, 3, 3)]
    assert not cadres_behind([head], YEAR)


def test_a_town_leader_one_group_short_in_the_half_year_and_every_household_within_the_term(world):
    leader = VisitingCadreFactory(
        level=VisitorLevel.TOWN_LEADER, division=division(w.TOWN), term_started_on=D(2022, 3, 1)
    )
    leader.villages.add(division(w.VILLAGE))
    division(w.OTHER_COOPERATIVE_SAME_VILLAGE)
    [household] = households_of_village(1)
    visit_households(leader, [household], on=D(2022, 3, 1))  # the term's first day counts
    VisitFactory(visitor=leader, division=division(w.COOPERATIVE), visited_on=D(2026, 6, 30))
    first_half = Period.parse("2026-H1")

    short = counts(leader, first_half)
    VisitFactory(visitor=leader, division=division(w.OTHER_COOPERATIVE_SAME_VILLAGE), visited_on=D(2026, 1, 1))

    assert short == [(QuotaTarget.GROUPS, 2, 1), (QuotaTarget.HOUSEHOLDS, 1, 1)]
    assert counts(leader, first_half) == [(QuotaTarget.GROUPS, 2, 2), (QuotaTarget.HOUSEHOLDS, 1, 1)]
    # The second half starts afresh.
    assert counts(leader, Period.parse("2026-H2"))[0] == (QuotaTarget.GROUPS, 2, 0)


def test_the_term_quota_forgets_visits_before_the_term(world):
    leader = VisitingCadreFactory(
        level=VisitorLevel.TOWN_LEADER, division=division(w.TOWN), term_started_on=D(2022, 3, 1)
    )
    leader.villages.add(division(w.VILLAGE))
    [household] = households_of_village(1)
    visit_households(leader, [household], on=D(2022, 2, 28))

    assert counts(leader)[1] == (QuotaTarget.HOUSEHOLDS, 1, 0)


def test_a_county_secretary_one_village_short_within_the_term_then_met(world):
    secretary = VisitingCadreFactory(
        level=VisitorLevel.COUNTY_SECRETARY, division=division(w.DISTRICT), term_started_on=D(2021, 10, 1)
    )
    for code in (w.VILLAGE, w.OTHER_VILLAGE_SAME_TOWN, w.OTHER_TOWN_VILLAGE):
        division(code)
    division(w.FAR_VILLAGE)  # another district's
    VisitFactory(visitor=secretary, division=division(w.COOPERATIVE), visited_on=D(2022, 1, 6))
    VisitFactory(visitor=secretary, division=division(w.OTHER_VILLAGE_SAME_TOWN), visited_on=D(2026, 1, 6))

    short = counts(secretary)
    VisitFactory(visitor=secretary, division=division(w.OTHER_TOWN_VILLAGE), visited_on=D(2026, 9, 30))

    assert short == [(QuotaTarget.VILLAGES, 3, 2)]
    assert counts(secretary) == [(QuotaTarget.VILLAGES, 3, 3)]


def test_a_village_merged_away_before_the_window_ends_is_no_longer_required(world):
    secretary = VisitingCadreFactory(level=VisitorLevel.COUNTY_SECRETARY, division=division(w.DISTRICT))
    Division.objects.filter(code=w.OTHER_VILLAGE_SAME_TOWN).update(retired_on=D(2026, 6, 1))

    assert counts(secretary) == [(QuotaTarget.VILLAGES, 2, 0)]  # the world's two other villages
    assert counts(secretary, Period.parse("2026-Q1")) == [(QuotaTarget.VILLAGES, 3, 0)]


# --- agreement with coverage_of, and the cost --------------------------------------------------------


def test_the_table_agrees_with_coverage_of_cadre_by_cadre(world):
    cadres = [
        VisitingCadreFactory(
            level=level, division=division(w.DISTRICT if level == VisitorLevel.COUNTY_SECRETARY else w.TOWN)
        )
        for level in VisitorLevel.values
    ]
    households = households_of_village(4) + households_of_village(2, w.OTHER_VILLAGE_SAME_TOWN + "001")
    division(w.OTHER_COOPERATIVE_SAME_VILLAGE)
    division(w.OTHER_TOWN_VILLAGE)
    for cadre in cadres:
        cadre.villages.add(division(w.VILLAGE), division(w.OTHER_VILLAGE_SAME_TOWN))
    for index, household in enumerate(households):
        visitor = cadres[index % len(cadres)]
        VisitFactory(
            visitor=visitor, household=household, division=household.division, visited_on=D(2026, 1 + index, 3)
        )
    VisitFactory(visitor=cadres[0], division=division(w.OTHER_TOWN_VILLAGE), visited_on=D(2025, 4, 4))

    for period in (YEAR, Period.parse("2026-H1"), Period.parse("2026-Q4"), Period.parse("2025")):
        table = coverage_table(cadres, period)
        one_by_one = [(cadre, coverage) for cadre in cadres for coverage in coverage_of(cadre, period)]
        assert [(row.cadre, row.coverage) for row in table] == one_by_one


def test_the_table_costs_one_statement_whatever_the_number_of_cadres(world):
    cadres = []
    for number in range(6):
        cadre = VisitingCadreFactory(level=VisitorLevel.values[number % 4], division=division(w.TOWN))
        cadre.villages.add(division(w.VILLAGE))
        cadres.append(cadre)
    households_of_village(2)

    with CaptureQueriesContext(connection) as one:
        coverage_table(cadres[:1], YEAR)
    with CaptureQueriesContext(connection) as many:
        coverage_table(cadres, YEAR)

    assert len(one) == len(many) == 1
    assert coverage_table([], YEAR) == []


# --- contacts kept (Guangxi §10) ----------------------------------------------------------------------


def keep(person, kind=ContactKind.HOUSEHOLD, number=1, **fields):
    for _ in range(number):
        if kind == ContactKind.HOUSEHOLD:
            KeptContactFactory(person=person, household=HouseholdFactory(division=person.division), **fields)
        else:
            KeptContactFactory(person=person, kind=kind, household=None, contact_name="致富能手", **fields)


def table_of(on=JUNE_30):
    return {row["id"]: row for row in kept_contacts_table(Person.objects.all(), on)}


def test_a_village_cadre_needs_one_entrepreneur_and_five_households(world):
    cadre = PositionFactory(division=division(w.VILLAGE), kind=PositionKind.COMMITTEE_MEMBER).person
    keep(cadre, number=4)
    keep(cadre, ContactKind.ENTREPRENEUR)

    short = table_of()[cadre.pk]
    keep(cadre)
    met = table_of()[cadre.pk]

    assert (short["role"], short["households"], short["entrepreneurs"], short["target_met"]) == (
        KeptRole.VILLAGE_CADRE,
        4,
        1,
        False,
    )
    assert (met["households"], met["required_households"], met["target_met"]) == (5, 5, True)


def test_a_village_cadre_with_five_households_and_no_entrepreneur_misses(world):
    cadre = PositionFactory(division=division(w.VILLAGE), kind=PositionKind.PARTY_SECRETARY).person
    keep(cadre, number=5)

    assert table_of()[cadre.pk]["target_met"] is False


def test_a_party_member_needs_three_households_and_contacts_ended_do_not_count(world):
    member = PartyMembershipFactory(branch=division(w.VILLAGE)).person
    keep(member, number=2)
    keep(member, since=D(2025, 1, 1), until=D(2026, 6, 29))  # ended the day before

    short = table_of()[member.pk]
    keep(member)

    assert (short["role"], short["households"], short["target_met"]) == (KeptRole.PARTY_MEMBER, 2, False)
    assert (table_of()[member.pk]["households"], table_of()[member.pk]["target_met"]) == (3, True)


def test_a_villager_representative_who_is_no_party_member_has_no_row(world):
    representative = PositionFactory(division=division(w.VILLAGE)).person

    assert representative.pk not in table_of()
    assert KeptContact.objects.count() == 0
