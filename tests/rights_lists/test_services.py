"""The decision workflow and the lists (rights_lists.services): the order and dates of the steps
(R1), what a step may not claim, the expected count from the portal's records, publications,
implementation and withdrawal, the procedures of one step, versioning and adoption.

Dates are fixed in the past, so the tests pass on any day; only "not in the future" is tested
against today, with tomorrow."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from governance.audit import history_of
from governance.clock import today
from governance.testing import world as w
from governance.testing.factories import UserFactory
from rights_lists import services
from rights_lists.choices import Body, DecisionState, ListKind, ListStatus, Procedure, PublicationKind, Step
from rights_lists.models import Adoption, Decision, ListItem
from rights_lists.services import RightsListsAction
from rights_lists.testing.factories import (
    DecisionStepFactory,
    ListItemFactory,
    RightsListFactory,
    adopt,
    decision_on,
    district_template,
)
from villages.models import PositionKind
from villages.testing.factories import PartyMembershipFactory, PersonFactory, PositionFactory, division

pytestmark = pytest.mark.django_db
D = datetime.date
TOMORROW = today() + datetime.timedelta(days=1)
FIGURES = {"expected": 5, "present": 5, "votes_for": 5}


@pytest.fixture
def clerk(world):
    return world.user("village_clerk")


@pytest.fixture
def official(world):
    return world.user("town_official")


@pytest.fixture
def decision(world):
    return decision_on(w.VILLAGE)


def step(decision, who, name, held_on, **figures):
    return services.record_step(decision, acting_user=who, step=name, held_on=held_on, **(figures or FIGURES))


def through_resolution(decision, who):
    step(decision, who, Step.PROPOSAL, D(2025, 3, 1))
    step(decision, who, Step.CONSULTATION, D(2025, 3, 5))
    step(decision, who, Step.REVIEW, D(2025, 3, 10))
    step(decision, who, Step.RESOLUTION, D(2025, 3, 20), body=Body.REPRESENTATIVE_ASSEMBLY, **FIGURES)
    decision.refresh_from_db()
    return decision


def errors_of(caught, field):
    return " ".join(caught.value.message_dict[field])


# --- opening a decision --------------------------------------------------------------------------


def test_a_decision_is_opened_on_an_item_of_a_template_its_village_adopted(clerk, world):
    item = district_template().items.get(number="1")
    adopt(item.list, w.VILLAGE)

    decision = services.open_decision(acting_user=clerk, division=division(w.VILLAGE), item=item, title="鱼塘发包")

    assert decision.state == DecisionState.OPEN and decision.procedure == Procedure.FOUR_DELIBERATIONS
    assert {event.pgh_context["action"] for event in history_of(decision)} == {RightsListsAction.OPEN_DECISION}


def test_a_decision_on_an_item_not_in_force_in_the_village_is_refused(clerk, world):
    item = district_template().items.get(number="1")  # not adopted by the village

    with pytest.raises(ValidationError) as caught:
        services.open_decision(acting_user=clerk, division=division(w.VILLAGE), item=item, title="鱼塘发包")

    assert "现行的清单" in errors_of(caught, "item")


def test_a_cooperative_decides_on_the_lists_in_force_in_its_village(clerk, world):
    item = district_template().items.get(number="1")
    adopt(item.list, w.VILLAGE)

    decision = services.open_decision(
        acting_user=clerk, division=division(w.COOPERATIVE), item=item, title="社集体资产"
    )

    assert decision.division_id == w.COOPERATIVE


def test_an_amount_above_the_items_threshold_raises_the_procedure_to_the_full_one(clerk, world):
    item = district_template().items.get(number="2")  # committee, full procedure above 50,000 yuan
    adopt(item.list, w.VILLAGE)
    village = division(w.VILLAGE)

    at_threshold = services.open_decision(
        acting_user=clerk, division=village, item=item, title="小额工程", amount_fen=5_000_000
    )
    above = services.open_decision(acting_user=clerk, division=village, item=item, title="工程", amount_fen=5_000_001)

    assert at_threshold.procedure == Procedure.COMMITTEE
    assert above.procedure == Procedure.FOUR_DELIBERATIONS


def test_only_those_who_may_add_decisions_in_the_village_open_one(world):
    item = district_template().items.get(number="1")
    adopt(item.list, w.OTHER_VILLAGE_SAME_TOWN)

    with pytest.raises(PermissionDenied):
        services.open_decision(
            acting_user=world.user("village_clerk"), division=division(w.OTHER_VILLAGE_SAME_TOWN), item=item, title="x"
        )


# --- order, dates, figures (R1) -----------------------------------------------------------------------


def test_a_step_out_of_order_is_refused_naming_the_step_it_skips(decision, clerk):
    with pytest.raises(ValidationError) as caught:
        step(decision, clerk, Step.CONSULTATION, D(2025, 3, 5))

    assert "应先登记“党组织提议”，再登记“两委会议商议”" in errors_of(caught, "step")
    assert not decision.steps.exists()


def test_a_step_recorded_twice_is_refused(decision, clerk):
    step(decision, clerk, Step.PROPOSAL, D(2025, 3, 1))

    with pytest.raises(ValidationError) as caught:
        step(decision, clerk, Step.PROPOSAL, D(2025, 3, 2))

    assert "不能重复登记" in errors_of(caught, "step")


def test_a_step_dated_before_the_step_before_it_is_refused(decision, clerk):
    step(decision, clerk, Step.PROPOSAL, D(2025, 3, 10))

    with pytest.raises(ValidationError) as caught:
        step(decision, clerk, Step.CONSULTATION, D(2025, 3, 9))

    assert "召开日期 2025-03-09 早于上一步骤“党组织提议”的日期 2025-03-10" in errors_of(caught, "held_on")


def test_a_step_on_the_same_day_as_the_step_before_is_recorded(decision, clerk):
    step(decision, clerk, Step.PROPOSAL, D(2025, 3, 10))
    assert step(decision, clerk, Step.CONSULTATION, D(2025, 3, 10)).adopted


def test_a_step_dated_in_the_future_is_refused(decision, clerk):
    with pytest.raises(ValidationError) as caught:
        step(decision, clerk, Step.PROPOSAL, TOMORROW)
    assert "held_on" in caught.value.message_dict


def test_more_votes_than_people_present_are_refused(decision, clerk):
    with pytest.raises(ValidationError) as caught:
        step(decision, clerk, Step.PROPOSAL, D(2025, 3, 1), expected=7, present=5, votes_for=4, abstentions=2)

    assert "赞成、反对、弃权合计 6 票，多于实到人数 5" in errors_of(caught, "votes_for")


def test_as_many_votes_as_people_present_are_recorded(decision, clerk):
    row = step(decision, clerk, Step.PROPOSAL, D(2025, 3, 1), expected=7, present=5, votes_for=4, abstentions=1)
    assert row.votes_for + row.votes_against + row.abstentions == row.present


def test_more_people_present_than_expected_are_refused(decision, clerk):
    with pytest.raises(ValidationError) as caught:
        step(decision, clerk, Step.PROPOSAL, D(2025, 3, 1), expected=5, present=6, votes_for=6)

    assert "实到人数 6 多于应到人数 5" in errors_of(caught, "present")


def test_the_resolution_needs_one_of_the_two_assemblies(decision, clerk):
    decision = through_resolution(decision, clerk)  # recorded with the representative assembly
    assert decision.steps.get(step=Step.RESOLUTION).body == Body.REPRESENTATIVE_ASSEMBLY
    other = decision_on(w.VILLAGE)
    for name, held_on in (
        (Step.PROPOSAL, D(2025, 3, 1)),
        (Step.CONSULTATION, D(2025, 3, 2)),
        (Step.REVIEW, D(2025, 3, 3)),
    ):
        step(other, clerk, name, held_on)

    with pytest.raises(ValidationError) as caught:
        step(other, clerk, Step.RESOLUTION, D(2025, 3, 4), body=Body.TWO_COMMITTEES, **FIGURES)

    assert "村民代表会议" in errors_of(caught, "body")


def test_a_step_the_procedure_does_not_have_is_refused(clerk, world):
    decision = decision_on(w.VILLAGE, Procedure.COMMITTEE)

    with pytest.raises(ValidationError) as caught:
        step(decision, clerk, Step.PROPOSAL, D(2025, 3, 1))

    assert "没有“党组织提议”这一步骤" in errors_of(caught, "step")


def test_nothing_more_is_recorded_on_a_decision_not_adopted(decision, clerk):
    step(decision, clerk, Step.PROPOSAL, D(2025, 3, 1), expected=5, present=5, votes_for=2)
    decision.refresh_from_db()
    assert decision.state == DecisionState.NOT_ADOPTED

    with pytest.raises(ValidationError) as caught:
        step(decision, clerk, Step.CONSULTATION, D(2025, 3, 5))

    assert "未通过" in errors_of(caught, "step")


# --- the expected count from the records --------------------------------------------------------------


def test_the_party_assembly_expects_the_villages_party_members_when_no_figure_is_given(decision, clerk):
    for _ in range(4):
        PartyMembershipFactory(branch=division(w.VILLAGE))
    step(decision, clerk, Step.PROPOSAL, D(2025, 3, 1))
    step(decision, clerk, Step.CONSULTATION, D(2025, 3, 2))

    row = step(decision, clerk, Step.REVIEW, D(2025, 3, 3), present=3, votes_for=3)

    assert (row.expected, row.expected_from_records, row.expected_differs) == (4, 4, False)


def test_an_expected_figure_that_differs_from_the_records_is_kept_and_flagged(decision, clerk):
    for _ in range(4):
        PartyMembershipFactory(branch=division(w.VILLAGE))
    step(decision, clerk, Step.PROPOSAL, D(2025, 3, 1))
    step(decision, clerk, Step.CONSULTATION, D(2025, 3, 2))

    row = step(decision, clerk, Step.REVIEW, D(2025, 3, 3), expected=6, present=4, votes_for=4)

    assert (row.expected, row.expected_from_records, row.expected_differs) == (6, 4, True)


def test_the_representative_assembly_expects_the_current_villager_representatives(decision, clerk):
    village = division(w.VILLAGE)
    for _ in range(3):
        PositionFactory(division=village, kind=PositionKind.VILLAGER_REPRESENTATIVE, started_on=D(2021, 3, 1))
    PositionFactory(
        division=village, kind=PositionKind.VILLAGER_REPRESENTATIVE, started_on=D(2021, 3, 1), ended_on=D(2024, 1, 1)
    )
    for name, held_on in (
        (Step.PROPOSAL, D(2025, 3, 1)),
        (Step.CONSULTATION, D(2025, 3, 2)),
        (Step.REVIEW, D(2025, 3, 3)),
    ):
        step(decision, clerk, name, held_on)

    row = step(
        decision, clerk, Step.RESOLUTION, D(2025, 3, 4), body=Body.REPRESENTATIVE_ASSEMBLY, present=2, votes_for=2
    )

    assert (row.expected, row.expected_from_records) == (3, 3)


def test_a_meeting_the_records_know_nothing_of_needs_its_expected_figure(decision, clerk):
    with pytest.raises(ValidationError) as caught:
        step(decision, clerk, Step.PROPOSAL, D(2025, 3, 1), present=3, votes_for=3)
    assert "expected" in caught.value.message_dict


# --- publications, implementation, withdrawal ------------------------------------------------------------


def test_a_full_decision_goes_from_proposal_to_its_published_outcome(decision, clerk):
    decision = through_resolution(decision, clerk)
    assert decision.state == DecisionState.ADOPTED

    services.publish_decision(decision, acting_user=clerk, kind=PublicationKind.RESOLUTION, published_on=D(2025, 3, 21))
    services.record_implementation(decision, acting_user=clerk, done_on=D(2025, 5, 1), summary="已签订承包合同。")
    services.publish_decision(decision, acting_user=clerk, kind=PublicationKind.OUTCOME, published_on=D(2025, 5, 3))

    decision.refresh_from_db()
    assert decision.state == DecisionState.CLOSED
    assert list(decision.publications.values_list("kind", flat=True)) == ["resolution", "outcome"]


def test_the_resolution_is_not_published_before_it_is_adopted(decision, clerk):
    step(decision, clerk, Step.PROPOSAL, D(2025, 3, 1))

    with pytest.raises(ValidationError) as caught:
        services.publish_decision(
            decision, acting_user=clerk, kind=PublicationKind.RESOLUTION, published_on=D(2025, 3, 2)
        )

    assert "kind" in caught.value.message_dict


def test_the_resolution_is_not_published_before_the_day_it_was_resolved(decision, clerk):
    decision = through_resolution(decision, clerk)

    with pytest.raises(ValidationError) as caught:
        services.publish_decision(
            decision, acting_user=clerk, kind=PublicationKind.RESOLUTION, published_on=D(2025, 3, 19)
        )

    assert "2025-03-20" in errors_of(caught, "published_on")


def test_nothing_is_implemented_before_its_resolution_is_published(decision, clerk):
    decision = through_resolution(decision, clerk)

    with pytest.raises(ValidationError) as caught:
        services.record_implementation(decision, acting_user=clerk, done_on=D(2025, 4, 1), summary="已实施。")

    assert "决议公开后" in errors_of(caught, "done_on")


def test_the_outcome_is_not_published_before_implementation(decision, clerk):
    decision = through_resolution(decision, clerk)
    services.publish_decision(decision, acting_user=clerk, kind=PublicationKind.RESOLUTION, published_on=D(2025, 3, 21))

    with pytest.raises(ValidationError) as caught:
        services.publish_decision(decision, acting_user=clerk, kind=PublicationKind.OUTCOME, published_on=D(2025, 4, 1))

    assert "kind" in caught.value.message_dict


def test_the_outcome_is_not_published_before_the_implementation_was_done(decision, clerk):
    decision = through_resolution(decision, clerk)
    services.publish_decision(decision, acting_user=clerk, kind=PublicationKind.RESOLUTION, published_on=D(2025, 3, 21))
    services.record_implementation(decision, acting_user=clerk, done_on=D(2025, 5, 1), summary="已实施。")

    with pytest.raises(ValidationError) as caught:
        services.publish_decision(
            decision, acting_user=clerk, kind=PublicationKind.OUTCOME, published_on=D(2025, 4, 30)
        )

    assert "published_on" in caught.value.message_dict


def test_a_withdrawn_decision_keeps_its_reason_and_its_steps(decision, clerk):
    step(decision, clerk, Step.PROPOSAL, D(2025, 3, 1))

    services.withdraw_decision(decision, acting_user=clerk, reason="项目取消。", withdrawn_on=D(2025, 3, 3))

    decision = Decision.objects.get(pk=decision.pk)
    assert decision.state == DecisionState.WITHDRAWN and decision.withdrawal_reason == "项目取消。"
    assert decision.steps.count() == 1


def test_a_decision_is_not_withdrawn_without_a_reason_nor_once_implemented(decision, clerk):
    with pytest.raises(ValidationError):
        services.withdraw_decision(decision, acting_user=clerk, reason="  ")
    decision = through_resolution(decision, clerk)
    services.publish_decision(decision, acting_user=clerk, kind=PublicationKind.RESOLUTION, published_on=D(2025, 3, 21))
    services.record_implementation(decision, acting_user=clerk, done_on=D(2025, 5, 1), summary="已实施。")

    with pytest.raises(ValidationError) as caught:
        services.withdraw_decision(decision, acting_user=clerk, reason="改变主意。")

    assert "不能撤回" in errors_of(caught, "reason")


# --- the procedures of one step --------------------------------------------------------------------------


def test_a_committee_decision_is_adopted_by_its_one_consultation(clerk, world):
    decision = decision_on(w.VILLAGE, Procedure.COMMITTEE)

    step(decision, clerk, Step.CONSULTATION, D(2025, 3, 1), expected=7, present=5, votes_for=4)

    decision.refresh_from_db()
    assert decision.state == DecisionState.ADOPTED


def test_the_towns_review_is_recorded_by_the_town_not_the_village(clerk, official, world):
    decision = decision_on(w.VILLAGE, Procedure.TOWN_REVIEW)

    with pytest.raises(PermissionDenied):
        step(decision, clerk, Step.REVIEW, D(2025, 3, 1))
    step(decision, official, Step.REVIEW, D(2025, 3, 1))

    decision.refresh_from_db()
    assert decision.state == DecisionState.ADOPTED
    services.publish_decision(decision, acting_user=clerk, kind=PublicationKind.RESOLUTION, published_on=D(2025, 3, 2))


def test_the_town_official_records_no_step_of_the_villages_own_procedure(decision, official):
    with pytest.raises(PermissionDenied):
        step(decision, official, Step.PROPOSAL, D(2025, 3, 1))


# --- lists: versions, publication, adoption -----------------------------------------------------------


def test_a_new_version_copies_every_item_and_decisions_keep_the_item_they_were_made_under(world):
    admin = world.user("district_admin")
    template = district_template()
    adopt(template, w.VILLAGE)
    decision = decision_on(w.VILLAGE)
    old_item = decision.item

    draft = services.new_version(template, acting_user=admin)
    ListItemFactory(list=draft, number="4", title="新增事项")
    services.publish_list(draft, acting_user=admin, valid_from=D(2025, 1, 1))

    template.refresh_from_db()
    assert (draft.version, template.status, template.valid_until) == (2, ListStatus.SUPERSEDED, D(2024, 12, 31))
    assert list(draft.items.values_list("number", "title")[:3]) == list(template.items.values_list("number", "title"))
    assert Decision.objects.get(pk=decision.pk).item_id == old_item.pk and old_item.list_id == template.pk
    assert Adoption.objects.get(division_id=w.VILLAGE).template_id == draft.pk
    numbers = ListItem.objects.in_force_for(w.VILLAGE).values_list("number", flat=True)
    assert sorted(numbers) == ["1", "2", "3", "4"]


def test_a_list_has_one_draft_at_a_time(world):
    admin = world.user("district_admin")
    template = district_template()
    services.new_version(template, acting_user=admin)

    with pytest.raises(ValidationError):
        services.new_version(template, acting_user=admin)


def test_items_in_force_are_the_divisions_own_and_its_adopted_templates_within_their_validity(world):
    template = district_template()
    adopt(template, w.VILLAGE)
    own = RightsListFactory(owner=division(w.VILLAGE), kind=ListKind.PETTY_POWER)
    ListItemFactory(list=own, number="村1")
    expired = RightsListFactory(owner=division(w.VILLAGE), kind=ListKind.SOCIAL_MANAGEMENT, valid_until=D(2024, 6, 30))
    ListItemFactory(list=expired, number="旧1")
    RightsListFactory(owner=division(w.VILLAGE), kind=ListKind.NEGATIVE, status=ListStatus.DRAFT, valid_from=None)

    numbers = set(ListItem.objects.in_force_for(w.VILLAGE).values_list("number", flat=True))

    assert numbers == {"1", "2", "3", "村1"}
    assert set(ListItem.objects.in_force_for(w.OTHER_VILLAGE_SAME_TOWN).values_list("number", flat=True)) == set()
    on_expiry = ListItem.objects.in_force_for(w.VILLAGE, on=D(2024, 6, 30)).values_list("number", flat=True)
    assert "旧1" in set(on_expiry)


def test_a_town_adopts_a_template_in_all_its_villages_in_one_insert(official, world):
    for number in range(3, 8):
        division(f"{w.TOWN}{number:03d}")
    retired = division(f"{w.TOWN}009", retired_on=D(2023, 1, 1))
    template = district_template()
    adopt(template, w.VILLAGE)  # already adopted there: left as it is

    with CaptureQueriesContext(connection) as captured:
        count = services.adopt_template(template, acting_user=official, town=division(w.TOWN), adopted_on=D(2025, 1, 1))

    inserts = [query["sql"] for query in captured if 'INSERT INTO "rights_lists_adoption"' in query["sql"]]
    assert len(inserts) == 1
    adopted = set(Adoption.objects.filter(template=template).values_list("division_id", flat=True))
    villages = {w.VILLAGE, w.OTHER_VILLAGE_SAME_TOWN, *(f"{w.TOWN}{n:03d}" for n in range(3, 8))}
    assert adopted == villages and retired.code not in adopted
    assert count == len(villages) - 1
    assert not adopted & {w.OTHER_TOWN_VILLAGE}


def test_a_town_adopts_nothing_outside_its_jurisdiction_nor_a_draft(official, world):
    template = district_template()
    with pytest.raises(PermissionDenied):
        services.adopt_template(template, acting_user=official, town=division(w.OTHER_TOWN))
    draft = RightsListFactory(kind=ListKind.PETTY_POWER, status=ListStatus.DRAFT, valid_from=None)
    with pytest.raises(ValidationError):
        services.adopt_template(draft, acting_user=official, town=division(w.TOWN))


def test_a_villages_own_list_is_no_template_to_adopt(official, world):
    own = RightsListFactory(owner=division(w.VILLAGE), kind=ListKind.PETTY_POWER)
    with pytest.raises(ValidationError) as caught:
        services.adopt_template(own, acting_user=official, town=division(w.TOWN))
    assert "template" in caught.value.message_dict


def test_the_village_clerk_creates_its_own_list_as_a_draft(clerk, world):
    rights_list = services.create_list(
        acting_user=clerk, owner=division(w.VILLAGE), kind=ListKind.PETTY_POWER, title="罗村小微权力清单"
    )
    assert (rights_list.version, rights_list.status) == (1, ListStatus.DRAFT)
    with pytest.raises(PermissionDenied):
        services.create_list(acting_user=clerk, owner=division(w.DISTRICT), kind=ListKind.PETTY_POWER, title="x")


def test_a_list_without_items_is_not_published(world):
    draft = RightsListFactory(kind=ListKind.PETTY_POWER, status=ListStatus.DRAFT, valid_from=None)
    with pytest.raises(ValidationError):
        services.publish_list(draft, acting_user=world.user("district_admin"), valid_from=D(2025, 1, 1))


def test_a_person_is_not_needed_to_record_a_decision(decision):
    """Decisions carry no personal data: the report reader reads them (grants) without masking."""
    assert not [field for field in Decision._meta.fields if field.name in ("person", "id_number", "phone")]
    PersonFactory(division=division(w.VILLAGE))
    assert UserFactory()
    assert DecisionStepFactory(decision=decision).adopted
