"""Supervision records of cadres (issue 9, point 1): the cadre conduct negative list, disciplinary
sanctions with the allowance and bonus deduction they carry, pre-appointment integrity talks, major
matter reports and economic responsibility audits.

Lifelong accountability (终身追责, docs/domain.md): a record is never deleted nor rewritten. A
database trigger refuses every DELETE of these tables; a correction is a new record that names the
one it corrects (`corrects`), and what stands is the latest of each chain (`standing()`). An
audit's follow-up is the one thing written later onto a record, once, by its own service.

What is in force on a day (a sanction's deduction) and which leadership post lacks its integrity
talk are computed from dates at query time (DESIGN.md section 5, supervision.querysets), never
stored as flags.
"""

from __future__ import annotations

import datetime

import pgtrigger
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from governance.audit import track_history
from governance.base_models import ScopedModel
from supervision.choices import (
    MAX_DEDUCTION_PERCENT,
    AuditKind,
    DisciplinaryKind,
    MajorMatterCategory,
    months_later,
)
from supervision.querysets import (
    DisciplinarySanctionQuerySet,
    EconomicAuditQuerySet,
    IntegrityTalkQuerySet,
    RecordQuerySet,
)


def never_deleted(name: str) -> pgtrigger.Protect:
    """The trigger that keeps a record for life: every DELETE is refused by the database."""
    return pgtrigger.Protect(name=name, operation=pgtrigger.Delete)


