"""The meeting rules of every body at their boundaries (docs/domain.md R2-R8), through the service
that records a step: exactly the quorum sits and one fewer is refused with the rule and the
numbers; exactly half the votes is not adopted and one more is; the party members' assembly
counts its majority against those entitled to attend, not those present; a district's own rule
replaces the default there."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from governance.testing import world as w
from rights_lists import rules, services
from rights_lists.choices import (
    DEFAULT_MEETING_RULES,
    PROCEDURE_STEPS,
    Body,
    DecisionState,
    Fraction,
    MajorityBase,
    Procedure,
    Step,
)
from rights_lists.models import DecisionStep, QuorumRule
from rights_lists.testing.factories import DecisionStepFactory, decision_on
from villages.testing.factories import division

pytestmark = pytest.mark.django_db
D = datetime.date
HELD_ON = D(2025, 6, 1)

# The body of each step of the full procedure, and the step before it is recorded.
FULL = dict(PROCEDURE_STEPS[Procedure.FOUR_DELIBERATIONS])


def decision_at(step: str, *, procedure: str = Procedure.FOUR_DELIBERATIONS):
    """An open decision of the village whose steps before `step` are recorded and adopted."""
    decision = decision_on(w.VILLAGE, procedure)
    for name, bodies in PROCEDURE_STEPS[procedure]:
        if name == step:
            return decision
        DecisionStepFactory(decision=decision, step=name, body=bodies[0], held_on=D(2025, 5, 1))
    raise AssertionError(step)


def record(step: str, who, *, procedure=Procedure.FOUR_DELIBERATIONS, **figures):
    decision = decision_at(step, procedure=procedure)
    row = services.record_step(decision, acting_user=who, step=step, held_on=HELD_ON, **figures)
    decision.refresh_from_db()
    return row, decision


def refusal(step: str, who, **figures) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        record(step, who, **figures)
    return caught.value.message_dict["present"]


@pytest.fixture
def clerk(world):
    return world.user("village_clerk")


@pytest.fixture
def official(world):
    return world.user("town_official")


# --- the rules as data -----------------------------------------------------------------------------


def test_every_body_has_a_rule_with_its_source():
    assert set(DEFAULT_MEETING_RULES) == set(Body.values)
    assert all(rule.source for rule in DEFAULT_MEETING_RULES.values())


def test_at_least_two_thirds_is_integer_arithmetic():
    two_thirds = Fraction(2, 3, strict=False)
    assert two_thirds.met_by(14, 21) and not two_thirds.met_by(13, 20) and two_thirds.met_by(14, 20)
    assert two_thirds.minimum(20) == 14 and two_thirds.minimum(21) == 14


def test_more_than_half_is_never_exactly_half():
    more_than_half = Fraction(1, 2, strict=True)
    assert not more_than_half.met_by(10, 20) and more_than_half.met_by(11, 20)
    assert more_than_half.minimum(20) == 11 and more_than_half.minimum(21) == 11


# --- proposal by the party committee: at least half sit, more than half of its members adopt ------------


def test_the_party_committee_sits_with_exactly_half_of_its_members(clerk):
    row, _decision = record(Step.PROPOSAL, clerk, expected=6, present=3, votes_for=3)
    assert row.body == Body.PARTY_COMMITTEE


def test_the_party_committee_does_not_sit_one_short_of_half(clerk):
    (message,) = refusal(Step.PROPOSAL, clerk, expected=6, present=2, votes_for=2)
    assert "到会人数 2 不足应到 6 人的半数（至少 3 人）" in message
    assert "村党组织委员会" in message and "第十三条" in message
    assert not DecisionStep.objects.exists()


def test_a_proposal_with_exactly_half_of_the_members_for_it_is_not_adopted(clerk):
    row, decision = record(Step.PROPOSAL, clerk, expected=6, present=6, votes_for=3, votes_against=3)
    assert not row.adopted and decision.state == DecisionState.NOT_ADOPTED
    assert "未通过" in row.rule_source


def test_a_proposal_with_one_vote_more_than_half_of_the_members_is_adopted_and_stays_open(clerk):
    row, decision = record(Step.PROPOSAL, clerk, expected=6, present=4, votes_for=4)
    assert row.adopted and decision.state == DecisionState.OPEN


def test_a_proposal_counts_its_majority_against_the_members_not_those_present(clerk):
    row, _decision = record(Step.PROPOSAL, clerk, expected=7, present=4, votes_for=3)
    assert not row.adopted  # 3 of 4 present, but not more than half of 7 members


# --- consultation by the two committees: more than half sit, more than half of the members adopt -------


def test_the_two_committees_do_not_sit_with_exactly_half_of_their_members(clerk):
    (message,) = refusal(Step.CONSULTATION, clerk, expected=8, present=4, votes_for=4)
    assert "到会人数 4 未超过应到 8 人的半数（至少 5 人）" in message


def test_the_two_committees_sit_with_one_more_than_half(clerk):
    row, _decision = record(Step.CONSULTATION, clerk, expected=8, present=5, votes_for=5)
    assert row.adopted and row.body == Body.TWO_COMMITTEES


def test_a_consultation_with_exactly_half_of_the_members_for_it_is_not_adopted(clerk):
    row, decision = record(Step.CONSULTATION, clerk, expected=8, present=8, votes_for=4)
    assert not row.adopted and decision.state == DecisionState.NOT_ADOPTED


# --- review by the party members' assembly: at least half of the entitled sit; votes for exceed half of
# those entitled to attend -----------------------------------------------------------------------------


def test_the_party_assembly_sits_with_exactly_half_of_those_entitled(clerk):
    row, _decision = record(Step.REVIEW, clerk, expected=20, present=10, votes_for=10)
    assert row.body == Body.PARTY_ASSEMBLY


def test_the_party_assembly_does_not_sit_one_short_of_half(clerk):
    (message,) = refusal(Step.REVIEW, clerk, expected=20, present=9, votes_for=9)
    assert "到会人数 9 不足应到 20 人的半数（至少 10 人）" in message and "第十二条" in message


def test_the_party_assembly_counts_its_majority_against_those_entitled_not_those_present(clerk):
    row, decision = record(Step.REVIEW, clerk, expected=20, present=12, votes_for=10)
    assert not row.adopted and decision.state == DecisionState.NOT_ADOPTED  # 10 of 12 present, half of 20
    assert "应到会 20 人" in row.rule_source


def test_the_party_assembly_adopts_with_one_vote_more_than_half_of_those_entitled(clerk):
    row, decision = record(Step.REVIEW, clerk, expected=20, present=12, votes_for=11)
    assert row.adopted and decision.state == DecisionState.OPEN


# --- resolution by the representative assembly: at least 2/3 sit; more than half of those present adopt


def test_the_representative_assembly_sits_with_exactly_two_thirds(clerk):
    row, decision = record(
        Step.RESOLUTION, clerk, body=Body.REPRESENTATIVE_ASSEMBLY, expected=21, present=14, votes_for=8
    )
    assert row.adopted and decision.state == DecisionState.ADOPTED


def test_the_representative_assembly_does_not_sit_one_short_of_two_thirds(clerk):
    (message,) = refusal(
        Step.RESOLUTION, clerk, body=Body.REPRESENTATIVE_ASSEMBLY, expected=20, present=13, votes_for=13
    )
    assert "到会人数 13 不足应到 20 人的三分之二（至少 14 人）" in message
    assert "村民代表会议不能召开" in message and "《村民委员会组织法》第二十六条" in message


def test_a_resolution_with_exactly_half_of_those_present_for_it_is_not_adopted(clerk):
    row, decision = record(
        Step.RESOLUTION, clerk, body=Body.REPRESENTATIVE_ASSEMBLY, expected=20, present=14, votes_for=7
    )
    assert not row.adopted and decision.state == DecisionState.NOT_ADOPTED


def test_a_resolution_with_one_vote_more_than_half_of_those_present_is_adopted(clerk):
    row, decision = record(
        Step.RESOLUTION, clerk, body=Body.REPRESENTATIVE_ASSEMBLY, expected=20, present=14, votes_for=8
    )
    assert row.adopted and decision.state == DecisionState.ADOPTED


# --- resolution by the villagers' assembly: more than half of the adults, or 2/3 of the households -------


def test_the_villagers_assembly_does_not_sit_with_exactly_half_of_the_adults(clerk):
    (message,) = refusal(Step.RESOLUTION, clerk, body=Body.VILLAGERS_ASSEMBLY, expected=100, present=50, votes_for=50)
    assert "到会人数 50 未超过应到 100 人的半数（至少 51 人）" in message and "第二十二条" in message


def test_the_villagers_assembly_sits_with_one_more_than_half_of_the_adults(clerk):
    row, _decision = record(
        Step.RESOLUTION, clerk, body=Body.VILLAGERS_ASSEMBLY, expected=100, present=51, votes_for=26
    )
    assert row.adopted


def test_the_villagers_assembly_sits_with_representatives_of_exactly_two_thirds_of_the_households(clerk):
    row, _decision = record(
        Step.RESOLUTION,
        clerk,
        body=Body.VILLAGERS_ASSEMBLY,
        expected=100,
        present=40,
        votes_for=21,
        households=30,
        households_present=20,
    )
    assert row.adopted and row.households_present == 20


def test_the_villagers_assembly_does_not_sit_one_household_short_of_two_thirds(clerk):
    (message,) = refusal(
        Step.RESOLUTION,
        clerk,
        body=Body.VILLAGERS_ASSEMBLY,
        expected=100,
        present=40,
        votes_for=21,
        households=30,
        households_present=19,
    )
    assert "到会户代表 19 户也不足应到 30 户的三分之二（至少 20 户）" in message


def test_the_villagers_assembly_adopts_by_more_than_half_of_those_present(clerk):
    row, _decision = record(
        Step.RESOLUTION, clerk, body=Body.VILLAGERS_ASSEMBLY, expected=100, present=60, votes_for=30
    )
    assert not row.adopted
    row, _decision = record(
        Step.RESOLUTION, clerk, body=Body.VILLAGERS_ASSEMBLY, expected=100, present=60, votes_for=31
    )
    assert row.adopted


# --- the town's review: more than half sit, more than half of the members adopt ---------------------------


def test_the_towns_review_does_not_sit_with_exactly_half(official):
    with pytest.raises(ValidationError) as caught:
        record(Step.REVIEW, official, procedure=Procedure.TOWN_REVIEW, expected=8, present=4, votes_for=4)
    assert "到会人数 4 未超过应到 8 人的半数（至少 5 人）" in caught.value.message_dict["present"][0]


def test_the_towns_review_adopts_with_more_than_half_of_its_members(official):
    row, decision = record(Step.REVIEW, official, procedure=Procedure.TOWN_REVIEW, expected=8, present=5, votes_for=5)
    assert row.body == Body.TOWN and row.adopted and decision.state == DecisionState.ADOPTED
    row, decision = record(Step.REVIEW, official, procedure=Procedure.TOWN_REVIEW, expected=8, present=8, votes_for=4)
    assert not row.adopted and decision.state == DecisionState.NOT_ADOPTED


# --- a district's own rule ---------------------------------------------------------------------------


def test_a_districts_own_rule_replaces_the_default_there_and_only_there(clerk):
    QuorumRule.objects.create(
        division=division(w.DISTRICT),
        body=Body.TWO_COMMITTEES,
        quorum_numerator=2,
        quorum_denominator=3,
        quorum_strict=False,
        majority_base=MajorityBase.PRESENT,
        source="南海区两委联席会议议事规则",
    )
    (message,) = refusal(Step.CONSULTATION, clerk, expected=9, present=5, votes_for=5)
    assert "到会人数 5 不足应到 9 人的三分之二（至少 6 人）" in message and "南海区两委联席会议议事规则" in message
    assert rules.rule_for(Body.TWO_COMMITTEES, w.FAR_VILLAGE) == DEFAULT_MEETING_RULES[Body.TWO_COMMITTEES]
    row, _decision = record(Step.CONSULTATION, clerk, expected=9, present=6, votes_for=4)
    assert row.adopted  # more than half of the 6 present, under the district's majority base


# --- every rule at its boundaries in integer arithmetic, odd and even sizes (DESIGN.md section 3) -----
# "at least half" is `present * 2 >= members`, "more than half" `votes * 2 > base`, "at least 2/3"
# `present * 3 >= members * 2`: one short of each minimum fails, the minimum passes.


@pytest.mark.parametrize("base", range(1, 61))
def test_each_fraction_is_its_integer_inequality_and_its_minimum_is_the_boundary(base):
    at_least_half, more_than_half, two_thirds = Fraction(1, 2, False), Fraction(1, 2, True), Fraction(2, 3, False)
    for count in range(base + 1):
        assert at_least_half.met_by(count, base) == (count * 2 >= base)
        assert more_than_half.met_by(count, base) == (count * 2 > base)
        assert two_thirds.met_by(count, base) == (count * 3 >= base * 2)
    for fraction in (at_least_half, more_than_half, two_thirds):
        minimum = fraction.minimum(base)
        assert fraction.met_by(minimum, base) and not fraction.met_by(minimum - 1, base)


# (body, expected, present, votes for, households, households present) → (sits, adopts)
BOUNDARIES = [
    # the party committee: at least half of its members sit; more than half of its members adopt
    (Body.PARTY_COMMITTEE, 7, 3, 3, None, None, False, None),
    (Body.PARTY_COMMITTEE, 7, 4, 3, None, None, True, False),
    (Body.PARTY_COMMITTEE, 7, 4, 4, None, None, True, True),
    (Body.PARTY_COMMITTEE, 6, 6, 3, None, None, True, False),
    # the two committees: more than half of their members sit; more than half of their members adopt
    (Body.TWO_COMMITTEES, 9, 4, 4, None, None, False, None),
    (Body.TWO_COMMITTEES, 9, 5, 4, None, None, True, False),
    (Body.TWO_COMMITTEES, 9, 5, 5, None, None, True, True),
    # the party members' assembly: at least half of those entitled sit; the votes for exceed half of
    # those entitled to attend, not of those present
    (Body.PARTY_ASSEMBLY, 21, 10, 10, None, None, False, None),
    (Body.PARTY_ASSEMBLY, 21, 11, 10, None, None, True, False),
    (Body.PARTY_ASSEMBLY, 21, 11, 11, None, None, True, True),
    (Body.PARTY_ASSEMBLY, 20, 10, 10, None, None, True, False),  # all present for it: half of 20, not more
    (Body.PARTY_ASSEMBLY, 20, 11, 11, None, None, True, True),
    # the representative assembly: at least 2/3 sit; more than half of those present adopt
    (Body.REPRESENTATIVE_ASSEMBLY, 21, 13, 13, None, None, False, None),
    (Body.REPRESENTATIVE_ASSEMBLY, 22, 14, 14, None, None, False, None),
    (Body.REPRESENTATIVE_ASSEMBLY, 22, 15, 7, None, None, True, False),
    (Body.REPRESENTATIVE_ASSEMBLY, 22, 15, 8, None, None, True, True),
    # the villagers' assembly: more than half of the adults, or 2/3 of the households; more than
    # half of those present adopt
    (Body.VILLAGERS_ASSEMBLY, 101, 50, 50, None, None, False, None),
    (Body.VILLAGERS_ASSEMBLY, 101, 51, 25, None, None, True, False),
    (Body.VILLAGERS_ASSEMBLY, 101, 51, 26, None, None, True, True),
    (Body.VILLAGERS_ASSEMBLY, 101, 45, 23, 31, 20, False, None),
    (Body.VILLAGERS_ASSEMBLY, 101, 45, 22, 31, 21, True, False),
    (Body.VILLAGERS_ASSEMBLY, 101, 45, 23, 31, 21, True, True),
    # the town's review: more than half sit, more than half of its members adopt
    (Body.TOWN, 9, 4, 4, None, None, False, None),
    (Body.TOWN, 9, 9, 4, None, None, True, False),
    (Body.TOWN, 9, 5, 5, None, None, True, True),
]


@pytest.mark.parametrize(
    ("body", "expected", "present", "votes_for", "households", "households_present", "sits", "adopts"), BOUNDARIES
)
def test_each_default_rule_sits_and_adopts_at_its_boundaries(
    body, expected, present, votes_for, households, households_present, sits, adopts
):
    rule = DEFAULT_MEETING_RULES[body]
    meeting = rules.Meeting(
        expected=expected,
        present=present,
        votes_for=votes_for,
        households=households,
        households_present=households_present,
    )

    assert rules.sits(rule, meeting) == sits
    if sits:
        assert rules.adopts(rule, meeting) == adopts


def test_the_party_committee_of_7_does_not_sit_with_3_and_sits_with_4(clerk):
    (message,) = refusal(Step.PROPOSAL, clerk, expected=7, present=3, votes_for=3)
    assert "到会人数 3 不足应到 7 人的半数（至少 4 人）" in message
    row, _decision = record(Step.PROPOSAL, clerk, expected=7, present=4, votes_for=4)
    assert row.adopted


def test_the_representative_assembly_of_22_does_not_sit_with_14_and_sits_with_15(clerk):
    (message,) = refusal(
        Step.RESOLUTION, clerk, body=Body.REPRESENTATIVE_ASSEMBLY, expected=22, present=14, votes_for=14
    )
    assert "到会人数 14 不足应到 22 人的三分之二（至少 15 人）" in message
    row, _decision = record(
        Step.RESOLUTION, clerk, body=Body.REPRESENTATIVE_ASSEMBLY, expected=22, present=15, votes_for=8
    )
    assert row.adopted


def test_a_party_assembly_of_half_of_those_entitled_all_for_it_sits_but_does_not_adopt(clerk):
    row, decision = record(Step.REVIEW, clerk, expected=20, present=10, votes_for=10)
    assert not row.adopted and decision.state == DecisionState.NOT_ADOPTED
    assert "应到会 20 人的半数（至少 11 票）" in row.rule_source
