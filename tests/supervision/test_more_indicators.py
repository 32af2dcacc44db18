"""The computed indicators of issue 9, point 3 against hand-built data, each at its boundaries:
decisions_procedure (rights_lists decisions through their procedure, publications within
rights_lists.choices.PUBLICATION_DUE_DAYS), violations_handled (covenant violations confirmed, and
appeals decided, within supervision.choices.VIOLATION_HANDLING_DAYS) and sanction_deductions
(supervision.choices.SANCTION_DEDUCTION_POINTS per sanction in force against a cadre in post)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from covenants.models import Clause
from covenants.testing.factories import ViolationFactory, published_covenant
from governance.testing.factories import UserFactory, assign
from rights_lists.choices import PROCEDURE_STEPS, DecisionState, Procedure, PublicationKind
from rights_lists.models import Implementation, Publication
from rights_lists.testing.factories import DecisionStepFactory, decision_on
from supervision.choices import RunState, UnitLevel
from supervision.models import DutyReportEvaluation, Result
from supervision.services import scoring as services
from supervision.services.actions import RowErrors
from supervision.services.duty_reports import record_duty_report
from supervision.services.indicators import COMPUTED_INDICATORS
from supervision.testing.factories import scheme
from supervision.testing.record_factories import DisciplinarySanctionFactory
from villages.choices import PositionKind
from villages.testing.factories import PositionFactory, division

D = datetime.date
TOWN = "440605125"
VILLAGE = "440605125001"
COOPERATIVE = "440605125001001"
OTHER_VILLAGE = "440605125002"
COUNTED_ON = D(2026, 3, 1)


@pytest.fixture
def compute(world, django_capture_on_commit_callbacks):
    """The score of one computed indicator for a unit (VILLAGE by default) in a 2025 scheme of its
    level, counted on `today`."""

    def computed(
        source: str,
        period: str = "2025",
        today: datetime.date = COUNTED_ON,
        unit: str = VILLAGE,
        level: str = UnitLevel.VILLAGE,
    ) -> Decimal:
        made = scheme(TOWN, indicators=(("x", 100, source),), period=period, level=level)
        with django_capture_on_commit_callbacks(execute=True):
            run = services.request_run(made, acting_user=world.user("district_admin"), today=today)
        run.refresh_from_db()
        assert run.state == RunState.DONE, run.errors
        return Result.objects.get(run=run, unit_id=unit).total

    division(VILLAGE)
    division(OTHER_VILLAGE)
    return computed


# --- decisions_procedure ------------------------------------------------------------------------


def decision(
    *steps_on: datetime.date,
    procedure: str = Procedure.COMMITTEE,
    code: str = VILLAGE,
    last_adopted: bool = True,
    resolution_on: datetime.date | None = None,
    done_on: datetime.date | None = None,
    outcome_on: datetime.date | None = None,
    withdrawn_on: datetime.date | None = None,
):
    """A decision of `code` whose first steps of its procedure were held on `steps_on`, with its
    publications and implementation on the days given."""
    made = decision_on(code, procedure)
    required = PROCEDURE_STEPS[procedure]
    for index, held_on in enumerate(steps_on):
        step, bodies = required[index]
        DecisionStepFactory(
            decision=made,
            step=step,
            body=bodies[0],
            held_on=held_on,
            adopted=last_adopted or index < len(steps_on) - 1,
        )
    for kind, published_on in ((PublicationKind.RESOLUTION, resolution_on), (PublicationKind.OUTCOME, outcome_on)):
        if published_on:
            Publication.objects.create(decision=made, kind=kind, published_on=published_on, recorded_by=UserFactory())
    if done_on:
        Implementation.objects.create(decision=made, done_on=done_on, summary="已实施。", recorded_by=UserFactory())
    if withdrawn_on:
        made.state, made.withdrawn_on, made.withdrawal_reason = DecisionState.WITHDRAWN, withdrawn_on, "撤回。"
        made.save()
    return made


def test_a_village_that_started_no_decision_in_the_period_scores_100_on_decisions_procedure(compute):
    decision(D(2024, 12, 31), resolution_on=D(2025, 3, 1))  # started before the period: late, not counted

    assert compute("decisions_procedure") == 100


def test_a_resolution_published_on_the_5th_day_after_the_last_step_is_on_time_and_on_the_6th_is_late(compute):
    decision(D(2025, 3, 1), resolution_on=D(2025, 3, 6))
    decision(D(2025, 3, 1), resolution_on=D(2025, 3, 7))

    assert compute("decisions_procedure") == 50


def test_a_decision_follows_its_procedure_only_with_every_step_held_and_its_outcome_published_in_time(compute):
    four = (D(2025, 3, 1), D(2025, 3, 5), D(2025, 3, 10), D(2025, 3, 20))
    published = {"resolution_on": D(2025, 3, 25), "done_on": D(2025, 5, 1)}
    decision(*four, procedure=Procedure.FOUR_DELIBERATIONS, **published, outcome_on=D(2025, 5, 6))  # followed
    decision(*four, procedure=Procedure.FOUR_DELIBERATIONS, **published, outcome_on=D(2025, 5, 7))  # outcome late
    decision(*four, procedure=Procedure.FOUR_DELIBERATIONS, **published)  # outcome never published
    decision(*four[:3], procedure=Procedure.FOUR_DELIBERATIONS)  # still without its resolution at the year's end

    assert compute("decisions_procedure") == 25


def test_decisions_of_the_village_s_cooperatives_count_and_withdrawn_or_voted_down_ones_count_neither_way(compute):
    decision(D(2025, 3, 1), code=COOPERATIVE, resolution_on=D(2025, 3, 2))  # followed
    decision(D(2025, 3, 1), resolution_on=D(2025, 4, 1))  # late
    decision(D(2025, 3, 1), withdrawn_on=D(2025, 3, 5))  # withdrawn
    decision(D(2025, 3, 1), last_adopted=False)  # voted down
    decision(D(2025, 3, 1), code=OTHER_VILLAGE)  # another village's, never published

    assert compute("decisions_procedure") == 50


def test_while_the_period_runs_a_publication_not_yet_due_is_not_held_against_a_decision(compute):
    decision(D(2026, 3, 1))  # its resolution is due by 6 March 2026
    decision(D(2026, 3, 1), D(2026, 3, 10), procedure=Procedure.FOUR_DELIBERATIONS)  # 2 of its 4 steps

    assert compute("decisions_procedure", period="2026", today=D(2026, 3, 6)) == 50
    assert compute("decisions_procedure", period="2026", today=D(2026, 3, 7)) == 0


# --- violations_handled -------------------------------------------------------------------------


def violation(occurred_on: datetime.date, confirmed_on: datetime.date | None, code: str = VILLAGE, **fields):
    clause = Clause.objects.filter(version__covenant__division_id=code, number=1).first()
    clause = clause or published_covenant(code).clauses.get(number=1)
    return ViolationFactory(clause=clause, occurred_on=occurred_on, confirmed_on=confirmed_on, **fields)


def test_a_village_with_no_violation_in_the_period_scores_100_on_violations_handled(compute):
    violation(D(2024, 12, 31), None)  # before the period
    violation(D(2025, 3, 10), None, code=OTHER_VILLAGE)  # another village's

    assert compute("violations_handled") == 100


def test_a_violation_confirmed_on_the_30th_day_after_it_occurred_is_handled_and_on_the_31st_is_not(compute):
    violation(D(2025, 3, 10), D(2025, 4, 9))
    violation(D(2025, 3, 10), D(2025, 4, 10))
    violation(D(2025, 3, 10), None)

    assert compute("violations_handled") == Decimal("33.33")


def test_an_appeal_must_be_decided_within_30_days_of_its_filing(compute):
    appealed = {"confirmed_on": D(2025, 3, 20), "appeal_filed_on": D(2025, 4, 1), "appeal_reason": "事实不清。"}
    violation(D(2025, 3, 10), **appealed, appeal_upheld=False, appeal_decided_on=D(2025, 5, 1))
    violation(D(2025, 3, 10), **appealed, appeal_upheld=True, appeal_decided_on=D(2025, 5, 2))
    violation(D(2025, 3, 10), **appealed)  # never decided

    assert compute("violations_handled") == Decimal("33.33")


def test_while_the_period_runs_a_violation_still_within_its_30_days_counts_neither_way(compute):
    violation(D(2026, 1, 30), None)  # its 30 days end on 1 March 2026

    assert compute("violations_handled", period="2026", today=D(2026, 3, 1)) == 100
    assert compute("violations_handled", period="2026", today=D(2026, 3, 2)) == 0


# --- sanction_deductions ------------------------------------------------------------------------


def cadre(code: str = VILLAGE, kind: str = PositionKind.COMMITTEE_DIRECTOR, **fields):
    return PositionFactory(division=division(code), kind=kind, started_on=D(2021, 3, 1), term_ends_on=None, **fields)


DECIDED_ON = D(2025, 6, 1)


def sanction(post, decided_on: datetime.date = DECIDED_ON, months: int = 12, **fields):
    return DisciplinarySanctionFactory(
        division=post.division, person=post.person, decided_on=decided_on, deduction_months=months, **fields
    )


def test_a_unit_without_a_sanction_in_force_scores_100_on_sanction_deductions(compute):
    cadre()

    assert compute("sanction_deductions") == 100


def test_a_sanction_is_in_force_from_its_decision_to_the_day_before_its_end(compute):
    director = cadre()
    sanction(director, decided_on=D(2025, 1, 1), months=12)  # ends (exclusive) on 1 January 2026: in force
    sanction(director, decided_on=D(2024, 12, 31), months=12)  # ended on 31 December 2025
    sanction(director, decided_on=D(2026, 1, 1))  # after the period

    assert compute("sanction_deductions") == 80


def test_each_sanction_in_force_against_a_cadre_in_post_deducts_20_points(compute):
    director = cadre()
    sanction(director)
    corrected = sanction(director)
    sanction(director, corrects=corrected, correction_reason="处分种类有误。")  # the chain counts once
    sanction(cadre(ended_on=D(2025, 12, 31)))  # left the post on the counting day
    sanction(cadre(code=OTHER_VILLAGE))  # another village's cadre

    assert compute("sanction_deductions") == 60


def test_sanction_deductions_are_floored_at_0(compute):
    director = cadre()
    for _ in range(6):
        sanction(director)

    assert compute("sanction_deductions") == 0


def test_a_cooperative_is_scored_on_sanctions_against_its_own_cadres(compute):
    sanction(cadre(code=COOPERATIVE, kind=PositionKind.COOPERATIVE_HEAD))
    sanction(cadre())  # the village's director: not the cooperative's

    assert compute("sanction_deductions", unit=COOPERATIVE, level=UnitLevel.COOPERATIVE) == 80


def test_a_cooperative_scheme_may_use_sanction_deductions_but_not_a_village_indicator(world):
    assert COMPUTED_INDICATORS["sanction_deductions"].levels == (UnitLevel.VILLAGE, UnitLevel.COOPERATIVE)

    def create(source):
        return services.create_scheme(
            acting_user=world.user("district_admin"),
            division=division("440605124"),
            level=UnitLevel.COOPERATIVE,
            period="2025",
            name="经济社考核",
            # Central work carries the largest weight of a cooperative scheme (CENTRAL_WORK).
            indicators=[
                {"code": "central_work", "name": "中心工作", "weight": 60, "source": "entered"},
                {"code": "x", "name": "扣分", "weight": 40, "source": source},
            ],
            grades={"excellent": 90, "good": 80, "pass": 60},
            excellent_share=20,
        )

    assert create("sanction_deductions").indicators.get(code="x").source == "sanction_deductions"
    with pytest.raises(RowErrors):
        create("decisions_procedure")


# --- duty_report --------------------------------------------------------------------------------


def record(world, unit: str, satisfied: int, basically: int, dissatisfied: int, period: str = "2025", role=None):
    return record_duty_report(
        division(unit),
        acting_user=world.user(role or "district_admin"),
        period=period,
        satisfied=satisfied,
        basically_satisfied=basically,
        dissatisfied=dissatisfied,
    )


def test_the_duty_report_scores_100_per_satisfied_and_60_per_basically_satisfied_vote_rounded_half_up(world, compute):
    record(world, VILLAGE, 1, 1, 1)  # 160 / 3 = 53.333…
    record(world, OTHER_VILLAGE, 1, 0, 7)  # 100 / 8 = 12.5
    record(world, OTHER_VILLAGE, 7, 0, 1, period="2025-H2")  # another period

    assert compute("duty_report") == Decimal("53.33")
    assert compute("duty_report", unit=OTHER_VILLAGE) == Decimal("12.50")


def test_a_unit_without_a_duty_report_evaluation_for_the_period_scores_0_and_a_later_record_replaces_the_votes(
    world, compute
):
    record(world, VILLAGE, 5, 0, 0, period="2024")
    assert compute("duty_report") == 0

    record(world, VILLAGE, 1, 2, 0)  # (100 + 120) / 3 = 73.333…
    again = record(world, VILLAGE, 2, 1, 0)  # (200 + 60) / 3 = 86.666…

    assert DutyReportEvaluation.objects.get(unit_id=VILLAGE, period="2025") == again
    assert compute("duty_report") == Decimal("86.67")


def test_a_cooperative_s_duty_report_is_scored_in_a_cooperative_scheme(world, compute):
    # Recorded for the village party organisation by its village's clerk (Nanhai task 09).
    clerk = UserFactory(username="cooperatives_village_clerk")
    assign(clerk, COOPERATIVE[:12], "village_clerk")
    record_duty_report(
        division(COOPERATIVE), acting_user=clerk, period="2025", satisfied=3, basically_satisfied=1, dissatisfied=0
    )  # 360 / 4

    assert compute("duty_report", unit=COOPERATIVE, level=UnitLevel.COOPERATIVE) == 90


def test_recording_a_duty_report_needs_votes_a_period_and_the_right_to_enter_the_unit_s_scores(world):
    with pytest.raises(ValidationError) as refused:
        record(world, VILLAGE, 0, 0, 0)
    assert "satisfied" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        record(world, VILLAGE, 1, 0, 0, period="2025-13")
    assert "period" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        record(world, "440605125", 1, 0, 0)  # a town is not assessed
    assert "unit" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        record(world, VILLAGE, 1, 0, 0, role="village_clerk")
    assert not DutyReportEvaluation.objects.exists()
