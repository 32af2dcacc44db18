"""Remuneration rules of a town or the district (村干部报酬, issue 9 point 5) and the units'
collective operating incomes they pay a bonus from; the computation is
supervision.services.remuneration's. Amounts in fen (分), whole numbers.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from governance.audit import track_history
from governance.base_models import ScopedModel
from supervision.choices import PERCENT, Grade
from villages.choices import PositionKind


@track_history
class RemunerationRule(ScopedModel):
    """The remuneration rule of a town or the district for a period (the scheme's period spelling):
    the base per post kind and the performance amount per grade (its rows), and the collective
    income bonus: `bonus_percent` % of the unit's collective operating income above
    `bonus_threshold_fen`, at most `bonus_cap_fen` (no cap when empty), paid to each cadre."""

    division = models.ForeignKey(
        "villages.Division", verbose_name=_("制定单位"), on_delete=models.PROTECT, related_name="remuneration_rules"
    )
    period = models.CharField(_("期间"), max_length=7)
    bonus_threshold_fen = models.BigIntegerField(_("创收奖励起点（分）"), default=0)
    bonus_percent = models.PositiveSmallIntegerField(_("创收奖励比例（%）"), default=0)
    bonus_cap_fen = models.BigIntegerField(_("创收奖励上限（分）"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("制定时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("报酬规则")
        verbose_name_plural = _("报酬规则")
        ordering = ["division_id", "-period"]
        constraints = [
            models.UniqueConstraint(fields=["division", "period"], name="remuneration_rule_once_per_period"),
            models.CheckConstraint(condition=Q(bonus_threshold_fen__gte=0), name="remuneration_threshold_positive"),
            models.CheckConstraint(condition=Q(bonus_percent__lte=PERCENT), name="remuneration_bonus_percent"),
            models.CheckConstraint(
                condition=Q(bonus_cap_fen__isnull=True) | Q(bonus_cap_fen__gte=0), name="remuneration_cap_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.division_id} {self.period}"


@track_history
class RemunerationBase(ScopedModel):
    """The base remuneration (基本报酬) of one post kind for the rule's period, in fen."""

    scope_field = "rule__division__code"

    rule = models.ForeignKey(RemunerationRule, on_delete=models.CASCADE, related_name="bases")
    post_kind = models.CharField(_("职务"), max_length=32, choices=PositionKind.choices)
    amount_fen = models.BigIntegerField(_("基本报酬（分）"))

    class Meta:
        verbose_name = _("基本报酬")
        verbose_name_plural = _("基本报酬")
        ordering = ["rule_id", "post_kind"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "post_kind"], name="remuneration_base_once_per_post"),
            models.CheckConstraint(condition=Q(amount_fen__gte=0), name="remuneration_base_positive"),
        ]


@track_history
class RemunerationPerformance(ScopedModel):
    """The performance remuneration (考核绩效) paid for one grade of the assessment, in fen."""

    scope_field = "rule__division__code"

    rule = models.ForeignKey(RemunerationRule, on_delete=models.CASCADE, related_name="performance")
    grade = models.CharField(_("等次"), max_length=10, choices=Grade.choices)
    amount_fen = models.BigIntegerField(_("考核绩效（分）"))

    class Meta:
        verbose_name = _("考核绩效")
        verbose_name_plural = _("考核绩效")
        ordering = ["rule_id", "grade"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "grade"], name="remuneration_performance_once_per_grade"),
            models.CheckConstraint(condition=Q(amount_fen__gte=0), name="remuneration_performance_positive"),
        ]


@track_history
class CollectiveIncome(ScopedModel):
    """A unit's collective operating income (集体经营性收入) in a period, in fen, entered by the town:
    what the collective income bonus is computed from."""

    scope_field = "unit__code"

    unit = models.ForeignKey(
        "villages.Division", verbose_name=_("村（社）"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(_("期间"), max_length=7)
    income_fen = models.BigIntegerField(_("集体经营性收入（分）"))
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(_("录入时间"), auto_now=True)

    class Meta:
        verbose_name = _("集体经营性收入")
        verbose_name_plural = _("集体经营性收入")
        ordering = ["unit_id", "-period"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "period"], name="collective_income_once_per_period"),
        ]
