import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from governance.testing import world as w
from governance.testing.factories import UserFactory, assign
from villages import services
from villages.models import Division, FilingStatus, Person, PositionFiling, PositionKind
from villages.testing.factories import PositionFactory, division

pytestmark = pytest.mark.django_db


@pytest.fixture
def cooperative_head(world):
    return PositionFactory(division=division(w.COOPERATIVE), kind=PositionKind.COOPERATIVE_HEAD)


def test_a_cooperative_head_is_filed_with_the_town(world, cooperative_head):
    filing = services.submit_filing(cooperative_head, acting_user=world.user("village_clerk"))
    assert filing.filed_with_id == w.TOWN
    assert filing.status == FilingStatus.SUBMITTED


def test_a_party_secretary_is_filed_with_the_county(world):
    secretary = PositionFactory(division=division(w.VILLAGE), kind=PositionKind.PARTY_SECRETARY)
    filing = services.submit_filing(secretary, acting_user=world.user("village_clerk"))
    assert filing.filed_with_id == w.DISTRICT


def test_a_villager_representative_is_not_filed(world):
    representative = PositionFactory(division=division(w.VILLAGE))
    with pytest.raises(ValidationError):
        services.submit_filing(representative, acting_user=world.user("village_clerk"))


def test_a_position_cannot_be_filed_twice_while_the_first_filing_stands(world, cooperative_head):
    services.submit_filing(cooperative_head, acting_user=world.user("village_clerk"))
    with pytest.raises(ValidationError):
        services.submit_filing(cooperative_head, acting_user=world.user("village_clerk"))


def test_a_clerk_of_another_town_cannot_file_a_position_here(world, cooperative_head):
    stranger = UserFactory(username="clerk_elsewhere")
    assign(stranger, w.OTHER_TOWN_VILLAGE, "village_clerk")
    with pytest.raises(PermissionDenied):
        services.submit_filing(cooperative_head, acting_user=stranger)


def test_the_town_official_accepts_a_filing_submitted_by_the_clerk(world, cooperative_head):
    filing = services.submit_filing(cooperative_head, acting_user=world.user("village_clerk"))
    decided = services.decide_filing(filing, acting_user=world.user("town_official"), accept=True, note="同意")
    assert decided.status == FilingStatus.ACCEPTED
    assert decided.decided_by == world.user("town_official")


def test_nobody_approves_their_own_submission(world, cooperative_head):
    official = world.user("town_official")
    filing = services.submit_filing(cooperative_head, acting_user=official)
    with pytest.raises(PermissionDenied):
        services.decide_filing(filing, acting_user=official, accept=True)
    filing.refresh_from_db()
    assert filing.status == FilingStatus.SUBMITTED


def test_a_town_official_cannot_decide_a_filing_made_with_the_county(world):
    secretary = PositionFactory(division=division(w.VILLAGE), kind=PositionKind.PARTY_SECRETARY)
    filing = services.submit_filing(secretary, acting_user=world.user("village_clerk"))
    with pytest.raises(PermissionDenied):
        services.decide_filing(filing, acting_user=world.user("town_official"), accept=True)
    decided = services.decide_filing(filing, acting_user=world.user("district_admin"), accept=False, note="材料不全")
    assert decided.status == FilingStatus.RETURNED


def test_a_decided_filing_cannot_be_decided_again(world, cooperative_head):
    filing = services.submit_filing(cooperative_head, acting_user=world.user("village_clerk"))
    services.decide_filing(filing, acting_user=world.user("town_official"), accept=True)
    with pytest.raises(ValidationError):
        services.decide_filing(filing, acting_user=world.user("district_admin"), accept=False)


def test_a_merged_village_keeps_its_people_and_names_its_successor(world):
    person = Person.objects.create(
        name="李四", id_number="11010519491231002X", division=division(w.OTHER_VILLAGE_SAME_TOWN)
    )
    retired = services.retire_division(
        division(w.OTHER_VILLAGE_SAME_TOWN),
        into=division(w.VILLAGE),
        on=datetime.date(2024, 1, 1),
        acting_user=world.user("district_admin"),
    )
    assert retired.retired_on == datetime.date(2024, 1, 1)
    assert retired.merged_into_id == w.VILLAGE
    person.refresh_from_db()
    assert person.division_id == w.OTHER_VILLAGE_SAME_TOWN
    assert Division.objects.active().filter(code=w.OTHER_VILLAGE_SAME_TOWN).count() == 0


