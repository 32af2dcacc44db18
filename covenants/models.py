"""Village covenants (村规民约): covenants, their versions and clauses, and violations.

A village or community has one general covenant and any number of special ones. Each covenant
has versions made of numbered clauses; one version at a time is in force (published). A clause
says what a violation of it can lead to. A violation keeps the clause, and so the version, it
was judged under. Sanctions are not stored: covenants.sanctions derives them from confirmed
violations and their clauses' rules, by date, at query time.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from covenants.choices import (  # noqa: F401
    DEFAULT_REPEAT_WINDOW_MONTHS,
    EDITABLE_VERSION_STATUSES,
    AwardRule,
    AwardRunStatus,
    CovenantKind,
    EligibilityAction,
    NominationStatus,
    Severity,
    VersionStatus,
)
from covenants.querysets import ViolationQuerySet
from governance.audit import track_history
from governance.base_models import ScopedModel
from governance.files import PrivateFile
from governance.periods import Period


@track_history
class Covenant(ScopedModel):
    """A village's covenant: its general covenant (one per village) or a special one."""

    division = models.ForeignKey(
        "villages.Division", verbose_name=_("村（社区）"), on_delete=models.PROTECT, related_name="covenants"
    )
    kind = models.CharField(_("类别"), max_length=32, choices=CovenantKind.choices)
    title = models.CharField(_("名称"), max_length=100)
    repeat_window_months = models.PositiveSmallIntegerField(
        _("屡犯认定期（月）"),
        default=DEFAULT_REPEAT_WINDOW_MONTHS,
        help_text=_("同一人在此期限内再次违反本公约，即认定为屡犯。"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("村规民约")
        verbose_name_plural = _("村规民约")
        ordering = ["division_id", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["division"],
                condition=Q(kind=str(CovenantKind.GENERAL)),
                name="covenant_one_general_per_village",
            ),
            models.CheckConstraint(condition=Q(repeat_window_months__gte=1), name="covenant_repeat_window_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.kind == CovenantKind.GENERAL and self.division_id:
            others = Covenant.objects.filter(division_id=self.division_id, kind=CovenantKind.GENERAL)
            if others.exclude(pk=self.pk).exists():
                raise ValidationError({"kind": _("本村（社区）已有村规民约（一般公约）。")})


@track_history
class CovenantVersion(ScopedModel):
    """One version of a covenant's text: draft → submitted → under review → filed → published →
    superseded (VERSION_TRANSITIONS); returned versions are edited and submitted again."""

    scope_field = "covenant__division__code"
    # Reviewers of the civil affairs bureau or of a department are granted versions one by one.
    guardian_grants = True

    covenant = models.ForeignKey(Covenant, verbose_name=_("公约"), on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("版本号"))
    status = models.CharField(_("状态"), max_length=16, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    adopted_on = models.DateField(_("村民（代表）会议通过日期"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审查人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    review_comment = models.TextField(_("审查意见"), blank=True)
    filed_on = models.DateField(_("备案日期"), null=True, blank=True)
    published_on = models.DateField(_("公布日期"), null=True, blank=True)
    superseded_on = models.DateField(_("废止日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("公约版本")
        verbose_name_plural = _("公约版本")
        ordering = ["covenant_id", "number"]
        permissions = [("review_covenantversion", _("可审查公约版本"))]
        constraints = [
            models.UniqueConstraint(fields=["covenant", "number"], name="covenant_version_unique_number"),
            models.UniqueConstraint(
                fields=["covenant"],
                condition=Q(status=str(VersionStatus.PUBLISHED)),
                name="covenant_one_version_in_force",
            ),
            models.CheckConstraint(
                condition=~Q(reviewed_by=F("submitted_by")) | Q(reviewed_by__isnull=True),
                name="covenant_version_four_eyes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.covenant} · v{self.number}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_VERSION_STATUSES


@track_history
class Clause(ScopedModel):
    """A numbered clause of a version, with what violating it can lead to (its consequence rules).

    The bars of DESIGN.md section 3 (no asset bidding for 3 years, no election for 5) follow a
    violation of a clause that says so when the violator is serious or a repeat one.
    """

    scope_field = "version__covenant__division__code"

    version = models.ForeignKey(
        CovenantVersion, verbose_name=_("公约版本"), on_delete=models.PROTECT, related_name="clauses"
    )
    number = models.PositiveSmallIntegerField(_("条号"))
    text = models.TextField(_("条文"))
    category = models.CharField(_("类别"), max_length=50, blank=True)
    about_households = models.BooleanField(_("以户为单位"), default=False)
    bars_asset_bidding = models.BooleanField(_("屡犯或严重违约者不得竞投集体资产"), default=False)
    bars_election = models.BooleanField(_("屡犯或严重违约者不得当选"), default=False)
    withholds_award = models.BooleanField(_("违约者当期不发公约遵守奖"), default=True)
    restricts_services = models.BooleanField(_("限制享受村级服务"), default=False)
    restricts_vehicle_access = models.BooleanField(_("限制车辆出入"), default=False)
    compensation_fen = models.PositiveIntegerField(_("赔偿金额（分）"), null=True, blank=True)
    reward = models.CharField(_("奖励"), max_length=200, blank=True)
    # The reviewer's notes: the opinions exclude clauses that merely repeat a law, and empty slogans.
    review_comment = models.TextField(_("审查意见"), blank=True)
    repeats_law = models.BooleanField(_("照搬法律条文"), default=False)
    empty_slogan = models.BooleanField(_("空泛口号"), default=False)

    class Meta:
        verbose_name = _("条款")
        verbose_name_plural = _("条款")
        ordering = ["version_id", "number"]
        constraints = [models.UniqueConstraint(fields=["version", "number"], name="clause_unique_number")]

    def __str__(self) -> str:
        return _("第%(number)s条") % {"number": self.number}


@track_history
class Violation(ScopedModel):
    """A recorded violation of a clause by a person (and their household where the clause is
    about households). Confirmed by another user in scope; the appeal is filed by a clerk and
    decided by the town; an upheld appeal lifts everything the violation caused."""

    division = models.ForeignKey(
        "villages.Division", verbose_name=_("村（社区）"), on_delete=models.PROTECT, related_name="violations"
    )
    person = models.ForeignKey(
        "villages.Person", verbose_name=_("违约人"), on_delete=models.PROTECT, related_name="violations"
    )
    household = models.ForeignKey(
        "villages.Household",
        verbose_name=_("户"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="violations",
    )
    clause = models.ForeignKey(Clause, verbose_name=_("违反条款"), on_delete=models.PROTECT, related_name="violations")
    occurred_on = models.DateField(_("发生日期"))
    facts = models.TextField(_("违约事实"))
    severity = models.CharField(_("情节"), max_length=8, choices=Severity.choices, default=Severity.MINOR)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    confirmed_on = models.DateField(_("认定日期"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("认定人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    appeal_filed_on = models.DateField(_("申诉日期"), null=True, blank=True)
    appeal_reason = models.TextField(_("申诉理由"), blank=True)
    appeal_upheld = models.BooleanField(_("申诉成立"), null=True, blank=True)
    appeal_decided_on = models.DateField(_("申诉处理日期"), null=True, blank=True)
    appeal_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申诉处理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rectified_on = models.DateField(_("整改完成日期"), null=True, blank=True)
    referred_to = models.CharField(_("移送部门"), max_length=100, blank=True)
    referred_on = models.DateField(_("移送日期"), null=True, blank=True)

    objects = ViolationQuerySet.as_manager()

    class Meta:
        verbose_name = _("违约记录")
        verbose_name_plural = _("违约记录")
        ordering = ["-occurred_on", "-id"]
        permissions = [
            ("confirm_violation", _("可认定违约")),
            ("decide_appeal_violation", _("可处理违约申诉")),
        ]
        indexes = [models.Index(fields=["person", "occurred_on"], name="violation_person_occurred")]
        constraints = [
            models.CheckConstraint(
                condition=Q(confirmed_by__isnull=True) | ~Q(confirmed_by=F("recorded_by")),
                name="violation_four_eyes",
            ),
            models.CheckConstraint(
                condition=Q(confirmed_on__isnull=True) | Q(confirmed_on__gte=F("occurred_on")),
                name="violation_confirmed_after_it_occurred",
            ),
            models.CheckConstraint(
                condition=Q(appeal_upheld__isnull=True) | Q(appeal_filed_on__isnull=False),
                name="violation_appeal_decided_after_filed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.clause} · {self.occurred_on}"

    def clean(self) -> None:
        if self.occurred_on and self.occurred_on > datetime.date.today():
            raise ValidationError({"occurred_on": _("发生日期不能晚于今天。")})
        if self.clause_id and self.clause.version.status != VersionStatus.PUBLISHED:
            raise ValidationError({"clause": _("只能依据施行中的公约条款登记违约。")})
        if self.clause_id and self.person_id:
            village = self.clause.version.covenant.division_id
            if not self.person.division_id.startswith(village):
                raise ValidationError({"person": _("该人员不在本公约所属的村（社区）登记。")})
        if self.clause_id and self.clause.about_households and self.person_id and not self.household_id:
            self.household_id = self.person.household_id

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_on is not None

    @property
    def is_lifted(self) -> bool:
        """An upheld appeal lifts everything the violation caused."""
        return self.appeal_upheld is True

    # Where the violation stands in its workflow: the one definition the services, the pages
    # and the register's filters read.
    @property
    def awaits_confirmation(self) -> bool:
        return self.confirmed_on is None

    @property
    def open_to_appeal(self) -> bool:
        """Confirmed, and no appeal filed yet (one appeal per violation)."""
        return self.confirmed_on is not None and self.appeal_filed_on is None

    @property
    def appeal_pending(self) -> bool:
        return self.appeal_filed_on is not None and self.appeal_upheld is None


@track_history
class EligibilityQuery(ScopedModel):
    """Every eligibility question asked of the portal: who asked, about whom, for what and which
    day, and the answer. It is personal data, so it lies where the person is registered and the
    officials of that division read it like the person's other records."""

    scope_field = "person__division__code"

    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("查询人"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "villages.Person", verbose_name=_("被查询人"), on_delete=models.PROTECT, related_name="eligibility_queries"
    )
    action = models.CharField(_("事项"), max_length=20, choices=EligibilityAction.choices)
    on = models.DateField(_("查询日期"))
    eligible = models.BooleanField(_("是否符合资格"))
    eligible_from = models.DateField(_("恢复资格日期"), null=True, blank=True)
    asked_at = models.DateTimeField(_("查询时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("资格查询记录")
        verbose_name_plural = _("资格查询记录")
        ordering = ["-asked_at", "-id"]


@track_history
class ViolationEvidence(PrivateFile):
    """An evidence file of a violation (a photo taken on the spot, a document): stored privately,
    downloadable only by those who may view the violation."""

    scope_field = "violation__division__code"

    violation = models.ForeignKey(
        Violation, verbose_name=_("违约记录"), on_delete=models.PROTECT, related_name="evidence"
    )

    class Meta(PrivateFile.Meta):
        verbose_name = _("违约证据")
        verbose_name_plural = _("违约证据")


def validate_period(value: str) -> None:
    """A period label as governance.periods reads it ("2026", "2026-H1", "2026-Q3", "2026-05")."""
    Period.parse(value)


@track_history
class RedListNomination(ScopedModel):
    """A nomination for a village's red list (红榜) of a period, approved by another user of the
    village or the town (four eyes). The black list (黑榜) is not stored: it is derived from the
    sanctions in force (covenants.honour_lists)."""

    division = models.ForeignKey(
        "villages.Division", verbose_name=_("村（社区）"), on_delete=models.PROTECT, related_name="red_list_nominations"
    )
    person = models.ForeignKey(
        "villages.Person", verbose_name=_("被提名人"), on_delete=models.PROTECT, related_name="red_list_nominations"
    )
    period = models.CharField(_("期间"), max_length=10, validators=[validate_period])
    reason = models.TextField(_("事迹"))
    status = models.CharField(
        _("状态"), max_length=10, choices=NominationStatus.choices, default=NominationStatus.PROPOSED
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提名人"), on_delete=models.PROTECT, related_name="+"
    )
    nominated_at = models.DateTimeField(_("提名时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_on = models.DateField(_("审批日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("红榜提名")
        verbose_name_plural = _("红榜提名")
        ordering = ["division_id", "-period", "id"]
        permissions = [("approve_redlistnomination", _("可审批红榜提名"))]
        constraints = [
            models.UniqueConstraint(
                fields=["division", "person", "period"], name="red_list_one_nomination_per_person_and_period"
            ),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("nominated_by")),
                name="red_list_four_eyes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.period}"


@track_history
class AwardRun(ScopedModel):
    """A compliance award (公约遵守奖) run of a village or cooperative for an award period: a fund
    (in fen, from collective dividends) shared by a rule among the members who kept the covenant.
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
    """One member's line of an award run: the shares counted, whether they kept the covenant in the
    period, and the amount in fen (0 for a member with a confirmed violation in the period)."""

    scope_field = "run__division__code"

    run = models.ForeignKey(AwardRun, verbose_name=_("发放批次"), on_delete=models.CASCADE, related_name="payouts")
    person = models.ForeignKey(
        "villages.Person", verbose_name=_("成员"), on_delete=models.PROTECT, related_name="award_payouts"
    )
    shares = models.DecimalField(_("股份"), max_digits=12, decimal_places=2)
    eligible = models.BooleanField(_("符合资格"))
    withheld_reason = models.CharField(_("不予发放原因"), max_length=200, blank=True)
    amount_fen = models.PositiveBigIntegerField(_("金额（分）"))

    class Meta:
        verbose_name = _("公约遵守奖明细")
        verbose_name_plural = _("公约遵守奖明细")
        ordering = ["run_id", "person_id"]
        constraints = [models.UniqueConstraint(fields=["run", "person"], name="award_payout_one_per_person")]

    def __str__(self) -> str:
        return f"{self.person} · {self.amount_fen}"
