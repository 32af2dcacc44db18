"""Supervision records of cadres (issue 9, point 1): the cadre conduct negative list, disciplinary
sanctions with the allowance and bonus deduction they carry, pre-appointment integrity talks, major
matter reports and economic responsibility audits.

Lifelong accountability (终身追责, docs/domain.md): a record is never deleted nor rewritten. A
database trigger refuses every DELETE of these tables; a correction is a new record that names the
one it corrects (`corrects`), and what stands is the latest of each chain (`standing()`). An
audit's follow-up is the one thing written later onto a record, once, by its own service.

What is in force on a day (a sanction's deduction) and which leadership post lacks its integrity
talk are computed from dates at query time (DESIGN.md section 5), never stored as flags.

Imported at the end of supervision/models.py, so that Django finds these models in the app.
"""

from __future__ import annotations

import datetime

import pgtrigger
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from governance.access.querysets import RestrictedQuerySet
from governance.audit import track_history
from governance.base_models import ScopedModel
from villages.choices import PositionKind

# --- choices and named rules ------------------------------------------------------------------


class DisciplinaryKind(models.TextChoices):
    """Kinds of disciplinary sanction (处分): party discipline (中国共产党纪律处分条例 art. 8) and
    administrative sanctions of public office holders (公职人员政务处分法 art. 7)."""

    WARNING = "warning", _("警告")
    SERIOUS_WARNING = "serious_warning", _("严重警告")
    DEMERIT = "demerit", _("记过")
    MAJOR_DEMERIT = "major_demerit", _("记大过")
    DEMOTION = "demotion", _("降级")
    REMOVAL_FROM_PARTY_POST = "removal_from_party_post", _("撤销党内职务")
    REMOVAL_FROM_POST = "removal_from_post", _("撤职")
    PARTY_PROBATION = "party_probation", _("留党察看")
    EXPULSION = "expulsion", _("开除")


# How long a sanction lasts, in months, from the day it is decided: 警告 6, 记过 12, 记大过 18,
# 降级 and 撤职 24 (公职人员政务处分法 art. 8); the party's 严重警告 is read as 12 and 撤销党内职务 as
# 24, 留党察看 as its usual 12 (中国共产党纪律处分条例 art. 10-12: "one or two years"); an expulsion
# is for life, which for the allowance means the rest of the term: read as 60 months (one term of
# village committees, Organic Law art. 13).
SANCTION_MONTHS: dict[str, int] = {
    DisciplinaryKind.WARNING: 6,
    DisciplinaryKind.SERIOUS_WARNING: 12,
    DisciplinaryKind.DEMERIT: 12,
    DisciplinaryKind.MAJOR_DEMERIT: 18,
    DisciplinaryKind.DEMOTION: 24,
    DisciplinaryKind.REMOVAL_FROM_PARTY_POST: 24,
    DisciplinaryKind.REMOVAL_FROM_POST: 24,
    DisciplinaryKind.PARTY_PROBATION: 12,
    DisciplinaryKind.EXPULSION: 60,
}

# The deduction a sanction carries: a percentage of the cadre's monthly allowance and bonus
# (补贴和奖金) withheld for every month the sanction is in force. "Allowances and bonuses of
# sanctioned staff are reduced" (Guangyuan plan; Nanhai task 08) fixes no figure; these defaults
# are our reading, graded by the sanction's weight, and every sanction may carry its own figure
# (the deciding body's). The remuneration (issue 9, point 5) reads `deduction_percent` of the
# sanctions in force on the month's last day; when several are in force the largest applies, they
# do not add up (`deduction_percent_in_force`).
DEFAULT_DEDUCTION_PERCENT: dict[str, int] = {
    DisciplinaryKind.WARNING: 10,
    DisciplinaryKind.SERIOUS_WARNING: 20,
    DisciplinaryKind.DEMERIT: 20,
    DisciplinaryKind.MAJOR_DEMERIT: 30,
    DisciplinaryKind.DEMOTION: 50,
    DisciplinaryKind.REMOVAL_FROM_PARTY_POST: 50,
    DisciplinaryKind.REMOVAL_FROM_POST: 100,
    DisciplinaryKind.PARTY_PROBATION: 50,
    DisciplinaryKind.EXPULSION: 100,
}
MAX_DEDUCTION_PERCENT = 100


