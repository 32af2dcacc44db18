"""Party members' service (党员设岗定责、积分): service posts claimed, points by the district's rules."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from engagement.choices import PointActivity
from engagement.querysets.party import PointRuleQuerySet
from governance.audit import track_history
from governance.base_models import ScopedModel


@track_history
class ServicePost(ScopedModel):
    """A service post of a village (服务岗: e.g. 政策宣传岗, 环境监督岗)."""

    division = models.ForeignKey(
        "villages.Division", verbose_name=_("村（社区）"), on_delete=models.PROTECT, related_name="service_posts"
    )
    name = models.CharField(_("岗位名称"), max_length=60)
    duty = models.TextField(_("岗位职责"), blank=True)

    class Meta:
        verbose_name = _("党员服务岗")
        verbose_name_plural = _("党员服务岗")
        ordering = ["division_id", "name"]
        constraints = [models.UniqueConstraint(fields=["division", "name"], name="service_post_unique_name")]

    def __str__(self) -> str:
        return self.name


@track_history
class PostClaim(ScopedModel):
    """A party member claims a post (认岗), from a day, until they leave it."""

    scope_field = "member__branch__code"

    post = models.ForeignKey(ServicePost, verbose_name=_("服务岗"), on_delete=models.PROTECT, related_name="claims")
    member = models.ForeignKey(
        "villages.PartyMembership", verbose_name=_("党员"), on_delete=models.PROTECT, related_name="post_claims"
    )
    claimed_on = models.DateField(_("认岗日期"))
    left_on = models.DateField(_("离岗日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("认岗记录")
        verbose_name_plural = _("认岗记录")
        constraints = [
            models.UniqueConstraint(
                fields=["post", "member"], condition=models.Q(left_on__isnull=True), name="post_claim_once_at_a_time"
            )
        ]


@track_history
class PointRule(ScopedModel):
    """How many points an activity earns, as the district sets it (党员积分规则)."""

    scope_field = "district__code"

    district = models.ForeignKey(
        "villages.Division", verbose_name=_("区县"), on_delete=models.PROTECT, related_name="point_rules"
    )
    activity = models.CharField(_("积分项目"), max_length=20, choices=PointActivity.choices)
    points = models.PositiveSmallIntegerField(_("每次积分"))
    description = models.CharField(_("说明"), max_length=200, blank=True)

    # Read from above: the district's data, read by whoever works in the district (readable_by).
    objects = PointRuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("积分规则")
        verbose_name_plural = _("积分规则")
        constraints = [models.UniqueConstraint(fields=["district", "activity"], name="point_rule_one_per_activity")]


@track_history
class PointEntry(ScopedModel):
    """Points a party member earned by an activity on a day (the rule's points then)."""

    scope_field = "member__branch__code"

    member = models.ForeignKey(
        "villages.PartyMembership", verbose_name=_("党员"), on_delete=models.PROTECT, related_name="point_entries"
    )
    activity = models.CharField(_("积分项目"), max_length=20, choices=PointActivity.choices)
    points = models.PositiveSmallIntegerField(_("积分"))
    earned_on = models.DateField(_("日期"))
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("党员积分")
        verbose_name_plural = _("党员积分")
        ordering = ["-earned_on", "-id"]
        indexes = [models.Index(fields=["member", "earned_on"], name="point_entry_member_day")]


@track_history
class VillagerPointEntry(ScopedModel):
    """Points a villager earned, where the village keeps villagers' points (村民积分, e.g. 积分超市):
    the village says how many; the portal keeps the record. The person is registered in the village
    or one of its cooperatives."""

    division = models.ForeignKey(
        "villages.Division", verbose_name=_("村（社区）"), on_delete=models.PROTECT, related_name="villager_points"
    )
    person = models.ForeignKey(
        "villages.Person", verbose_name=_("村民"), on_delete=models.PROTECT, related_name="villager_points"
    )
    points = models.PositiveSmallIntegerField(_("积分"))
    earned_on = models.DateField(_("日期"))
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("村民积分")
        verbose_name_plural = _("村民积分")
        ordering = ["-earned_on", "-id"]
        indexes = [models.Index(fields=["division", "earned_on"], name="villager_points_village_day")]