class SupervisionRecord(ScopedModel):
    """What every record about a cadre has: where it lies (the village or cooperative the cadre
    serves in, or the person's own), whom it is about, who filed it and when, and the record it
    corrects with the reason."""

    division = models.ForeignKey(
        "villages.Division", verbose_name=_("村社"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey("villages.Person", verbose_name=_("干部"), on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    corrects = models.OneToOneField(
        "self",
        verbose_name=_("更正的记录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrected_by",
    )
    correction_reason = models.TextField(_("更正理由"), blank=True)

    objects = RecordQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_standing(self) -> bool:
        """Not corrected by a later record (reads the reverse one-to-one: select it with the row)."""
        try:
            self.corrected_by  # noqa: B018
        except type(self).DoesNotExist:
            return True
        return False

    def clean(self) -> None:
        if self.person_id and self.division_id and not self.person.division_id.startswith(self.division_id[:12]):
            raise ValidationError({"person": _("该人员不在此村（社区）登记。")})
        if self.corrects_id and not self.correction_reason.strip():
            raise ValidationError({"correction_reason": _("更正记录须说明更正理由。")})


@track_history
class ConductNegativeItem(ScopedModel):
    """An item of the cadre conduct negative list (干部职务行为负面清单) a district or town issues:
    what a cadre must not do, with its basis (the rule it rests on)."""

    division = models.ForeignKey(
        "villages.Division", verbose_name=_("发布区划"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.PositiveSmallIntegerField(_("序号"))
    text = models.TextField(_("负面行为"))
    basis = models.TextField(_("依据"))
    valid_from = models.DateField(_("施行日期"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = RecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("干部职务行为负面清单事项")
        verbose_name_plural = _("干部职务行为负面清单")
        ordering = ["division_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["division", "number"], name="conduct_item_number_unique_in_division")
        ]
        triggers = [never_deleted("conduct_item_never_deleted")]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:40]}"


@track_history
class DisciplinarySanction(SupervisionRecord):
    """A disciplinary sanction (处分) against a cadre: its kind, the day it was decided, its basis,
    and the allowance and bonus deduction it carries (a percent of each month's, for `months`
    months from `decided_on`; ends_on is the first day without it)."""

    position = models.ForeignKey(
        "villages.Position",
        verbose_name=_("任职"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("处分种类"), max_length=32, choices=DisciplinaryKind.choices)
    decided_on = models.DateField(_("处分决定日期"))
    decided_by = models.CharField(_("作出决定的机关"), max_length=100)
    basis = models.TextField(_("处分依据"))
    negative_item = models.ForeignKey(
        ConductNegativeItem,
        verbose_name=_("违反的负面清单事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sanctions",
    )
    facts = models.TextField(_("违纪事实"))
    deduction_percent = models.PositiveSmallIntegerField(
        _("补贴和奖金扣减比例（%）"), validators=[MinValueValidator(0), MaxValueValidator(MAX_DEDUCTION_PERCENT)]
    )
    deduction_months = models.PositiveSmallIntegerField(_("扣减期限（月）"), validators=[MinValueValidator(1)])
    ends_on = models.DateField(_("扣减截止（不含）"))

    objects = DisciplinarySanctionQuerySet.as_manager()

    class Meta:
        verbose_name = _("处分")
        verbose_name_plural = _("处分")
        ordering = ["-decided_on", "-id"]
        indexes = [models.Index(fields=["person", "decided_on"], name="discipline_person_decided")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gt=F("decided_on")), name="discipline_ends_after_decided"),
            models.CheckConstraint(
                condition=Q(deduction_percent__lte=MAX_DEDUCTION_PERCENT), name="discipline_deduction_at_most_all"
            ),
        ]
        triggers = [never_deleted("discipline_never_deleted")]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_kind_display()} · {self.decided_on}"

    def save(self, *args, **kwargs):
        if self.decided_on and self.deduction_months:
            self.ends_on = months_later(self.decided_on, self.deduction_months)
        super().save(*args, **kwargs)

    def in_force_on(self, day: datetime.date) -> bool:
        return self.decided_on <= day < months_later(self.decided_on, self.deduction_months)


@track_history
class IntegrityTalk(SupervisionRecord):
    """A pre-appointment integrity talk (任前廉洁谈话) held with a cadre before taking a post."""

    position = models.ForeignKey(
        "villages.Position",
        verbose_name=_("拟任职务"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    held_on = models.DateField(_("谈话日期"))
    talked_by = models.CharField(_("谈话人"), max_length=100)
    summary = models.TextField(_("谈话内容"))

    objects = IntegrityTalkQuerySet.as_manager()

    class Meta:
        verbose_name = _("任前廉洁谈话")
        verbose_name_plural = _("任前廉洁谈话")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["person", "held_on"], name="integrity_talk_person_held")]
        triggers = [never_deleted("integrity_talk_never_deleted")]

    def __str__(self) -> str:
        return f"{self.person} · {self.held_on}"


@track_history
class MajorMatterReport(SupervisionRecord):
    """A major matter report (重大事项报告) a cadre made."""

    category = models.CharField(_("事项类别"), max_length=32, choices=MajorMatterCategory.choices)
    reported_on = models.DateField(_("报告日期"))
    matter = models.TextField(_("报告事项"))

    class Meta:
        verbose_name = _("重大事项报告")
        verbose_name_plural = _("重大事项报告")
        ordering = ["-reported_on", "-id"]
        triggers = [never_deleted("major_matter_never_deleted")]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_category_display()} · {self.reported_on}"


@track_history
class EconomicAudit(SupervisionRecord):
    """An economic responsibility audit (经济责任审计) of a cadre, in office or on leaving: the period
    audited, the findings and the follow-up (整改), recorded once when it is done."""

    position = models.ForeignKey(
        "villages.Position",
        verbose_name=_("任职"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("审计类型"), max_length=16, choices=AuditKind.choices)
    period_from = models.DateField(_("审计期间起"))
    period_to = models.DateField(_("审计期间止"))
    reported_on = models.DateField(_("审计报告日期"))
    auditor = models.CharField(_("审计机构"), max_length=100)
    findings = models.TextField(_("审计发现的问题"))
    follow_up = models.TextField(_("整改要求"), blank=True)
    follow_up_done_on = models.DateField(_("整改完成日期"), null=True, blank=True)
    follow_up_result = models.TextField(_("整改结果"), blank=True)

    objects = EconomicAuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("经济责任审计")
        verbose_name_plural = _("经济责任审计")
        ordering = ["-reported_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(period_to__gte=F("period_from")), name="audit_period_in_order"),
            models.CheckConstraint(condition=Q(reported_on__gte=F("period_to")), name="audit_reported_after_period"),
        ]
        triggers = [never_deleted("economic_audit_never_deleted")]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_kind_display()} · {self.reported_on}"

    @property
    def follow_up_open(self) -> bool:
        return bool(self.follow_up) and self.follow_up_done_on is None

    def clean(self) -> None:
        super().clean()
        if self.period_from and self.period_to and self.period_to < self.period_from:
            raise ValidationError({"period_to": _("审计期间止不能早于审计期间起。")})
        if self.period_to and self.reported_on and self.reported_on < self.period_to:
            raise ValidationError({"reported_on": _("审计报告日期不能早于审计期间止。")})


# The record kinds of the supervision register, by the slug its pages and API use.
RECORD_MODELS: dict[str, type[SupervisionRecord]] = {
    "sanctions": DisciplinarySanction,
    "integrity-talks": IntegrityTalk,
    "major-matters": MajorMatterReport,
    "audits": EconomicAudit,
}
