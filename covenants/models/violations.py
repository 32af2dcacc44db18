"""Violations of covenant clauses, their evidence files, and the log of eligibility questions."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from covenants.choices import EligibilityAction, Severity, VersionStatus
from covenants.models.covenants import Clause
from covenants.querysets import ViolationQuerySet
from governance.audit import track_history
from governance.base_models import ScopedModel
from governance.files import PrivateFile
from governance.guards import not_in_the_future


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
        indexes = [
            models.Index(fields=["person", "occurred_on"], name="violation_person_occurred"),
            # The violations list (the API's, newest first) of a town or a district, whose code
            # range the order by day cannot lead with: read backwards, the division kept or
            # skipped from the index alone, a page stops after its 50 records instead of sorting
            # the scope's. A village's few are found by the division index and sorted.
            models.Index(fields=["occurred_on", "id"], include=["division"], name="violation_occurred"),
        ]
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
        not_in_the_future("occurred_on", self.occurred_on)
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
