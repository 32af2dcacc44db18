"""The sanctions engine (covenants.services.sanctions) at the boundaries of its rules: bars from the day of
confirmation (R10, R12), the repeat window (R11), upheld appeals, the compliance award of the
calendar year (R13), restrictions until rectification, and the cost of asking for many people.

Every date is fixed: nothing here depends on today."""

import datetime
import signal

import pytest

from covenants import texts
from covenants.choices import EligibilityAction, SanctionKind, Severity, Tier
from covenants.services import sanctions
from covenants.testing.factories import (
    ClauseFactory,
    CovenantFactory,
    CovenantVersionFactory,
    ViolationFactory,
    published_covenant,
)
from governance.testing import world as w
from villages.testing.factories import PersonFactory, division

pytestmark = pytest.mark.django_db
D = datetime.date
ELECTION = EligibilityAction.ELECTION
BIDDING = EligibilityAction.ASSET_BIDDING
AWARD = EligibilityAction.COMPLIANCE_AWARD
NOMINATION = EligibilityAction.NOMINATION
DIVIDENDS = EligibilityAction.DIVIDENDS
HOMESTEAD = EligibilityAction.HOMESTEAD_ALLOCATION


@pytest.fixture
def version(world):
    """The village's general covenant in force: 1 bars, 2 withholds the award only, 3 restricts
    vehicle access, 4 owes compensation (covenants.testing.factories.published_covenant)."""
    return published_covenant(w.VILLAGE)


@pytest.fixture
def barring(version):
    return version.clauses.get(number=1)


@pytest.fixture
def person(world):
    return PersonFactory(division=division(w.VILLAGE))


def violate(clause, person, *, occurred, confirmed, severity=Severity.MINOR, **fields):
    return ViolationFactory(
        clause=clause, person=person, occurred_on=occurred, confirmed_on=confirmed, severity=severity, **fields
    )


def free(person, action, day) -> bool:
    return sanctions.eligibility(person.pk, action, day).eligible


def kinds(person) -> set[str]:
    return {s.kind for s in sanctions.sanctions_of([person.pk]).get(person.pk, [])}


# --- two tiers: a serious single violation (R10) ---------------------------------------------


def barred_by_repeat(clause, person, *, confirmed, severity=Severity.MINOR):
    """Two violations of the clause's covenant, the second (occurred the day before `confirmed`)
    confirmed on `confirmed`: a repeat that bars from that day."""
    first = confirmed - datetime.timedelta(days=40)
    violate(clause, person, occurred=first, confirmed=first)
    return violate(
        clause, person, occurred=confirmed - datetime.timedelta(days=1), confirmed=confirmed, severity=severity
    )


def test_a_serious_single_violation_of_a_barring_clause_bars_nothing(barring, person):
    violate(barring, person, occurred=D(2025, 3, 1), confirmed=D(2025, 3, 15), severity=Severity.SERIOUS)

    for action in (ELECTION, BIDDING, NOMINATION):
        assert free(person, action, D(2025, 3, 15))
        assert free(person, action, D(2026, 6, 1))
    assert not kinds(person) & {SanctionKind.ELECTION_BAR, SanctionKind.ASSET_BIDDING_BAR, SanctionKind.NOMINATION_BAR}


def test_a_serious_single_violation_brings_its_clauses_restrictions_and_a_referral_until_rectified(version, person):
    clause = ClauseFactory(
        version=version, number=9, restricts_vehicle_access=True, restricts_services=True, compensation_fen=20_000
    )
    violation = violate(clause, person, occurred=D(2025, 3, 1), confirmed=D(2025, 3, 15), severity=Severity.SERIOUS)

    by_kind = {s.kind: s for s in sanctions.sanctions_of([person.pk])[person.pk]}

    assert set(by_kind) == {
        SanctionKind.VEHICLE_ACCESS_RESTRICTION,
        SanctionKind.SERVICE_RESTRICTION,
        SanctionKind.COMPENSATION,
        SanctionKind.REFERRAL,
        SanctionKind.AWARD_WITHHELD,
    }
    referral = by_kind[SanctionKind.REFERRAL]
    assert (referral.starts_on, referral.ends_on, referral.tier) == (D(2025, 3, 15), None, Tier.SERIOUS)
    assert not referral.in_force_on(D(2025, 3, 14)) and referral.in_force_on(D(2025, 3, 15))
    violation.rectified_on = D(2025, 5, 1)
    violation.save()
    (referral,) = [s for s in sanctions.sanctions_of([person.pk])[person.pk] if s.kind == SanctionKind.REFERRAL]
    assert referral.in_force_on(D(2025, 4, 30)) and not referral.in_force_on(D(2025, 5, 1))


