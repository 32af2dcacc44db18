"""The party members' service rules at their boundaries (engagement/services/party.py; Guangxi
§10 设岗定责): a post claimed by a member of its village once at a time, left no earlier than
claimed, points from the district's rule at the time (an activity without one refused), villagers'
points kept by their village, each write checked at the record's village and audited."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from engagement.choices import PointActivity
from engagement.models import PointEntry, PostClaim
from engagement.querysets.party import holds_on
from engagement.services import party as services
from engagement.testing.factories import PointRuleFactory, PostClaimFactory, ServicePostFactory
from governance.audit import history_of
from governance.testing import world as w
from villages.testing.factories import PartyMembershipFactory, PersonFactory, division

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def post(world):
    return ServicePostFactory(division=division(w.VILLAGE), name="环境监督岗")


@pytest.fixture
def member(world):
    return PartyMembershipFactory(branch=division(w.VILLAGE), joined_on=D(2010, 7, 1))


def test_a_member_of_the_village_claims_its_post_and_the_claim_is_audited(world, post, member):
    claim = services.claim_post(
        acting_user=world.user("village_clerk"), post=post, member=member, claimed_on=D(2026, 1, 5)
    )

    assert (claim.post, claim.member, claim.claimed_on, claim.left_on) == (post, member, D(2026, 1, 5), None)
    assert (history_of(claim)[0].pgh_context or {}).get("action") == "claim_post"


def test_a_member_of_another_village_may_not_claim_the_post(world, post):
    stranger = PartyMembershipFactory(branch=division(w.OTHER_VILLAGE_SAME_TOWN))

    with pytest.raises(ValidationError) as refused:
        services.claim_post(
            acting_user=world.user("district_admin"), post=post, member=stranger, claimed_on=D(2026, 1, 5)
        )

    assert list(refused.value.message_dict) == ["member"]


def test_a_member_holds_a_post_once_at_a_time_and_may_claim_it_again_after_leaving(world, post, member):
    clerk = world.user("village_clerk")
    first = services.claim_post(acting_user=clerk, post=post, member=member, claimed_on=D(2025, 1, 5))
    with pytest.raises(ValidationError):
        services.claim_post(acting_user=clerk, post=post, member=member, claimed_on=D(2025, 2, 5))

    services.leave_post(first, acting_user=clerk, left_on=D(2025, 6, 30))
    again = services.claim_post(acting_user=clerk, post=post, member=member, claimed_on=D(2025, 9, 1))

    assert PostClaim.objects.filter(post=post, member=member).count() == 2 and again.left_on is None


def test_two_current_claims_of_one_post_by_one_member_are_refused_by_the_database(post, member):
    PostClaimFactory(post=post, member=member)

    with pytest.raises(IntegrityError):
        PostClaimFactory(post=post, member=member, claimed_on=D(2025, 5, 1))


def test_a_claim_before_joining_the_party_or_in_the_future_is_refused(world, post, member):
    clerk = world.user("village_clerk")

    with pytest.raises(ValidationError) as early:
        services.claim_post(acting_user=clerk, post=post, member=member, claimed_on=D(2010, 6, 30))
    with pytest.raises(ValidationError) as future:
        services.claim_post(acting_user=clerk, post=post, member=member, claimed_on=D(2999, 1, 1))
    on_joining = services.claim_post(acting_user=clerk, post=post, member=member, claimed_on=D(2010, 7, 1))

    assert list(early.value.message_dict) == ["claimed_on"] and list(future.value.message_dict) == ["claimed_on"]
    assert on_joining.claimed_on == D(2010, 7, 1)


def test_a_town_official_reads_claims_but_may_not_record_one(world, post, member):
    with pytest.raises(PermissionDenied):
        services.claim_post(acting_user=world.user("town_official"), post=post, member=member, claimed_on=D(2026, 1, 5))


def test_a_post_is_left_no_earlier_than_claimed_and_not_held_from_the_day_left(world, post, member):
    clerk = world.user("village_clerk")
    claim = PostClaimFactory(post=post, member=member, claimed_on=D(2025, 3, 1))

    with pytest.raises(ValidationError) as early:
        services.leave_post(claim, acting_user=clerk, left_on=D(2025, 2, 28))
    left = services.leave_post(claim, acting_user=clerk, left_on=D(2025, 3, 1))

    assert list(early.value.message_dict) == ["left_on"]
    held = PostClaim.objects.filter(pk=claim.pk)
    assert not held.filter(holds_on(D(2025, 3, 1))).exists()
    assert left.left_on == D(2025, 3, 1)


def test_points_are_the_districts_rule_for_the_activity_at_the_time(world, member):
    rule = PointRuleFactory(district=division(w.DISTRICT), activity=PointActivity.CONTACT, points=3)
    clerk = world.user("village_clerk")

    first = services.award_points(acting_user=clerk, member=member, activity="contact", earned_on=D(2026, 1, 6))
    rule.points = 7
    rule.save()
    second = services.award_points(acting_user=clerk, member=member, activity="contact", earned_on=D(2026, 1, 7))
    first.refresh_from_db()

    assert (first.points, second.points) == (3, 7)
    assert (history_of(second)[0].pgh_context or {}).get("action") == "record_points"


def test_another_districts_rule_does_not_apply(world, member):
    PointRuleFactory(district=division(w.FAR_DISTRICT), activity=PointActivity.VISIT, points=3)

    with pytest.raises(ValidationError) as refused:
        services.award_points(
            acting_user=world.user("village_clerk"), member=member, activity="visit", earned_on=D(2026, 1, 6)
        )

    assert refused.value.message_dict == {"activity": ["本区尚未设定“走访”的积分规则，不能记分。"]}
    assert not PointEntry.objects.exists()


def test_points_are_awarded_only_where_the_user_keeps_the_village_records(world, member):
    PointRuleFactory(district=division(w.DISTRICT), activity=PointActivity.VISIT)

    for who in ("town_official", "inspector"):
        with pytest.raises(PermissionDenied):
            services.award_points(acting_user=world.user(who), member=member, activity="visit", earned_on=D(2026, 1, 6))
    elsewhere = PartyMembershipFactory(branch=division(w.OTHER_VILLAGE_SAME_TOWN))
    with pytest.raises(PermissionDenied):
        services.award_points(
            acting_user=world.user("village_clerk"), member=elsewhere, activity="visit", earned_on=D(2026, 1, 6)
        )


def test_a_villagers_points_are_kept_by_their_village_a_cooperatives_member_included(world):
    clerk = world.user("village_clerk")
    ours = PersonFactory(division=division(w.COOPERATIVE))
    stranger = PersonFactory(division=division(w.OTHER_VILLAGE_SAME_TOWN))

    kept = services.record_villager_points(
        acting_user=clerk, village_code=w.VILLAGE, person=ours, points=5, earned_on=D(2026, 2, 1)
    )
    with pytest.raises(ValidationError) as refused:
        services.record_villager_points(
            acting_user=clerk, village_code=w.VILLAGE, person=stranger, points=5, earned_on=D(2026, 2, 1)
        )
    with pytest.raises(ValidationError) as in_a_coop:
        services.record_villager_points(
            acting_user=world.user("district_admin"),
            village_code=w.COOPERATIVE,
            person=ours,
            points=5,
            earned_on=D(2026, 2, 1),
        )

    assert kept.division_id == w.VILLAGE and kept.points == 5
    assert list(refused.value.message_dict) == ["person"]
    assert list(in_a_coop.value.message_dict) == ["division"]


def test_a_post_is_set_in_a_village_with_a_name_unique_there(world, post):
    admin = world.user("district_admin")

    with pytest.raises(ValidationError) as in_a_town:
        services.create_post(acting_user=admin, village_code=w.TOWN, name="岗")
    with pytest.raises(ValidationError) as twice:
        services.create_post(acting_user=admin, village_code=w.VILLAGE, name="环境监督岗")
    elsewhere = services.create_post(acting_user=admin, village_code=w.OTHER_VILLAGE_SAME_TOWN, name="环境监督岗")

    assert list(in_a_town.value.message_dict) == ["division"] and list(twice.value.message_dict) == ["name"]
    assert elsewhere.division_id == w.OTHER_VILLAGE_SAME_TOWN
