"""Covenant texts: a village's covenants, their versions and the versions' numbered clauses."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from covenants.choices import DEFAULT_REPEAT_WINDOW_MONTHS, EDITABLE_VERSION_STATUSES, CovenantKind, VersionStatus
from covenants.querysets import ClauseQuerySet, CovenantQuerySet, CovenantVersionQuerySet
from governance.audit import track_history
from governance.base_models import ScopedModel


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

    objects = CovenantQuerySet.as_manager()

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
    # Reviewed by the members of the district department of its covenant's kind (beyond the tree:
    # CovenantVersionQuerySet.granted_beyond_tree), or by the district administrator.

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

    objects = CovenantVersionQuerySet.as_manager()

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

    The bars of DESIGN.md section 3 (no asset bidding for 3 years, no election nor nomination for
    5) follow a repeat violation (屡教不改) of a clause that says so, never a single one however
    serious; dividends and homestead allocation follow any confirmed violation of a clause that
    says so (covenants.choices).
    """

    scope_field = "version__covenant__division__code"

    version = models.ForeignKey(
        CovenantVersion, verbose_name=_("公约版本"), on_delete=models.PROTECT, related_name="clauses"
    )
    number = models.PositiveSmallIntegerField(_("条号"))
    text = models.TextField(_("条文"))
    category = models.CharField(_("类别"), max_length=50, blank=True)
    about_households = models.BooleanField(_("以户为单位"), default=False)
    bars_asset_bidding = models.BooleanField(_("屡教不改者3年内不得竞投集体资产"), default=False)
    bars_election = models.BooleanField(_("屡教不改者5年内不得当选、不得推荐为“两代表一委员”"), default=False)
    withholds_award = models.BooleanField(_("违约者当期不发公约遵守奖"), default=True)
    withholds_dividends = models.BooleanField(_("违约者当期暂停股份分红"), default=False)
    suspends_homestead_allocation = models.BooleanField(_("违约者整改前暂停宅基地分配"), default=False)
    restricts_services = models.BooleanField(_("限制享受村级服务"), default=False)
    restricts_vehicle_access = models.BooleanField(_("限制车辆出入"), default=False)
    compensation_fen = models.PositiveIntegerField(_("赔偿金额（分）"), null=True, blank=True)
    reward = models.CharField(_("奖励"), max_length=200, blank=True)
    # The reviewer's notes: the opinions exclude clauses that merely repeat a law, and empty slogans.
    review_comment = models.TextField(_("审查意见"), blank=True)
    repeats_law = models.BooleanField(_("照搬法律条文"), default=False)
    empty_slogan = models.BooleanField(_("空泛口号"), default=False)

    objects = ClauseQuerySet.as_manager()

    class Meta:
        verbose_name = _("条款")
        verbose_name_plural = _("条款")
        ordering = ["version_id", "number"]
        constraints = [models.UniqueConstraint(fields=["version", "number"], name="clause_unique_number")]

    def __str__(self) -> str:
        return _("第%(number)s条") % {"number": self.number}
