"""Party members' service (党员设岗定责、积分, Guangxi §10): claiming a village's service post and
leaving it, awarding a party member the points the district's rule sets for an activity, and
recording a villager's points where the village keeps them.

Each function is atomic, takes the acting user by keyword, re-checks their right at the record's
village inside its transaction and writes the audit trail under its action's name.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from engagement.choices import PointActivity
from engagement.models import PointEntry, PointRule, PostClaim, ServicePost, VillagerPointEntry
from engagement.services.actions import EngagementAction
from governance.audit import acting_as
from governance.guards import not_in_the_future, require_permission_at
from villages.choices import Level
from villages.models import level_for_code

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from villages.models import PartyMembership, Person


def create_post(*, acting_user: AbstractBaseUser, village_code: str, name: str, duty: str = "") -> ServicePost:
    """A village's service post (服务岗). A post is set in a village or community, its name unique
    there."""
    with transaction.atomic(), acting_as(acting_user, action=EngagementAction.CREATE_POST):
        require_permission_at(acting_user, "engagement.add_servicepost", village_code)
        if level_for_code(village_code) != Level.VILLAGE:
            raise ValidationError({"division": [_("服务岗设在村（社区）。")]})
        if ServicePost.objects.filter(division_id=village_code, name=name).exists():
            raise ValidationError({"name": [_("本村（社区）已有同名服务岗。")]})
        post = ServicePost(division_id=village_code, name=name, duty=duty)
        post.full_clean()
        post.save()
        return post


def claim_post(
    *, acting_user: AbstractBaseUser, post: ServicePost, member: PartyMembership, claimed_on: datetime.date
) -> PostClaim:
    """A party member of the post's village claims it (认岗) from `claimed_on`; a member holds a
    post once at a time (the database says so too)."""
    with transaction.atomic(), acting_as(acting_user, action=EngagementAction.CLAIM_POST):
        post = ServicePost.objects.select_for_update().get(pk=post.pk)
        require_permission_at(acting_user, "engagement.add_postclaim", post.division_id)
        if member.branch_id != post.division_id:
            raise ValidationError({"member": [_("只有本村（社区）党组织的党员可以认领该服务岗。")]})
        not_in_the_future("claimed_on", claimed_on)
        if member.joined_on > claimed_on:
            raise ValidationError({"claimed_on": [_("认岗日期不能早于入党日期。")]})
        if PostClaim.objects.filter(post=post, member=member, left_on__isnull=True).exists():
            raise ValidationError({"member": [_("该党员已认领此服务岗。")]})
        claim = PostClaim(post=post, member=member, claimed_on=claimed_on)
        claim.full_clean(validate_constraints=False)
        claim.save()
        return claim


def leave_post(claim: PostClaim, *, acting_user: AbstractBaseUser, left_on: datetime.date) -> PostClaim:
    """The member leaves the post on `left_on` (离岗): from that day they no longer hold it."""
    with transaction.atomic(), acting_as(acting_user, action=EngagementAction.LEAVE_POST):
        claim = PostClaim.objects.select_for_update().select_related("post", "member").get(pk=claim.pk)
        require_permission_at(acting_user, "engagement.change_postclaim", claim.post.division_id)
        if claim.left_on is not None:
            raise ValidationError({"left_on": [_("该党员已离开此服务岗。")]})
        not_in_the_future("left_on", left_on)
        if left_on < claim.claimed_on:
            raise ValidationError({"left_on": [_("离岗日期不能早于认岗日期。")]})
        claim.left_on = left_on
        claim.save(update_fields=["left_on"])
        return claim


NO_RULE = _("本区尚未设定“%(activity)s”的积分规则，不能记分。")


def award_points(
    *,
    acting_user: AbstractBaseUser,
    member: PartyMembership,
    activity: str,
    earned_on: datetime.date,
    note: str = "",
) -> PointEntry:
    """Points for a party member's activity on a day: as many as their district's rule for the
    activity sets when they are awarded (kept on the entry: a later change of the rule changes no
    past entry). An activity the district has no rule for is refused (400 on `activity`)."""
    with transaction.atomic(), acting_as(acting_user, action=EngagementAction.RECORD_POINTS):
        require_permission_at(acting_user, "engagement.add_pointentry", member.branch_id)
        if activity not in PointActivity.values:
            raise ValidationError({"activity": [_("积分项目无效。")]})
        not_in_the_future("earned_on", earned_on)
        rule = PointRule.objects.of_district_of(member.branch_id).filter(activity=activity).first()
        if rule is None:
            raise ValidationError({"activity": [NO_RULE % {"activity": PointActivity(activity).label}]})
        entry = PointEntry(member=member, activity=activity, points=rule.points, earned_on=earned_on, note=note)
        entry.full_clean()
        entry.save()
        return entry


def record_villager_points(
    *,
    acting_user: AbstractBaseUser,
    village_code: str,
    person: Person,
    points: int,
    earned_on: datetime.date,
    note: str = "",
) -> VillagerPointEntry:
    """A villager's points, where the village keeps them: the person is registered in the village
    or one of its cooperatives."""
    with transaction.atomic(), acting_as(acting_user, action=EngagementAction.RECORD_VILLAGER_POINTS):
        require_permission_at(acting_user, "engagement.add_villagerpointentry", village_code)
        if level_for_code(village_code) != Level.VILLAGE:
            raise ValidationError({"division": [_("村民积分由村（社区）记录。")]})
        if not person.division_id.startswith(village_code):
            raise ValidationError({"person": [_("该村民不在本村（社区）登记。")]})
        not_in_the_future("earned_on", earned_on)
        entry = VillagerPointEntry(
            division_id=village_code, person=person, points=points, earned_on=earned_on, note=note
        )
        entry.full_clean()
        entry.save()
        return entry


__all__ = ["NO_RULE", "award_points", "claim_post", "create_post", "leave_post", "record_villager_points"]