def test_a_minor_violation_is_not_referred(version, person):
    violate(version.clauses.get(number=3), person, occurred=D(2025, 3, 1), confirmed=D(2025, 3, 15))

    assert kinds(person) == {SanctionKind.VEHICLE_ACCESS_RESTRICTION, SanctionKind.AWARD_WITHHELD}


def test_the_referral_names_the_department_once_the_village_has_referred_it(barring, person):
    violate(
        barring,
        person,
        occurred=D(2025, 3, 1),
        confirmed=D(2025, 3, 15),
        severity=Severity.SERIOUS,
        referred_to="狮山镇综合行政执法办",
        referred_on=D(2025, 3, 18),
    )

    (referral,) = [s for s in sanctions.sanctions_of([person.pk])[person.pk] if s.kind == SanctionKind.REFERRAL]
    assert referral.referred_to == "狮山镇综合行政执法办"
    assert "已移送狮山镇综合行政执法办" in texts.describe_bar(referral)


def test_a_recorded_violation_that_is_not_confirmed_bars_nothing(barring, person):
    violate(barring, person, occurred=D(2025, 3, 1), confirmed=None, severity=Severity.SERIOUS)

    assert free(person, ELECTION, D(2025, 6, 1))
    assert kinds(person) == set()


def test_a_first_minor_violation_of_a_barring_clause_bars_neither_election_nor_bidding(barring, person):
    violate(barring, person, occurred=D(2025, 3, 1), confirmed=D(2025, 3, 15))

    assert free(person, ELECTION, D(2025, 6, 1))
    assert free(person, BIDDING, D(2025, 6, 1))
    assert kinds(person) == {SanctionKind.AWARD_WITHHELD}


# --- the bars of a repeat, from the day it is confirmed (R10, R12) --------------------------------


@pytest.mark.parametrize(
    ("action", "last_barred", "free_again"),
    [
        (ELECTION, D(2030, 3, 14), D(2030, 3, 15)),
        (NOMINATION, D(2030, 3, 14), D(2030, 3, 15)),
        (BIDDING, D(2028, 3, 14), D(2028, 3, 15)),
    ],
    ids=["election 5 years", "nomination 5 years", "asset bidding 3 years"],
)
def test_a_repeat_bars_until_the_day_before_the_same_date_n_years_after_confirmation(
    barring, person, action, last_barred, free_again
):
    barred_by_repeat(barring, person, confirmed=D(2025, 3, 15))

    on_the_last_day = sanctions.eligibility(person.pk, action, last_barred)

    assert not on_the_last_day.eligible
    assert on_the_last_day.eligible_from == free_again
    assert free(person, action, free_again)


@pytest.mark.parametrize(
    ("action", "free_again"),
    [(ELECTION, D(2029, 3, 1)), (NOMINATION, D(2029, 3, 1)), (BIDDING, D(2027, 3, 1))],
    ids=["election", "nomination", "bidding"],
)
def test_a_bar_confirmed_on_29_february_ends_so_that_the_person_is_eligible_again_on_1_march(
    barring, person, action, free_again
):
    barred_by_repeat(barring, person, confirmed=D(2024, 2, 29))

    answer = sanctions.eligibility(person.pk, action, D(2024, 2, 29))

    assert not answer.eligible and answer.eligible_from == free_again
    assert not free(person, action, free_again - datetime.timedelta(days=1))  # 28 February
    assert free(person, action, free_again)


def test_a_repeat_bars_nothing_before_the_day_it_is_confirmed(barring, person):
    barred_by_repeat(barring, person, confirmed=D(2025, 3, 15))

    assert free(person, ELECTION, D(2025, 3, 14))
    assert free(person, BIDDING, D(2025, 3, 14))
    assert free(person, NOMINATION, D(2025, 3, 14))
    assert not free(person, ELECTION, D(2025, 3, 15))


