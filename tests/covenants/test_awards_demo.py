"""The compliance award in the Nanhai demo (covenants/demo): in the village clerk's village of 狮山镇,
an approved (frozen) 2025 run in which everyone is paid, an approved 2026-H1 run in which a
violator's entitlement stays in the fund (the kept amount), and a 2026-H2 preview."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from covenants.choices import AwardRule, AwardRunStatus
from covenants.demo import DEMO_AWARD_FUND_FEN, DEMO_AWARD_RUNS
from covenants.models import AwardRun, Violation
from villages import demo


@pytest.fixture(scope="module")
def loaded_demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", force=True, stdout=io.StringIO())
        with connection.cursor() as cursor:  # run the load's deferred checks once
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        yield
        transaction.set_rollback(True)


@pytest.fixture
def runs(loaded_demo, db):
    return {run.period: run for run in AwardRun.objects.filter(division_id=demo.DEMO_VILLAGE_CODE)}


def test_the_demo_village_has_an_approved_2025_run_by_the_clerk_approved_by_the_town(runs):
    run = runs["2025"]

    assert (run.status, run.rule) == (AwardRunStatus.APPROVED, AwardRule.BY_SHARES)
    assert (run.created_by.username, run.approved_by.username) == ("village_clerk", "town_official")


def test_the_demo_has_its_planned_runs_approved_or_previewed(runs):
    assert {period: run.status for period, run in runs.items()} == {
        plan.period: AwardRunStatus.APPROVED if plan.approved else AwardRunStatus.PREVIEW for plan in DEMO_AWARD_RUNS
    }


@pytest.mark.parametrize("period", [plan.period for plan in DEMO_AWARD_RUNS])
def test_each_demo_run_pays_and_keeps_exactly_its_fund_among_many_members(runs, period):
    run = AwardRun.objects.with_totals().get(pk=runs[period].pk)
    entitlements = run.payouts.values_list("entitlement_fen", flat=True)

    assert run.members > 50
    assert sum(entitlements) == DEMO_AWARD_FUND_FEN
    assert run.paid_fen + run.kept_fen == DEMO_AWARD_FUND_FEN


def test_in_2025_everyone_kept_the_covenant_and_nothing_stays_in_the_fund(runs):
    run = AwardRun.objects.with_totals().get(pk=runs["2025"].pk)

    assert (run.withheld_members, run.kept_fen) == (0, 0)


def test_the_approved_2026_h1_run_keeps_the_parts_of_the_half_years_violators_in_the_fund(runs):
    run = AwardRun.objects.with_totals().get(pk=runs["2026-H1"].pk)
    lines = {payout.person_id: payout for payout in run.payouts.all()}
    march, may = violation_on(datetime.date(2026, 3, 5)), violation_on(datetime.date(2026, 5, 12))
    june_lifted, august = violation_on(datetime.date(2026, 6, 3)), violation_on(datetime.date(2026, 8, 28))

    assert run.status == AwardRunStatus.APPROVED
    withheld = [lines[march.person_id], lines[may.person_id]]
    assert [(line.eligible, line.amount_fen) for line in withheld] == [(False, 0), (False, 0)]
    assert all(line.entitlement_fen > 0 for line in withheld)
    assert run.kept_fen == sum(line.entitlement_fen for line in withheld)
    assert "2026-05-12 发生" in lines[may.person_id].withheld_reason
    assert "其应得部分留存奖励资金" in lines[may.person_id].withheld_reason
    # The appeal upheld lifts the June violation; the violator of March and August is withheld
    # for March, and the lifted one is paid in full.
    assert june_lifted.person_id != august.person_id == march.person_id
    paid = lines[june_lifted.person_id]
    assert paid.eligible and paid.amount_fen == paid.entitlement_fen


def test_the_2026_h2_preview_withholds_the_august_violator_and_no_longer_the_may_one(runs):
    run = runs["2026-H2"]
    lines = {payout.person_id: payout for payout in run.payouts.all()}
    may, august = violation_on(datetime.date(2026, 5, 12)), violation_on(datetime.date(2026, 8, 28))

    assert run.status == AwardRunStatus.PREVIEW
    assert (lines[august.person_id].eligible, lines[august.person_id].amount_fen) == (False, 0)
    assert lines[may.person_id].eligible
    assert lines[may.person_id].amount_fen == lines[may.person_id].entitlement_fen


def violation_on(day: datetime.date) -> Violation:
    """The demo village's violation that occurred on the day (one a day, covenants.demo.plan)."""
    return Violation.objects.get(division_id=demo.DEMO_VILLAGE_CODE, occurred_on=day)