def test_a_division_cannot_merge_into_another_level_or_itself(world):
    admin = world.user("district_admin")
    with pytest.raises(ValidationError):
        services.retire_division(
            division(w.VILLAGE), into=division(w.TOWN), on=datetime.date(2024, 1, 1), acting_user=admin
        )
    with pytest.raises(ValidationError):
        services.retire_division(
            division(w.VILLAGE), into=division(w.VILLAGE), on=datetime.date(2024, 1, 1), acting_user=admin
        )


def test_only_those_who_may_change_both_divisions_can_merge_them(world):
    with pytest.raises(PermissionDenied):
        services.retire_division(
            division(w.OTHER_VILLAGE_SAME_TOWN),
            into=division(w.VILLAGE),
            on=datetime.date(2024, 1, 1),
            acting_user=world.user("town_official"),
        )


def test_the_rollup_counts_villages_and_cooperatives_per_town(world):
    rollup = Division.objects.rollup(w.DISTRICT)
    assert rollup[w.TOWN] == {"cooperative": 2, "village": 2}
    assert rollup[w.OTHER_TOWN] == {"village": 1}


def test_the_rollup_leaves_retired_divisions_out(world):
    services.retire_division(
        division(w.OTHER_COOPERATIVE_SAME_VILLAGE),
        into=division(w.COOPERATIVE),
        on=datetime.date(2024, 1, 1),
        acting_user=world.user("district_admin"),
    )
    assert Division.objects.rollup(w.TOWN)[w.VILLAGE] == {"cooperative": 1}


def test_a_division_cannot_merge_into_one_already_retired(world):
    admin = world.user("district_admin")
    services.retire_division(
        division(w.OTHER_VILLAGE_SAME_TOWN), into=division(w.VILLAGE), on=datetime.date(2024, 1, 1), acting_user=admin
    )
    with pytest.raises(ValidationError) as raised:
        services.retire_division(
            division(w.VILLAGE),
            into=division(w.OTHER_VILLAGE_SAME_TOWN),
            on=datetime.date(2024, 2, 1),
            acting_user=admin,
        )
    assert "into" in raised.value.message_dict


def test_a_retired_division_cannot_be_retired_again(world):
    admin = world.user("district_admin")
    services.retire_division(
        division(w.OTHER_VILLAGE_SAME_TOWN), into=division(w.VILLAGE), on=datetime.date(2024, 1, 1), acting_user=admin
    )
    with pytest.raises(ValidationError) as raised:
        services.retire_division(
            division(w.OTHER_VILLAGE_SAME_TOWN),
            into=division(w.VILLAGE),
            on=datetime.date(2024, 2, 1),
            acting_user=admin,
        )
    assert "division" in raised.value.message_dict


@pytest.mark.parametrize(
    ("kind", "latest_status", "offered"),
    [
        (PositionKind.COOPERATIVE_HEAD, None, True),
        (PositionKind.COOPERATIVE_HEAD, FilingStatus.SUBMITTED, False),
        (PositionKind.COOPERATIVE_HEAD, FilingStatus.ACCEPTED, False),
        (PositionKind.COOPERATIVE_HEAD, FilingStatus.RETURNED, True),  # filed again after a return
        (PositionKind.COOPERATIVE_COMMITTEE_MEMBER, None, False),  # not a filed post
    ],
)
def test_filing_is_offered_when_the_service_would_accept_it(world, kind, latest_status, offered):
    position = PositionFactory(division=division(w.COOPERATIVE), kind=kind)
    clerk = world.user("village_clerk")
    latest = None
    if latest_status is not None:
        latest = PositionFiling.objects.create(
            position=position, filed_with_id=w.TOWN, submitted_by=world.user("district_admin"), status=latest_status
        )

    assert services.may_submit_filing(clerk, position, latest) is offered
    assert services.may_submit_filing(world.user("coop_clerk"), position, None) is False  # views cadres only


def test_each_workflow_action_is_named_in_the_audit_trail_with_its_acting_user(world, cooperative_head):
    from governance.audit import history_of

    clerk, official = world.user("village_clerk"), world.user("town_official")
    filing = services.submit_filing(cooperative_head, acting_user=clerk)
    services.decide_filing(filing, acting_user=official, accept=False, note="材料不全")

    contexts = [(event.pgh_label, event.pgh_context) for event in history_of(filing)]

    assert ("update", {"user": official.pk, "action": services.VillagesAction.DECIDE_FILING.value}) in [
        (label, {key: context.get(key) for key in ("user", "action")}) for label, context in contexts
    ]
    assert ("insert", {"user": clerk.pk, "action": "submit_filing"}) in [
        (label, {key: context.get(key) for key in ("user", "action")}) for label, context in contexts
    ]