def test_a_repeat_of_a_barring_clause_bars_election_nomination_and_bidding_as_a_repeat(barring, person):
    barred_by_repeat(barring, person, confirmed=D(2025, 3, 15), severity=Severity.SERIOUS)

    assert {SanctionKind.ELECTION_BAR, SanctionKind.ASSET_BIDDING_BAR, SanctionKind.NOMINATION_BAR} <= kinds(person)
    (reason,) = sanctions.eligibility(person.pk, NOMINATION, D(2025, 6, 1)).reasons
    assert (reason.tier, reason.repeat_ordinal, reason.repeat_window_months) == (Tier.REPEAT, 2, 12)
    assert (reason.serious, reason.repeat, reason.clause_number) == (True, True, 1)


def test_a_clause_that_bars_only_bidding_leaves_election_and_nomination_open(version, person):
    clause = ClauseFactory(version=version, number=9, bars_asset_bidding=True, bars_election=False)
    barred_by_repeat(clause, person, confirmed=D(2025, 3, 15))

    assert not free(person, BIDDING, D(2025, 6, 1))
    assert free(person, ELECTION, D(2025, 6, 1))
    assert free(person, NOMINATION, D(2025, 6, 1))


def test_a_repeat_of_a_clause_without_bars_bars_nothing(version, person):
    clause = version.clauses.get(number=2)  # withholds the award, bars nothing
    barred_by_repeat(clause, person, confirmed=D(2025, 3, 15), severity=Severity.SERIOUS)

    assert free(person, ELECTION, D(2025, 6, 1))
    assert free(person, BIDDING, D(2025, 6, 1))
    assert kinds(person) == {SanctionKind.AWARD_WITHHELD, SanctionKind.REFERRAL}


# --- repeat violations (R11) --------------------------------------------------------------------


def test_a_second_violation_the_day_before_twelve_months_after_the_first_is_a_repeat_and_bars(barring, person):
    violate(barring, person, occurred=D(2024, 5, 10), confirmed=D(2024, 5, 20))
    violate(barring, person, occurred=D(2025, 5, 9), confirmed=D(2025, 5, 20))

    answer = sanctions.eligibility(person.pk, ELECTION, D(2025, 5, 20))

    assert not answer.eligible and answer.eligible_from == D(2030, 5, 20)
    assert [(r.repeat, r.serious) for r in answer.reasons] == [(True, False)]
    assert not free(person, BIDDING, D(2025, 5, 20))
    assert free(person, ELECTION, D(2025, 5, 19))  # the repeat bars from its own confirmation


def test_a_repeat_bars_only_from_the_day_the_earlier_violation_it_repeats_is_confirmed_too(barring, person):
    # The earlier violation is confirmed after the later one: until then nobody knew it repeated.
    violate(barring, person, occurred=D(2025, 1, 10), confirmed=D(2025, 6, 1))
    violate(barring, person, occurred=D(2025, 3, 1), confirmed=D(2025, 3, 15))

    assert free(person, ELECTION, D(2025, 5, 31))
    answer = sanctions.eligibility(person.pk, ELECTION, D(2025, 6, 1))
    assert not answer.eligible and answer.eligible_from == D(2030, 6, 1)


def test_a_second_violation_on_the_same_date_twelve_months_later_is_not_a_repeat(barring, person):
    violate(barring, person, occurred=D(2024, 5, 10), confirmed=D(2024, 5, 20))
    violate(barring, person, occurred=D(2025, 5, 10), confirmed=D(2025, 5, 20))

    assert free(person, ELECTION, D(2025, 6, 1))
    assert free(person, BIDDING, D(2025, 6, 1))


def test_a_violation_of_another_covenant_of_the_village_does_not_make_a_repeat(version, barring, person):
    special = CovenantFactory(division=version.covenant.division, kind="parking", title="停车管理专项公约")
    other_clause = ClauseFactory(version=CovenantVersionFactory(covenant=special, number=1), number=1)
    violate(other_clause, person, occurred=D(2024, 5, 10), confirmed=D(2024, 5, 20))
    violate(barring, person, occurred=D(2024, 8, 1), confirmed=D(2024, 8, 10))

    assert free(person, ELECTION, D(2024, 9, 1))


