"""Service centres (党群服务中心, 1+7+N), operating funds, emergency plans and drills."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from engagement.choices import (
    CENTRE_M2_PER_100_HOUSEHOLDS,
    CENTRE_MIN_SERVICE_SHARE_PERCENT,
    MIN_OPERATING_FUND_FEN,
    CentreLevel,
)
from engagement.querysets.centres import (
    DrillQuerySet,
    EmergencyPlanQuerySet,
    OperatingFundQuerySet,
    ServiceCentreQuerySet,
)
from governance.audit import track_history
from governance.base_models import ScopedModel


@track_history
class ServiceCentre(ScopedModel):
    """A party-mass service centre or station, its area and the households it serves."""

    division = models.OneToOneField(
        "villages.Division", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="service_centre"
    )
    level = models.CharField(_("层级"), max_length=10, choices=CentreLevel.choices)
    area_m2 = models.DecimalField(_("总面积（平方米）"), max_digits=9, decimal_places=1)
    service_area_m2 = models.DecimalField(_("服务和活动面积（平方米）"), max_digits=9, decimal_places=1)
    households_served = models.PositiveIntegerField(_("服务户数"))

    objects = ServiceCentreQuerySet.as_manager()

    class Meta:
        verbose_name = _("党群服务中心")
        verbose_name_plural = _("党群服务中心")
        constraints = [
            models.CheckConstraint(
                condition=Q(service_area_m2__lte=F("area_m2")), name="centre_service_area_within_area"
            )
        ]

    def __str__(self) -> str:
        return f"{self.division_id} · {self.get_level_display()}"

    @property
    def required_area_m2(self) -> Decimal:
        """At least 30 m² per 100 households (Jiangsu 六), pro rata."""
        return Decimal(self.households_served) * CENTRE_M2_PER_100_HOUSEHOLDS / 100

    @property
    def meets_area(self) -> bool:
        return self.area_m2 >= self.required_area_m2

    @property
    def meets_service_share(self) -> bool:
        """At least 70% of the area is service and activity space (Jiangsu 六)."""
        return self.service_area_m2 * 100 >= self.area_m2 * CENTRE_MIN_SERVICE_SHARE_PERCENT


@track_history
class OperatingFund(ScopedModel):
    """A village's operating fund of a year (运转经费), in fen, and the county's top-up."""

    division = models.ForeignKey(
        "villages.Division", verbose_name=_("村（社区）"), on_delete=models.PROTECT, related_name="operating_funds"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    amount_fen = models.BigIntegerField(_("村级自有经费（分）"))

    objects = OperatingFundQuerySet.as_manager()

    class Meta:
        verbose_name = _("运转经费")
        verbose_name_plural = _("运转经费")
        ordering = ["division_id", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["division", "year"], name="operating_fund_once_a_year"),
            models.CheckConstraint(condition=Q(amount_fen__gte=0), name="operating_fund_not_negative"),
        ]

    @property
    def county_topup_fen(self) -> int:
        """What the county makes up to 380,000 yuan (Jiangsu 十一); 0 when the fund reaches it."""
        return max(0, MIN_OPERATING_FUND_FEN - self.amount_fen)


@track_history
class EmergencyPlan(ScopedModel):
    """A community's emergency plan (应急预案) with the people trained for it."""

    division = models.ForeignKey(
        "villages.Division", verbose_name=_("村（社区）"), on_delete=models.PROTECT, related_name="emergency_plans"
    )
    title = models.CharField(_("预案名称"), max_length=100)
    adopted_on = models.DateField(_("制定日期"))
    people_trained = models.PositiveIntegerField(_("受训人数"), default=0)

    objects = EmergencyPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("应急预案")
        verbose_name_plural = _("应急预案")
        ordering = ["division_id", "-adopted_on"]

    def __str__(self) -> str:
        return self.title


@track_history
class Drill(ScopedModel):
    scope_field = "plan__division__code"

    plan = models.ForeignKey(EmergencyPlan, verbose_name=_("应急预案"), on_delete=models.PROTECT, related_name="drills")
    held_on = models.DateField(_("演练日期"))
    participants = models.PositiveIntegerField(_("参加人数"))
    note = models.TextField(_("演练情况"), blank=True)

    objects = DrillQuerySet.as_manager()

    class Meta:
        verbose_name = _("应急演练")
        verbose_name_plural = _("应急演练")
        ordering = ["-held_on", "-id"]
