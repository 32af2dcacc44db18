"""The compliance award (公约遵守奖): the allocation in fen (covenants.services.awards), who shares the fund
and who is withheld, and the run's services (preview, recompute, approve with four eyes, discard).

Dates are fixed in the past (award periods 2024 and 2025), so the tests pass on any day."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from covenants import services
from covenants.choices import AwardRule, AwardRunStatus
from covenants.models import AwardPayout, AwardRun
from covenants.services import CovenantsAction
from covenants.services.awards import (
    WITHHELD_REASON_MAX_LENGTH,
    allocate,
    award_lines,
    compute_award,
    members_of,
)
from covenants.testing.factories import ViolationFactory, published_covenant
from governance.audit import history_of
from governance.periods import Period
from governance.testing import world as w
from governance.testing.factories import UserFactory, assign
from villages.testing.factories import MembershipFactory, PersonFactory, division

D = datetime.date
Y2025 = Period.parse("2025")

# --- 1. The allocation, pure ---------------------------------------------------------------------


def test_ten_thousand_yuan_among_three_members_gives_the_extra_fen_to_the_lowest_id():
    payouts = allocate(1_000_000, {12: Decimal(1), 5: Decimal(1), 9: Decimal(1)}, AwardRule.EQUAL)

    assert payouts == {5: 333_334, 9: 333_333, 12: 333_333}


def test_ten_thousand_yuan_among_seven_members_by_shares_one_to_seven_gives_the_remainder_by_largest_remainder():
    payouts = allocate(1_000_000, {i: Decimal(i) for i in range(1, 8)}, AwardRule.BY_SHARES)

    # 1,000,000 × i / 28: floors 35714 71428 107142 142857 178571 214285 250000 (sum 999,997);
    # the 3 fen left go to the largest remainders: i=3 (.86), i=6 (.71), i=2 (.57).
    assert payouts == {1: 35_714, 2: 71_429, 3: 107_143, 4: 142_857, 5: 178_571, 6: 214_286, 7: 250_000}
    assert sum(payouts.values()) == 1_000_000


AWKWARD_FUNDS_YUAN = ("0.01", "0.07", "1.00", "99.99", "100.01", "12345.67", "10000.00", "99999.97")


@pytest.mark.parametrize("fund_yuan", AWKWARD_FUNDS_YUAN)
@pytest.mark.parametrize("rule", AwardRule.values)
def test_the_payouts_add_up_exactly_to_the_fund_for_awkward_amounts_and_1_to_13_members(fund_yuan, rule):
    fund_fen = int(Decimal(fund_yuan) * 100)
    for count in range(1, 14):
        shares = {
            person_id: Decimal(person_id % 4) + Decimal("0.25") * (person_id % 3) for person_id in range(1, count + 1)
        }
        if rule == AwardRule.BY_SHARES and not any(shares.values()):
            continue

        payouts = allocate(fund_fen, shares, rule)

        assert sum(payouts.values()) == fund_fen, (fund_yuan, rule, count)
        assert all(amount >= 0 for amount in payouts.values())
        assert payouts == allocate(fund_fen, dict(reversed(list(shares.items()))), rule), "order of input matters"


def test_under_the_equal_rule_no_two_members_differ_by_more_than_one_fen():
    payouts = allocate(1_234_567, dict.fromkeys(range(1, 14), Decimal(1)), AwardRule.EQUAL)

    assert max(payouts.values()) - min(payouts.values()) == 1


def test_a_member_with_no_shares_gets_nothing_by_shares():
    payouts = allocate(100, {1: Decimal("0.00"), 2: Decimal("1.50"), 3: Decimal("1.50")}, AwardRule.BY_SHARES)

    assert payouts == {1: 0, 2: 50, 3: 50}


def test_sharing_by_shares_when_no_eligible_member_has_any_is_a_field_error():
    with pytest.raises(ValidationError) as error:
        allocate(100, {1: Decimal(0), 2: Decimal(0)}, AwardRule.BY_SHARES)

    assert "rule" in error.value.message_dict


def test_shares_with_two_decimals_are_weighed_exactly_in_integers():
    payouts = allocate(300, {1: Decimal("0.01"), 2: Decimal("0.02")}, AwardRule.BY_SHARES)

    assert payouts == {1: 100, 2: 200}


# --- 1b. Entitlements before exclusion: a payout never depends on another member's conduct ------

CONFIGURATIONS = [
    (fund_fen, rule, count)
    for fund_fen in (1, 7, 10_000, 1_000_001, 1_234_567)
    for rule in AwardRule.values
    for count in (1, 2, 3, 7, 13)
]


def shares_of(count):
    return {person_id: Decimal(person_id % 4) + Decimal("0.25") * (person_id % 3) for person_id in range(1, count + 1)}


@pytest.mark.parametrize(("fund_fen", "rule", "count"), CONFIGURATIONS)
def test_a_keepers_payout_is_the_same_whoever_else_violates_and_paid_plus_kept_is_the_fund(fund_fen, rule, count):
    members = shares_of(count)
    if rule == AwardRule.BY_SHARES and not any(members.values()):
        pytest.skip("nothing to share by")
    nobody = {line.person_id: line.amount_fen for line in award_lines(members, {}, fund_fen, rule)}
    assert sum(nobody.values()) == fund_fen
    # Every subset of violators of the small memberships, and a spread of them for the larger.
    subsets = (
        [{p for p in members if mask >> (p - 1) & 1} for mask in range(2**count)]
        if count <= 7
        else [set(range(1, count + 1, step)) for step in (1, 2, 3, 5)] + [{count}, set()]
    )
    for violators in subsets:
        lines = award_lines(members, dict.fromkeys(violators, "违约"), fund_fen, rule)
        paid = sum(line.amount_fen for line in lines)
        kept = sum(line.entitlement_fen for line in lines if not line.eligible)

        assert paid + kept == fund_fen, (fund_fen, rule, count, violators)
        for line in lines:
            if line.person_id in violators:
                assert (line.eligible, line.amount_fen) == (False, 0)
            else:
                assert line.amount_fen == line.entitlement_fen == nobody[line.person_id]


def test_when_every_member_is_withheld_the_whole_fund_stays_in_it():
    lines = award_lines({1: Decimal(1), 2: Decimal(1)}, {1: "违约", 2: "违约"}, 101, AwardRule.EQUAL)

    assert [line.amount_fen for line in lines] == [0, 0]
    assert sum(line.entitlement_fen for line in lines) == 101


# --- 2. Who is a member, who is withheld --------------------------------------------------------


@pytest.fixture
def cooperative(world):
    return division(w.COOPERATIVE)


def member(code=w.COOPERATIVE, shares=1, **fields):
    return MembershipFactory(cooperative=division(code), shares=shares, **fields)


def test_a_villages_members_are_those_of_its_cooperatives_with_shares_summed_over_several(world):
    both = member(w.COOPERATIVE, shares=Decimal("1.50"))
    member(w.OTHER_COOPERATIVE_SAME_VILLAGE, shares=Decimal("0.50"), person=both.person)
    only_second = member(w.OTHER_COOPERATIVE_SAME_VILLAGE, shares=2)

    assert members_of(w.VILLAGE, Y2025) == {both.person_id: Decimal("2.00"), only_second.person_id: Decimal(2)}
    assert members_of(w.COOPERATIVE, Y2025) == {both.person_id: Decimal("1.50")}


def test_a_member_counts_on_the_periods_last_day_joined_by_then_and_not_left_before(world):
    kept = member(joined_on=D(2025, 12, 31), left_on=D(2025, 12, 31))
    member(joined_on=D(2026, 1, 1))  # joined after the period
    member(joined_on=D(2020, 1, 1), left_on=D(2025, 12, 30))  # left before its last day

    assert set(members_of(w.COOPERATIVE, Y2025)) == {kept.person_id}


def test_a_member_with_a_confirmed_violation_in_the_period_gets_nothing_and_their_part_stays_in_the_fund(world):
    clause = published_covenant(w.VILLAGE).clauses.get(number=2)
    members = [member() for _ in range(3)]
    violation = ViolationFactory(
        clause=clause, person=members[1].person, occurred_on=D(2025, 6, 1), confirmed_on=D(2025, 6, 5)
    )

    lines = {line.person_id: line for line in compute_award(w.COOPERATIVE, Y2025, 1_000_001, AwardRule.EQUAL)}

    withheld = lines[members[1].person_id]
    # 1,000,001 among 3: 333,333 each and the 2 fen left to the two lowest ids.
    assert (withheld.eligible, withheld.amount_fen, withheld.entitlement_fen) == (False, 0, 333_334)
    assert "第2条" in withheld.withheld_reason and str(violation.pk) in withheld.withheld_reason
    # The keepers get their third in full (全额发放), not a half of the fund.
    assert [lines[m.person_id].amount_fen for m in (members[0], members[2])] == [333_334, 333_333]
    assert sum(line.amount_fen for line in lines.values()) + withheld.entitlement_fen == 1_000_001


def test_the_withheld_reason_says_the_clause_the_day_and_that_the_part_stays_in_the_fund(world):
    clause = published_covenant(w.VILLAGE).clauses.get(number=2)
    person = member().person
    first = ViolationFactory(clause=clause, person=person, occurred_on=D(2025, 3, 9), confirmed_on=D(2025, 3, 10))
    second = ViolationFactory(clause=clause, person=person, occurred_on=D(2025, 8, 1), confirmed_on=D(2025, 8, 2))

    (line,) = compute_award(w.COOPERATIVE, Y2025, 100, AwardRule.EQUAL)

    reason = line.withheld_reason
    assert f"第2条（违约记录 {first.pk}，2025-03-09 发生）" in reason
    assert f"违约记录 {second.pk}，2025-08-01 发生" in reason
    assert reason.endswith("本期内违约，不发放；其应得部分留存奖励资金。")
    assert (line.entitlement_fen, line.amount_fen) == (100, 0)


def test_a_long_withheld_reason_is_cut_to_its_field_but_keeps_its_consequence(world):
    clause = published_covenant(w.VILLAGE).clauses.get(number=2)
    person = member().person
    for day in range(1, 20):
        ViolationFactory(clause=clause, person=person, occurred_on=D(2025, 4, day), confirmed_on=D(2025, 5, 1))

    (line,) = compute_award(w.COOPERATIVE, Y2025, 100, AwardRule.EQUAL)

    assert len(line.withheld_reason) <= WITHHELD_REASON_MAX_LENGTH
    assert line.withheld_reason.endswith("…。本期内违约，不发放；其应得部分留存奖励资金。")


@pytest.mark.parametrize(
    ("period", "occurred_on", "withheld"),
    [
        ("2025-Q2", D(2025, 3, 31), False),  # the day before the quarter
        ("2025-Q2", D(2025, 4, 1), True),  # its first day
        ("2025-Q2", D(2025, 6, 30), True),  # its last day
        ("2025-Q2", D(2025, 7, 1), False),  # the day after: the same calendar year, another quarter
        ("2025", D(2024, 12, 31), False),
        ("2025", D(2025, 1, 1), True),
        ("2025", D(2025, 12, 31), True),
        ("2025", D(2026, 1, 1), False),
    ],
)
def test_a_run_withholds_only_for_a_violation_occurring_within_its_own_period(world, period, occurred_on, withheld):
    clause = published_covenant(w.VILLAGE).clauses.get(number=2)
    violator, keeper = member(), member()
    ViolationFactory(clause=clause, person=violator.person, occurred_on=occurred_on, confirmed_on=D(2026, 1, 5))

    lines = compute_award(w.COOPERATIVE, Period.parse(period), 1_000, AwardRule.EQUAL)
    lines = {line.person_id: line for line in lines}

    assert lines[violator.person_id].eligible is not withheld
    assert lines[violator.person_id].amount_fen == (0 if withheld else 500)
    assert lines[keeper.person_id].amount_fen == 500  # whatever the other did


def test_a_violation_of_a_clause_that_does_not_withhold_the_award_withholds_nothing(world):
    version = published_covenant(w.VILLAGE)
    clause = version.clauses.get(number=2)
    clause.withholds_award = False
    clause.save(update_fields=["withholds_award"])
    person = member().person
    ViolationFactory(clause=clause, person=person, occurred_on=D(2025, 5, 1), confirmed_on=D(2025, 5, 2))

    assert [line.amount_fen for line in compute_award(w.COOPERATIVE, Y2025, 100, AwardRule.EQUAL)] == [100]


def test_a_violation_of_another_period_or_lifted_on_appeal_withholds_nothing(world):
    clause = published_covenant(w.VILLAGE).clauses.get(number=2)
    earlier, lifted = member(), member()
    ViolationFactory(clause=clause, person=earlier.person, occurred_on=D(2024, 12, 31), confirmed_on=D(2025, 1, 5))
    ViolationFactory(
        clause=clause,
        person=lifted.person,
        occurred_on=D(2025, 3, 1),
        confirmed_on=D(2025, 3, 2),
        appeal_filed_on=D(2025, 3, 3),
        appeal_upheld=True,
        appeal_decided_on=D(2025, 3, 9),
    )

    lines = compute_award(w.COOPERATIVE, Y2025, 100, AwardRule.EQUAL)

    assert [line.eligible for line in lines] == [True, True]


def test_an_unconfirmed_violation_withholds_nothing(world):
    clause = published_covenant(w.VILLAGE).clauses.get(number=2)
    recorded = member()
    ViolationFactory(clause=clause, person=recorded.person, occurred_on=D(2025, 3, 1), confirmed_on=None)

    assert [line.amount_fen for line in compute_award(w.COOPERATIVE, Y2025, 100, AwardRule.EQUAL)] == [100]


def test_the_computation_costs_the_same_two_queries_for_three_members_or_sixty(world, django_assert_num_queries):
    clause = published_covenant(w.VILLAGE).clauses.get(number=2)
    first = [member() for _ in range(3)]
    ViolationFactory(clause=clause, person=first[0].person, occurred_on=D(2025, 2, 1), confirmed_on=D(2025, 2, 2))
    with django_assert_num_queries(2):
        compute_award(w.COOPERATIVE, Y2025, 10_000, AwardRule.BY_SHARES)

    for _ in range(57):
        member()
    with django_assert_num_queries(2):
        lines = compute_award(w.COOPERATIVE, Y2025, 10_000, AwardRule.BY_SHARES)
    assert len(lines) == 60


# --- 3. The services ---------------------------------------------------------------------------


@pytest.fixture
def clerk(world):
    return world.user("village_clerk")


@pytest.fixture
def official(world):
    return world.user("town_official")


@pytest.fixture
def three_members(world):
    return [member() for _ in range(3)]


@pytest.fixture
def preview(clerk, three_members, cooperative):
    return services.preview_award_run(
        acting_user=clerk, division=cooperative, period="2025", fund_yuan="10000.00", rule=AwardRule.EQUAL
    )


def test_a_clerk_previews_a_run_with_its_payouts_in_fen(preview, three_members):
    assert (preview.status, preview.fund_fen, preview.period) == (AwardRunStatus.PREVIEW, 1_000_000, "2025")
    amounts = list(preview.payouts.order_by("person_id").values_list("amount_fen", flat=True))
    assert amounts == [333_334, 333_333, 333_333]


def test_the_preview_is_recorded_under_its_action_in_the_audit_trail(preview):
    assert (history_of(preview)[0].pgh_context or {}).get("action") == CovenantsAction.PREVIEW_AWARD_RUN


@pytest.mark.parametrize(
    "fund_yuan",
    ["", "abc", "0", "-5", "0.001", "10000.005", "1e3x", "NaN", "Infinity", "1000000000000"],
)
def test_a_bad_fund_is_a_field_error_in_chinese_and_writes_nothing(clerk, three_members, cooperative, fund_yuan):
    with pytest.raises(ValidationError) as error:
        services.preview_award_run(acting_user=clerk, division=cooperative, period="2025", fund_yuan=fund_yuan)

    assert list(error.value.message_dict) == ["fund_yuan"]
    assert any("\u4e00" <= char <= "\u9fff" for char in error.value.message_dict["fund_yuan"][0])
    assert not AwardRun.objects.exists()


def test_a_fund_with_a_thousands_separator_or_fewer_decimals_is_read_in_yuan(clerk, three_members, cooperative):
    run = services.preview_award_run(acting_user=clerk, division=cooperative, period="2025", fund_yuan="1,234.5")

    assert run.fund_fen == 123_450


@pytest.mark.parametrize(
    ("field", "code", "changes"),
    [
        ("period", w.COOPERATIVE, {"period": "last year"}),
        ("rule", w.COOPERATIVE, {"rule": "lottery"}),
        ("division", w.TOWN, {}),  # a town sets no award: only villages and cooperatives do
    ],
)
def test_a_bad_period_rule_or_division_is_a_field_error(world, three_members, field, code, changes):
    arguments = {"period": "2025", "fund_yuan": "100", "rule": AwardRule.EQUAL, **changes}

    with pytest.raises(ValidationError) as error:
        services.preview_award_run(acting_user=world.user("district_admin"), division=division(code), **arguments)

    assert field in error.value.message_dict
    assert not AwardRun.objects.exists()


def test_a_division_without_members_is_a_field_error(clerk):
    with pytest.raises(ValidationError) as error:
        services.preview_award_run(
            acting_user=clerk, division=division(w.OTHER_COOPERATIVE_SAME_VILLAGE), period="2025", fund_fen=100
        )

    assert "division" in error.value.message_dict
    assert not AwardRun.objects.exists()


def test_a_town_official_may_not_preview_a_run(official, three_members, cooperative):
    with pytest.raises(PermissionDenied):
        services.preview_award_run(acting_user=official, division=cooperative, period="2025", fund_fen=100)


def test_a_clerk_may_not_preview_outside_their_village(clerk):
    member(w.OTHER_VILLAGE_SAME_TOWN + "001")
    with pytest.raises(PermissionDenied):
        services.preview_award_run(
            acting_user=clerk, division=division(w.OTHER_VILLAGE_SAME_TOWN), period="2025", fund_fen=100
        )


def test_recomputing_a_preview_takes_in_a_violation_confirmed_since(preview, clerk, three_members):
    clause = published_covenant(w.VILLAGE).clauses.get(number=2)
    ViolationFactory(
        clause=clause, person=three_members[0].person, occurred_on=D(2025, 5, 1), confirmed_on=D(2025, 5, 2)
    )

    before = dict(preview.payouts.values_list("person_id", "amount_fen"))

    services.recompute_award_run(preview, acting_user=clerk)

    amounts = dict(preview.payouts.values_list("person_id", "amount_fen"))
    assert amounts == {**before, three_members[0].person_id: 0}  # the others' payouts unchanged
    run = AwardRun.objects.with_totals().get(pk=preview.pk)
    assert (run.paid_fen, run.kept_fen) == (666_666, 333_334)
    assert run.paid_fen + run.kept_fen == run.fund_fen


def test_approval_by_another_user_freezes_exactly_what_was_previewed(preview, official, three_members):
    clause = published_covenant(w.VILLAGE).clauses.get(number=2)
    before = list(preview.payouts.order_by("person_id").values_list("person_id", "amount_fen"))
    # Confirmed after the preview: approval does not recompute; what the approver saw is paid.
    ViolationFactory(
        clause=clause, person=three_members[0].person, occurred_on=D(2025, 5, 1), confirmed_on=D(2025, 5, 2)
    )

    run = services.approve_award_run(preview, acting_user=official)

    assert (run.status, run.approved_by) == (AwardRunStatus.APPROVED, official)
    assert run.is_frozen
    assert list(run.payouts.order_by("person_id").values_list("person_id", "amount_fen")) == before


def test_a_frozen_run_is_never_recomputed_nor_discarded(preview, official, clerk):
    services.approve_award_run(preview, acting_user=official)
    payouts_before = list(AwardPayout.objects.values_list("pk", "amount_fen"))

    for step in (services.recompute_award_run, services.discard_award_run):
        with pytest.raises(ValidationError) as error:
            step(preview, acting_user=clerk)
        assert "status" in error.value.message_dict
    assert list(AwardPayout.objects.values_list("pk", "amount_fen")) == payouts_before


def test_the_creator_may_not_approve_their_own_run_four_eyes(three_members, cooperative, world):
    admin = world.user("district_admin")
    run = services.preview_award_run(acting_user=admin, division=cooperative, period="2025", fund_fen=300)

    with pytest.raises(PermissionDenied):
        services.approve_award_run(run, acting_user=admin)
    assert AwardRun.objects.get(pk=run.pk).status == AwardRunStatus.PREVIEW


def test_a_village_clerk_may_not_approve_another_clerks_run(preview, world):
    second = UserFactory(username="second_clerk")
    assign(second, w.VILLAGE, "village_clerk")

    with pytest.raises(PermissionDenied):
        services.approve_award_run(preview, acting_user=second)


def test_a_second_approved_run_for_the_same_division_and_period_is_refused(preview, official, clerk, cooperative):
    second = services.preview_award_run(acting_user=clerk, division=cooperative, period="2025", fund_fen=999)
    services.approve_award_run(preview, acting_user=official)

    with pytest.raises(ValidationError) as error:
        services.approve_award_run(second, acting_user=official)

    assert "period" in error.value.message_dict
    assert AwardRun.objects.get(pk=second.pk).status == AwardRunStatus.PREVIEW


def test_once_a_period_is_approved_a_new_preview_for_it_is_refused(preview, official, clerk, cooperative):
    services.approve_award_run(preview, acting_user=official)

    with pytest.raises(ValidationError) as error:
        services.preview_award_run(acting_user=clerk, division=cooperative, period="2025", fund_fen=999)

    assert "period" in error.value.message_dict


def test_the_database_backs_one_approved_run_per_division_and_period(preview, official, clerk, cooperative):
    services.approve_award_run(preview, acting_user=official)
    second = AwardRun.objects.create(division=cooperative, period="2025", fund_fen=5, created_by=clerk)

    with pytest.raises(IntegrityError), transaction.atomic():
        AwardRun.objects.filter(pk=second.pk).update(status=AwardRunStatus.APPROVED, approved_by=official)


def test_a_discarded_preview_can_no_longer_be_approved(preview, clerk, official):
    services.discard_award_run(preview, acting_user=clerk)

    with pytest.raises(ValidationError):
        services.approve_award_run(preview, acting_user=official)
    assert AwardRun.objects.get(pk=preview.pk).status == AwardRunStatus.DISCARDED


def test_the_may_predicates_agree_with_the_services(preview, clerk, official):
    assert services.may_recompute_award_run(clerk, preview) and services.may_discard_award_run(clerk, preview)
    assert not services.may_approve_award_run(clerk, preview)
    assert services.may_approve_award_run(official, preview)
    assert not services.may_recompute_award_run(official, preview)

    services.approve_award_run(preview, acting_user=official)
    preview.refresh_from_db()

    assert not services.may_approve_award_run(official, preview)
    assert not services.may_recompute_award_run(clerk, preview)


def test_a_person_outside_the_division_is_no_member_of_it(world):
    PersonFactory(division=division(w.COOPERATIVE))  # registered there, but not a member
    member(w.OTHER_TOWN_VILLAGE + "001")

    assert members_of(w.COOPERATIVE, Y2025) == {}


def test_the_database_refuses_a_payout_that_is_neither_the_entitlement_in_full_nor_withheld(preview):
    payout = preview.payouts.order_by("person_id").first()

    with pytest.raises(IntegrityError), transaction.atomic():
        AwardPayout.objects.filter(pk=payout.pk).update(amount_fen=payout.entitlement_fen - 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        AwardPayout.objects.filter(pk=payout.pk).update(eligible=False)


def test_a_quarter_run_previewed_through_the_service_keeps_the_quarters_violators_part(
    clerk, three_members, cooperative
):
    clause = published_covenant(w.VILLAGE).clauses.get(number=2)
    for person, day in ((three_members[2].person, D(2025, 8, 1)), (three_members[1].person, D(2025, 9, 30))):
        ViolationFactory(clause=clause, person=person, occurred_on=day, confirmed_on=D(2025, 10, 2))

    run = services.preview_award_run(acting_user=clerk, division=cooperative, period="2025-Q4", fund_fen=300)
    q3 = services.preview_award_run(acting_user=clerk, division=cooperative, period="2025-Q3", fund_fen=300)

    assert AwardRun.objects.with_totals().values_list("paid_fen", "kept_fen").get(pk=run.pk) == (300, 0)
    assert AwardRun.objects.with_totals().values_list("paid_fen", "kept_fen").get(pk=q3.pk) == (100, 200)