def test_a_violation_of_another_clause_of_the_same_covenant_makes_a_repeat(version, barring, person):
    violate(version.clauses.get(number=2), person, occurred=D(2024, 5, 10), confirmed=D(2024, 5, 20))
    violate(barring, person, occurred=D(2024, 8, 1), confirmed=D(2024, 8, 10))

    assert not free(person, ELECTION, D(2024, 9, 1))


def test_another_persons_earlier_violation_does_not_make_a_repeat(barring, person):
    violate(barring, PersonFactory(division=division(w.VILLAGE)), occurred=D(2024, 5, 10), confirmed=D(2024, 5, 20))
    violate(barring, person, occurred=D(2024, 8, 1), confirmed=D(2024, 8, 10))

    assert free(person, ELECTION, D(2024, 9, 1))


def test_a_covenant_with_a_24_month_window_counts_a_violation_18_months_later_as_a_repeat(world, person):
    clause = published_covenant(w.VILLAGE, repeat_window_months=24).clauses.get(number=1)
    violate(clause, person, occurred=D(2024, 5, 10), confirmed=D(2024, 5, 20))
    violate(clause, person, occurred=D(2025, 11, 10), confirmed=D(2025, 11, 20))

    assert not free(person, ELECTION, D(2025, 12, 1))


def test_a_24_month_window_ends_on_the_same_date_two_years_later(world, person):
    clause = published_covenant(w.VILLAGE, repeat_window_months=24).clauses.get(number=1)
    violate(clause, person, occurred=D(2024, 5, 10), confirmed=D(2024, 5, 20))
    violate(clause, person, occurred=D(2026, 5, 10), confirmed=D(2026, 5, 20))

    assert free(person, ELECTION, D(2026, 6, 1))


def test_an_earlier_violation_that_was_never_confirmed_does_not_make_a_repeat(barring, person):
    violate(barring, person, occurred=D(2024, 5, 10), confirmed=None)
    violate(barring, person, occurred=D(2024, 8, 1), confirmed=D(2024, 8, 10))

    assert free(person, ELECTION, D(2024, 9, 1))


def test_an_earlier_violation_lifted_by_an_upheld_appeal_does_not_make_a_repeat(barring, person):
    violate(
        barring,
        person,
        occurred=D(2024, 5, 10),
        confirmed=D(2024, 5, 20),
        appeal_filed_on=D(2024, 5, 25),
        appeal_upheld=True,
        appeal_decided_on=D(2024, 6, 10),
    )
    violate(barring, person, occurred=D(2024, 8, 1), confirmed=D(2024, 8, 10))

    assert free(person, ELECTION, D(2024, 9, 1))


# --- appeals --------------------------------------------------------------------------------------


def test_an_upheld_appeal_lifts_every_sanction_of_its_violation(version, person):
    for clause in version.clauses.all():
        violate(
            clause,
            person,
            occurred=D(2025, 3, 1),
            confirmed=D(2025, 3, 15),
            severity=Severity.SERIOUS,
            appeal_filed_on=D(2025, 3, 20),
            appeal_upheld=True,
            appeal_decided_on=D(2025, 4, 1),
        )

    assert kinds(person) == set()
    assert all(free(person, action, D(2025, 6, 1)) for action in (ELECTION, BIDDING, AWARD))


def test_a_rejected_appeal_lifts_nothing(version, person):
    violate(version.clauses.get(number=2), person, occurred=D(2025, 1, 10), confirmed=D(2025, 1, 20))
    for clause in version.clauses.all():  # each a repeat of the first, clause 1 bars
        violate(
            clause,
            person,
            occurred=D(2025, 3, 1),
            confirmed=D(2025, 3, 15),
            severity=Severity.SERIOUS,
            appeal_filed_on=D(2025, 3, 20),
            appeal_upheld=False,
            appeal_decided_on=D(2025, 4, 1),
        )

    assert kinds(person) == set(SanctionKind) - {
        SanctionKind.SERVICE_RESTRICTION,
        SanctionKind.DIVIDENDS_WITHHELD,
        SanctionKind.HOMESTEAD_SUSPENDED,
    }
    assert not any(free(person, action, D(2025, 6, 1)) for action in (ELECTION, NOMINATION, BIDDING, AWARD))


