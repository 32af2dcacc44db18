"""The checks of one meeting as functions of plain values (rights_lists.services.steps): each named
for its rule, each answering the field-level messages it refuses a meeting with, no database."""

import datetime

from rights_lists import rules
from rights_lists.choices import DEFAULT_MEETING_RULES, Body, DecisionState, Procedure, Step
from rights_lists.services import steps

D = datetime.date
FULL = steps.procedure_steps(Procedure.FOUR_DELIBERATIONS)


def test_a_step_the_procedure_lacks_is_refused_naming_both():
    assert steps.step_errors(Procedure.COMMITTEE, Step.PROPOSAL) == {
        "step": ["“两委会议决策”程序没有“党组织提议”这一步骤。"]
    }
    assert steps.step_errors(Procedure.FOUR_DELIBERATIONS, Step.PROPOSAL) == {}


def test_a_body_that_may_not_sit_for_the_step_is_refused():
    bodies = steps.bodies_of(Procedure.FOUR_DELIBERATIONS, Step.RESOLUTION)

    assert steps.body_errors(Step.RESOLUTION, bodies, Body.VILLAGERS_ASSEMBLY) == {}
    assert list(steps.body_errors(Step.RESOLUTION, bodies, Body.TOWN)) == ["body"]


def test_only_an_open_decision_records_meetings():
    assert steps.state_errors(DecisionState.OPEN) == {}
    assert list(steps.state_errors(DecisionState.WITHDRAWN)) == ["step"]


def test_steps_come_in_order_none_repeated_none_skipped():
    assert steps.order_errors(FULL, FULL[1], {FULL[0]}) == {}
    assert "重复登记" in steps.order_errors(FULL, FULL[0], {FULL[0]})["step"][0]
    assert "依次进行" in steps.order_errors(FULL, FULL[2], {FULL[0]})["step"][0]


def test_a_date_before_the_step_before_and_a_date_after_today_are_both_said():
    errors = steps.date_errors(D(2025, 5, 1), previous_step=FULL[0], previous_on=D(2025, 6, 1), on=D(2025, 4, 1))

    assert len(errors["held_on"]) == 2
    assert steps.date_errors(None, previous_step=None, previous_on=None, on=D(2025, 4, 1)) == {}


def test_the_figures_agree_or_each_field_says_why():
    errors = steps.figure_errors(
        expected=10, present=11, votes_for=9, votes_against=2, abstentions=1, households=5, households_present=6
    )

    assert set(errors) == {"present", "votes_for", "households_present"}
    assert (
        steps.figure_errors(
            expected=10,
            present=None,
            votes_for=None,
            votes_against=0,
            abstentions=0,
            households=None,
            households_present=None,
        )
        == {}
    )


def test_an_expected_count_must_be_known_and_more_than_none():
    assert list(steps.expected_errors(None)) == ["expected"]
    assert list(steps.expected_errors(0)) == ["expected"]
    assert steps.expected_errors(7) == {}


def test_a_meeting_without_its_quorum_is_refused_with_the_rule_and_the_numbers():
    rule = DEFAULT_MEETING_RULES[Body.PARTY_COMMITTEE]

    refused = steps.quorum_errors(rule, rules.Meeting(expected=7, present=3, votes_for=3))

    assert "到会人数 3 不足应到 7 人的半数（至少 4 人）" in refused["present"][0]
    assert steps.quorum_errors(rule, rules.Meeting(expected=7, present=4, votes_for=3)) == {}
