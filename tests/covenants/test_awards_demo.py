"""The compliance award in the Nanhai demo (covenants/demo.py): in the village clerk's village, an
approved (frozen) 2025 run and a 2026 preview in which the demo's confirmed violations withhold
the award of their people."""

import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from covenants.choices import AwardRule, AwardRunStatus
from covenants.demo import DEMO_AWARD_FUND_FEN
from covenants.models import AwardRun
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


@pytest.mark.parametrize("period", ["2025", "2026"])
def test_each_demo_run_pays_out_exactly_its_fund_among_many_members(runs, period):
    payouts = runs[period].payouts

    assert payouts.count() > 50
    assert sum(payouts.values_list("amount_fen", flat=True)) == DEMO_AWARD_FUND_FEN


def test_the_2026_preview_withholds_the_award_of_the_demos_violators_with_the_reason(runs):
    run = runs["2026"]
    withheld = list(run.payouts.filter(eligible=False))

    assert run.status == AwardRunStatus.PREVIEW
    assert withheld and all(p.amount_fen == 0 and "违约记录" in p.withheld_reason for p in withheld)
    assert not runs["2025"].payouts.filter(eligible=False).exists()  # the violations occurred in 2026