def test_an_appeal_still_pending_lifts_nothing(barring, person):
    barred_by_repeat(barring, person, confirmed=D(2025, 3, 15))
    person.violations.filter(confirmed_on=D(2025, 3, 15)).update(appeal_filed_on=D(2025, 3, 20))

    assert not free(person, ELECTION, D(2025, 6, 1))


# --- the compliance award (R13), restrictions and compensation ----------------------------------


def test_the_award_is_withheld_for_the_calendar_year_in_which_the_violation_occurred(version, person):
    violate(version.clauses.get(number=2), person, occurred=D(2025, 11, 20), confirmed=D(2026, 1, 15))

    answer = sanctions.eligibility(person.pk, AWARD, D(2025, 12, 31))

    assert not answer.eligible and answer.eligible_from == D(2026, 1, 1)
    assert not free(person, AWARD, D(2025, 1, 1))  # the period is paid as a whole
    assert free(person, AWARD, D(2026, 1, 1))
    assert free(person, AWARD, D(2024, 12, 31))


def test_a_clause_that_does_not_withhold_the_award_leaves_it(version, person):
    clause = ClauseFactory(version=version, number=9, withholds_award=False)
    violate(clause, person, occurred=D(2025, 3, 1), confirmed=D(2025, 3, 15))

    assert free(person, AWARD, D(2025, 6, 1))


def test_a_vehicle_access_restriction_runs_from_confirmation_until_rectification(version, person):
    violation = violate(version.clauses.get(number=3), person, occurred=D(2025, 3, 1), confirmed=D(2025, 3, 15))

    (restriction,) = [
        s for s in sanctions.sanctions_of([person.pk])[person.pk] if s.kind == SanctionKind.VEHICLE_ACCESS_RESTRICTION
    ]
    assert (restriction.starts_on, restriction.ends_on) == (D(2025, 3, 15), None)
    assert restriction.in_force_on(D(2030, 1, 1))

    violation.rectified_on = D(2025, 4, 2)
    violation.save()
    (restriction,) = [
        s for s in sanctions.sanctions_of([person.pk])[person.pk] if s.kind == SanctionKind.VEHICLE_ACCESS_RESTRICTION
    ]
    assert restriction.in_force_on(D(2025, 4, 1))
    assert not restriction.in_force_on(D(2025, 4, 2))


def test_a_service_restriction_ends_with_rectification(version, person):
    clause = ClauseFactory(version=version, number=9, restricts_services=True)
    violate(clause, person, occurred=D(2025, 3, 1), confirmed=D(2025, 3, 15), rectified_on=D(2025, 5, 1))

    (restriction,) = [
        s for s in sanctions.sanctions_of([person.pk])[person.pk] if s.kind == SanctionKind.SERVICE_RESTRICTION
    ]
    assert [restriction.in_force_on(day) for day in (D(2025, 3, 14), D(2025, 3, 15), D(2025, 5, 1))] == [
        False,
        True,
        False,
    ]


def test_compensation_carries_the_clauses_amount_until_rectified(version, person):
    violate(version.clauses.get(number=4), person, occurred=D(2025, 3, 1), confirmed=D(2025, 3, 15))

    (owed,) = [s for s in sanctions.sanctions_of([person.pk])[person.pk] if s.kind == SanctionKind.COMPENSATION]
    assert owed.amount_fen == 50_000
    assert owed.in_force_on(D(2026, 1, 1))

    violation = person.violations.get()
    violation.rectified_on = D(2025, 6, 1)
    violation.save()
    (owed,) = [s for s in sanctions.sanctions_of([person.pk])[person.pk] if s.kind == SanctionKind.COMPENSATION]
    assert owed.ends_on == D(2025, 6, 1) and not owed.in_force_on(D(2025, 6, 1))


def test_rectification_does_not_end_a_bar(barring, person):
    barred_by_repeat(barring, person, confirmed=D(2025, 3, 15))
    person.violations.update(rectified_on=D(2025, 4, 1))

    assert not free(person, ELECTION, D(2026, 1, 1))


# --- eligible_from and the cost of asking ---------------------------------------------------------


