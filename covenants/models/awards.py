"""Compliance award (公约遵守奖) runs and their payouts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from covenants.choices import AwardRule, AwardRunStatus
from covenants.models.validators import validate_period
from covenants.querysets import AwardPayoutQuerySet, AwardRunQuerySet
from governance.audit import track_history
from governance.base_models import ScopedModel


@track_history
class AwardRun(ScopedModel):
    """A compliance award (公约遵守奖) run of a village or cooperative for an award period: a fund
    (in fen, from collective dividends) divided by a rule into entitlements over all the members;
    those who kept the covenant are paid theirs in full, the others' stays in the fund (kept).
    Previewed, then approved by another user and frozen: a frozen run is never recomputed, and a
    division has at most one approved run per period."""

    division = models.ForeignKey(
        "villages.Division", verbose_name=_("村（社）"), on_delete=models.PROTECT, related_name="award_runs"
    )
    period = models.CharField(_("奖励期间"), max_length=10, validators=[validate_period])
    fund_fen = models.PositiveBigIntegerField(_("奖励资金（分）"))
    rule = models.CharField(_("分配办法"), max_length=10, choices=AwardRule.choices, default=AwardRule.EQUAL)
    status = models.CharField(_("状态"), max_length=10, choices=AwardRunStatus.choices, default=AwardRunStatus.PREVIEW)
    computed_on = models.DateField(_("计算日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("批准人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("批准时间"), null=True, blank=True)

    objects = AwardRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("公约遵守奖发放")
        verbose_name_plural = _("公约遵守奖发放")
        ordering = ["division_id", "-period", "-id"]
        permissions = [("approve_awardrun", _("可批准公约遵守奖发放"))]
        constraints = [
            models.UniqueConstraint(
                fields=["division", "period"],
                condition=Q(status="approved"),
                name="award_one_approved_run_per_period",
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("created_by")),
                name="award_run_four_eyes",
            ),
            models.CheckConstraint(condition=Q(fund_fen__gt=0), name="award_run_fund_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.division_id} · {self.period}"

    @property
    def is_frozen(self) -> bool:
        return self.status == AwardRunStatus.APPROVED


@track_history
class AwardPayout(ScopedModel):
    """One member's line of an award run: the shares counted, the entitlement (fixed over the whole
    membership), whether they kept the covenant in the period, and the amount paid in fen: the
    entitlement in full, or 0 for a member with a confirmed violation in the period (whose
    entitlement stays in the fund)."""

    scope_field = "run__division__code"

    run = models.ForeignKey(AwardRun, verbose_name=_("发放批次"), on_delete=models.CASCADE, related_name="payouts")
    person = models.ForeignKey(
        "villages.Person", verbose_name=_("成员"), on_delete=models.PROTECT, related_name="award_payouts"
    )
    shares = models.DecimalField(_("股份"), max_digits=12, decimal_places=2)
    eligible = models.BooleanField(_("符合资格"))
    withheld_reason = models.CharField(_("不予发放原因"), max_length=200, blank=True)
    entitlement_fen = models.PositiveBigIntegerField(_("应得金额（分）"))
    amount_fen = models.PositiveBigIntegerField(_("金额（分）"))

    objects = AwardPayoutQuerySet.as_manager()

    class Meta:
        verbose_name = _("公约遵守奖明细")
        verbose_name_plural = _("公约遵守奖明细")
        ordering = ["run_id", "person_id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "person"], name="award_payout_one_per_person"),
            # Paid in full (全额发放) or withheld with nothing paid: never a part (DESIGN.md section 3).
            models.CheckConstraint(
                condition=Q(eligible=True, amount_fen=F("entitlement_fen")) | Q(eligible=False, amount_fen=0),
                name="award_payout_in_full_or_withheld",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.amount_fen}"
