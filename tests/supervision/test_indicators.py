"""The computed indicators against hand-built data (DESIGN.md section 7, indicators), and the
disclosure rules they read: cadences, deadlines (supervision.choices.DISCLOSURE_GRACE_DAYS) and
what is overdue, computed from dates at query time."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from supervision.choices import Cadence, RunState
from supervision.models import DisclosureItem, Result, deadline_of
from supervision.services import disclosures, scoring
from supervision.testing.factories import DisclosureFactory, DisclosureItemFactory, scheme
from villages.choices import PositionKind
from villages.testing.factories import PositionFactory, division

D = datetime.date
TOWN = "440605125"
VILLAGE = "440605125001"
COUNTED_ON = D(2026, 3, 1)


@pytest.fixture
def compute(world, django_capture_on_commit_callbacks):
    """The score of one computed indicator for VILLAGE in a 2025 scheme, counted on `today`."""

    def computed(source: str, period: str = "2025", today: datetime.date = COUNTED_ON) -> Decimal:
        made = scheme(TOWN, indicators=(("x", 100, source),), period=period)
        with django_capture_on_commit_callbacks(execute=True):
            run = scoring.request_run(made, acting_user=world.user("district_admin"), today=today)
        run.refresh_from_db()
        assert run.state == RunState.DONE, run.errors
        return Result.objects.get(run=run, unit_id=VILLAGE).total

    division(VILLAGE)
    return computed


def reserve_cadre(started_on, ended_on=None):
    return PositionFactory(
        division=division(VILLAGE), kind=PositionKind.RESERVE_CADRE, started_on=started_on, ended_on=ended_on
    )


def test_a_village_with_2_current_reserve_cadres_on_the_period_s_last_day_scores_100(compute):
    reserve_cadre(D(2024, 1, 1))
    reserve_cadre(D(2025, 12, 31))

    assert compute("reserve_cadres") == 100


def test_reserve_cadres_who_left_by_or_started_after_the_counting_day_do_not_count(compute):
    reserve_cadre(D(2024, 1, 1))
    reserve_cadre(D(2024, 1, 1), ended_on=D(2025, 12, 31))  # gone on the last day
    reserve_cadre(D(2026, 1, 1))  # after the period

    assert compute("reserve_cadres") == 0


def test_while_the_period_runs_reserve_cadres_are_counted_today(compute):
    reserve_cadre(D(2026, 1, 1))
    reserve_cadre(D(2026, 5, 1))

    assert compute("reserve_cadres", period="2026", today=D(2026, 4, 30)) == 0
    assert compute("reserve_cadres", period="2026", today=D(2026, 5, 1)) == 100


def test_a_village_with_no_disclosure_due_in_the_period_scores_100(compute):
    assert compute("disclosures_on_time") == 100


def test_disclosures_on_time_is_the_percent_of_those_due_in_the_period_filed_by_their_deadline(compute):
    # Monthly since November 2024: due in 2025 are November 2024 (due 10 December 2024: no), and
    # December 2024 (due 10 January 2025) to November 2025 (due 10 December 2025): 12 due.
    item = DisclosureItemFactory(division=division(VILLAGE), cadence=Cadence.MONTHLY, since=D(2024, 11, 1))
    for month in range(1, 12):  # January to November 2025: 11 filed, 10 on time
        start = D(2025, month, 1)
        filed = deadline_of(Cadence.MONTHLY, start) + datetime.timedelta(days=1 if month == 6 else 0)
        DisclosureFactory(item=item, period_start=start, filed_on=filed)
    # December 2024 was never filed.

    assert compute("disclosures_on_time") == Decimal("83.33")  # 10 of 12


def test_a_quarterly_item_is_due_10_days_after_each_quarter_and_a_major_matter_5_days_after_its_decision(compute):
    assert deadline_of(Cadence.QUARTERLY, D(2025, 7, 1)) == D(2025, 10, 10)
    assert deadline_of(Cadence.MONTHLY, D(2025, 2, 1)) == D(2025, 3, 10)
    assert deadline_of(Cadence.AT_ONCE, D(2025, 2, 27)) == D(2025, 3, 4)
    quarterly = DisclosureItemFactory(division=division(VILLAGE), cadence=Cadence.QUARTERLY, since=D(2025, 2, 15))
    major = DisclosureItemFactory(division=division(VILLAGE), cadence=Cadence.AT_ONCE, since=D(2025, 1, 1))
    DisclosureFactory(item=quarterly, period_start=D(2025, 1, 1), filed_on=D(2025, 4, 10))  # on time
    DisclosureFactory(item=major, period_start=D(2025, 6, 1), filed_on=None)  # recorded, never filed
    # Due in 2025: Q1 to Q3 of the quarterly item (Q4 falls due in 2026), and the major matter: 1 of 4.

    assert compute("disclosures_on_time") == 25


def test_what_is_overdue_is_computed_on_the_day_asked(world):
    item = DisclosureItemFactory(division=division(VILLAGE), cadence=Cadence.MONTHLY, since=D(2026, 1, 1))
    DisclosureFactory(item=item, period_start=D(2026, 1, 1), filed_on=D(2026, 2, 3))

    items = DisclosureItem.objects.filter(pk=item.pk)

    assert items.overdue(D(2026, 3, 10)) == []  # February is due on 10 March: not yet overdue
    assert [row.period_start for row in items.overdue(D(2026, 3, 11))] == [D(2026, 2, 1)]
    assert [row.period_start for row in items.overdue(D(2026, 5, 1))] == [D(2026, 2, 1), D(2026, 3, 1)]


def test_a_village_clerk_files_a_period_s_disclosure_and_filing_again_replaces_it(world):
    clerk = world.user("village_clerk")
    item = disclosures.add_disclosure_item(
        acting_user=clerk,
        division=division("440605124001"),
        title="财务收支",
        cadence=Cadence.MONTHLY,
        since=D(2026, 1, 1),
    )

    disclosures.file_disclosure(
        item, acting_user=clerk, period_day=D(2026, 1, 20), filed_on=D(2026, 2, 12), content="一月"
    )
    again = disclosures.file_disclosure(item, acting_user=clerk, period_day=D(2026, 1, 5), filed_on=D(2026, 2, 5))

    assert item.disclosures.count() == 1
    assert (again.period_start, again.due_on, again.filed_on) == (D(2026, 1, 1), D(2026, 2, 10), D(2026, 2, 5))
    assert list(item.disclosures.overdue(D(2026, 6, 1))) == []


def test_a_quarterly_item_started_mid_quarter_is_filed_for_that_whole_quarter_and_not_before(world):
    clerk = world.user("village_clerk")
    item = disclosures.add_disclosure_item(
        acting_user=clerk,
        division=division("440605124001"),
        title="村务",
        cadence=Cadence.QUARTERLY,
        since=D(2026, 2, 15),
    )

    filed = disclosures.file_disclosure(item, acting_user=clerk, period_day=D(2026, 1, 2), filed_on=D(2026, 4, 3))

    assert (filed.period_start, filed.due_on) == (D(2026, 1, 1), D(2026, 4, 10))
    with pytest.raises(ValidationError) as refused:
        disclosures.file_disclosure(item, acting_user=clerk, period_day=D(2025, 12, 31), filed_on=D(2026, 1, 3))
    assert "period_day" in refused.value.message_dict