def test_eligible_from_walks_through_consecutive_bars_to_the_end_of_the_later(barring, person):
    barred_by_repeat(barring, person, confirmed=D(2024, 1, 10))  # barred until 2029-01-09
    barred_by_repeat(barring, person, confirmed=D(2026, 1, 10))  # barred until 2031-01-09

    answer = sanctions.eligibility(person.pk, ELECTION, D(2025, 1, 1))

    assert not answer.eligible and answer.eligible_from == D(2031, 1, 10)
    assert len(answer.reasons) == 1  # only the first bar is in force on the day asked
    assert not free(person, ELECTION, D(2029, 1, 10))  # the first has ended, the second holds
    assert free(person, ELECTION, D(2031, 1, 10))


def test_eligible_from_is_none_for_a_person_without_violations(person):
    answer = sanctions.eligibility(person.pk, ELECTION, D(2025, 1, 1))

    assert (answer.eligible, answer.eligible_from, answer.reasons) == (True, None, [])


@pytest.mark.parametrize("people", [1, 30])
def test_the_sanctions_of_many_people_cost_the_same_single_query(barring, people, django_assert_num_queries, world):
    ids = []
    for _ in range(people):
        person = PersonFactory(division=division(w.VILLAGE))
        violate(barring, person, occurred=D(2025, 3, 1), confirmed=D(2025, 3, 15), severity=Severity.SERIOUS)
        ids.append(person.pk)

    with django_assert_num_queries(1):
        found = sanctions.sanctions_of(ids)

    assert set(found) == set(ids)
    assert all(len(found[pk]) == 2 for pk in ids)  # the withheld award and the referral: no bar


def test_eligibility_costs_one_query(barring, person, django_assert_num_queries):
    violate(barring, person, occurred=D(2025, 3, 1), confirmed=D(2025, 3, 15), severity=Severity.SERIOUS)

    with django_assert_num_queries(1):
        sanctions.eligibility(person.pk, ELECTION, D(2025, 6, 1))


# --- dividends and homestead allocation (R14) -------------------------------------------------


def test_dividends_are_withheld_for_the_calendar_year_in_which_a_violation_of_such_a_clause_occurred(version, person):
    clause = ClauseFactory(version=version, number=9, withholds_dividends=True, bars_asset_bidding=False)
    violate(clause, person, occurred=D(2025, 11, 20), confirmed=D(2026, 1, 15))

    answer = sanctions.eligibility(person.pk, DIVIDENDS, D(2025, 12, 31))

    assert not answer.eligible and answer.eligible_from == D(2026, 1, 1)
    assert [r.kind for r in answer.reasons] == [SanctionKind.DIVIDENDS_WITHHELD]
    assert not free(person, DIVIDENDS, D(2025, 1, 1))  # the year is paid as a whole
    assert free(person, DIVIDENDS, D(2024, 12, 31))
    assert free(person, DIVIDENDS, D(2026, 1, 1))


def test_a_clause_that_does_not_withhold_dividends_leaves_them(barring, person):
    barred_by_repeat(barring, person, confirmed=D(2025, 3, 15), severity=Severity.SERIOUS)

    assert free(person, DIVIDENDS, D(2025, 6, 1))
    assert free(person, HOMESTEAD, D(2025, 6, 1))


def test_homestead_allocation_is_suspended_from_confirmation_until_the_day_the_violation_is_rectified(version, person):
    clause = ClauseFactory(version=version, number=9, suspends_homestead_allocation=True, bars_asset_bidding=False)
    violation = violate(clause, person, occurred=D(2025, 3, 1), confirmed=D(2025, 3, 15))

    assert free(person, HOMESTEAD, D(2025, 3, 14))
    barred = sanctions.eligibility(person.pk, HOMESTEAD, D(2025, 3, 15))
    assert not barred.eligible and barred.eligible_from is None  # until rectified: no day is known
    assert not free(person, HOMESTEAD, D(2030, 1, 1))

    violation.rectified_on = D(2025, 6, 1)
    violation.save()
    answer = sanctions.eligibility(person.pk, HOMESTEAD, D(2025, 5, 31))
    assert not answer.eligible and answer.eligible_from == D(2025, 6, 1)
    assert free(person, HOMESTEAD, D(2025, 6, 1))