class MajorMatterCategory(models.TextChoices):
    """重大事项报告: what a cadre reports (领导干部报告个人有关事项规定, adapted to village cadres)."""

    MARRIAGE_AND_FAMILY = "marriage_and_family", _("本人婚姻变化及配偶、子女情况")
    TRAVEL_ABROAD = "travel_abroad", _("因私出国（境）")
    RELATIVES_BUSINESS = "relatives_business", _("配偶、子女经商办企业")
    PROPERTY_AND_INCOME = "property_and_income", _("房产、投资和收入")
    COLLECTIVE_MATTER = "collective_matter", _("涉及集体“三资”的重大事项")
    OTHER = "other", _("其他重大事项")


class AuditKind(models.TextChoices):
    """Economic responsibility audits (经济责任审计) of a cadre: in office or on leaving it."""

    IN_OFFICE = "in_office", _("任中审计")
    ON_LEAVING = "on_leaving", _("离任审计")


# The leadership posts (village and cooperative 主要负责人) whose holder has a pre-appointment
# integrity talk (任前廉洁谈话) before taking office; a post recorded without one is flagged.
LEADERSHIP_POSTS = (
    PositionKind.PARTY_SECRETARY,
    PositionKind.COMMITTEE_DIRECTOR,
    PositionKind.SECRETARY_AND_DIRECTOR,
    PositionKind.COOPERATIVE_HEAD,
)
# A talk counts for a post when it was held with the person, in the post's division, on or before
# the day the post started and no more than this many days before it (our reading: the talk goes
# with the appointment, a talk from an earlier term does not count).
INTEGRITY_TALK_WINDOW_DAYS = 180


def months_later(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later; a day the month lacks becomes the first of the next month
    (the rule of covenants.choices.same_day_later, so every period in the portal ends alike)."""
    from covenants.choices import same_day_later

    return same_day_later(day, months=months)


# --- querysets ----------------------------------------------------------------------------------


class RecordQuerySet(RestrictedQuerySet):
    def standing(self) -> RecordQuerySet:
        """The records that stand: not corrected by a later one (a correction's chain ends in it)."""
        return self.filter(corrected_by__isnull=True)


class DisciplinarySanctionQuerySet(RecordQuerySet):
    def in_force_on(self, day: datetime.date) -> DisciplinarySanctionQuerySet:
        """Sanctions standing (not corrected) and in force on `day`: decided on or before it, and
        `day` before the end of their deduction (`ends_on`, exclusive)."""
        return self.standing().filter(decided_on__lte=day, ends_on__gt=day)


def deduction_percent_in_force(person_ids, day: datetime.date) -> dict[int, int]:
    """Person id → the percent of their allowance and bonus withheld on `day` (the largest of their
    sanctions in force; absent when none is). One query, for any number of people."""
    rows = (
        DisciplinarySanction.objects.in_force_on(day)
        .filter(person_id__in=list(person_ids))
        .values("person_id")
        .annotate(percent=models.Max("deduction_percent"))
        .order_by()
    )
    return {row["person_id"]: row["percent"] for row in rows}


# --- models --------------------------------------------------------------------------------------


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


def positions_with_talk_flag(positions):
    """Annotate positions with `has_integrity_talk`: a standing talk with the person in the post's
    division held within INTEGRITY_TALK_WINDOW_DAYS before (or on) the day the post started.
    One subquery, whatever the number of rows."""
    window = datetime.timedelta(days=INTEGRITY_TALK_WINDOW_DAYS)
    talks = IntegrityTalk.objects.standing().filter(
        person_id=OuterRef("person_id"),
        division_id=OuterRef("division_id"),
        held_on__lte=OuterRef("started_on"),
        held_on__gte=OuterRef("started_on") - window,
    )
    return positions.annotate(has_integrity_talk=Exists(talks))


def leadership_posts_without_talk(positions):
    """The leadership posts among `positions` recorded without a pre-appointment integrity talk."""
    return positions_with_talk_flag(positions.filter(kind__in=LEADERSHIP_POSTS)).filter(has_integrity_talk=False)


# Who is shown the posts without a talk: those who view integrity talks, where they view them.
TALK_PERMISSION = "supervision.view_integritytalk"


def talkless_posts_for(user, on: datetime.date):
    """The current leadership posts without a pre-appointment integrity talk that `user` may see
    as such: among the positions they may view, where they may view integrity talks. The list
    page, its API (`leadership-posts/`) and the home page's count read this one queryset."""
    from villages.models import Position

    positions = Position.objects.restrict(user, "view").current(on).where_held(user, TALK_PERMISSION)
    return leadership_posts_without_talk(positions)


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