def test_a_homestead_suspension_after_a_dated_bar_leaves_the_free_day_unknown(version, person):
    clause = ClauseFactory(version=version, number=9, suspends_homestead_allocation=True, bars_asset_bidding=False)
    violate(clause, person, occurred=D(2025, 3, 1), confirmed=D(2025, 3, 15), rectified_on=D(2025, 4, 1))
    violate(clause, person, occurred=D(2025, 3, 20), confirmed=D(2025, 3, 25))

    assert sanctions.eligibility(person.pk, HOMESTEAD, D(2025, 3, 20)).eligible_from is None


# --- the walk to the first free day never loops ---------------------------------------------------


def test_the_walk_to_the_first_free_day_raises_instead_of_looping_when_in_force_on_is_off_by_one(
    barring, person, monkeypatch
):
    """Were `in_force_on` to hold a bar on its end day too, the walk would stand still on that day;
    it raises EndlessWalk. An alarm fails the test (rather than hanging it) should the guard go."""
    barred_by_repeat(barring, person, confirmed=D(2025, 3, 15))
    monkeypatch.setattr(
        sanctions.Sanction,
        "in_force_on",
        lambda self, day: self.starts_on <= day and (self.ends_on is None or day <= self.ends_on),
    )

    def hung(signum, frame):
        raise AssertionError("the eligibility walk did not end")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(10)
    try:
        with pytest.raises(sanctions.EndlessWalk):
            sanctions.eligibility(person.pk, ELECTION, D(2025, 6, 1))
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_the_walk_raises_when_a_bar_claims_every_day_however_far_it_goes():
    class Stuck(sanctions.Sanction):
        """A bar that claims every day, however far the walk goes."""

        def in_force_on(self, day):
            return True

    stuck = Stuck(
        kind=SanctionKind.ELECTION_BAR,
        person_id=1,
        violation_id=1,
        covenant_id=1,
        covenant_title="公约",
        clause_id=1,
        clause_number=1,
        starts_on=D(2025, 1, 1),
        ends_on=D(2026, 1, 1),
    )

    with pytest.raises(sanctions.EndlessWalk):
        sanctions.eligibility_from([stuck], ELECTION, D(2025, 6, 1))


# --- which tier, in words ---------------------------------------------------------------------------


def test_a_repeats_reason_says_it_is_a_repeat_within_the_window_and_until_when(barring, person):
    barred_by_repeat(barring, person, confirmed=D(2026, 3, 1))

    (reason,) = sanctions.eligibility(person.pk, BIDDING, D(2026, 6, 1)).reasons
    text = texts.describe_bar(reason)

    title = barring.version.covenant.title
    assert text.startswith(f"屡教不改（12个月内第2次违反《{title}》）：3年内不得参与集体资产竞投（第1条")
    assert text.endswith("至2029-02-28止，2029-03-01起恢复")


def test_a_serious_violations_summary_names_its_restrictions_the_referral_and_that_it_bars_nothing(version, person):
    parking = ClauseFactory(
        version=version, number=9, bars_asset_bidding=False, withholds_award=False, restricts_vehicle_access=True
    )
    violate(parking, person, occurred=D(2025, 3, 1), confirmed=D(2025, 3, 15), severity="serious")

    summary = texts.describe_tier(sanctions.sanctions_of([person.pk])[person.pk])

    assert summary == "情节较为严重：限制车辆出入、移送相关部门处理；单次违约不取消资格"


def test_a_repeats_summary_names_its_bars(barring, person):
    second = barred_by_repeat(barring, person, confirmed=D(2025, 3, 15))

    summary = texts.describe_tier(
        s for s in sanctions.sanctions_of([person.pk])[person.pk] if s.violation_id == second.pk
    )

    assert summary.startswith("屡教不改（12个月内第2次违反《")
    assert "3年内不得参与集体资产竞投" in summary and "5年内不得被推荐为“两代表一委员”" in summary
    assert "单次违约" not in summary


def test_a_third_violation_in_the_window_is_named_the_third(barring, person):
    violate(barring, person, occurred=D(2025, 1, 5), confirmed=D(2025, 1, 6))
    violate(barring, person, occurred=D(2025, 2, 5), confirmed=D(2025, 2, 6))
    violate(barring, person, occurred=D(2025, 3, 5), confirmed=D(2025, 3, 6))

    ordinals = sorted(
        s.repeat_ordinal for s in sanctions.sanctions_of([person.pk])[person.pk] if s.kind == SanctionKind.ELECTION_BAR
    )
    assert ordinals == [2, 3]
