"""The duty report evaluation (述职评议) of a village or cooperative for an assessment period: the
votes satisfied, basically satisfied and dissatisfied, recorded by the town that assesses it; the
computed indicator duty_report turns them into a score (supervision.choices.DUTY_REPORT_POINTS).

Imported at the end of supervision/models.py, so that Django finds the model in the app.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from governance.access.querysets import holds_in
from governance.audit import acting_as, track_history
from governance.base_models import ScopedModel
from governance.periods import Period
from supervision.choices import UnitLevel

# Who records an evaluation: whoever enters the scores of the unit's assessment.
RECORD_PERMISSION = "supervision.add_scoreentry"


@track_history
class DutyReportEvaluation(ScopedModel):
    """The votes on a unit's duty report for one period (a later record for the same unit and
    period replaces the votes)."""

    scope_field = "unit__code"

    unit = models.ForeignKey(
        "villages.Division", verbose_name=_("述职单位"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(_("考核期间"), max_length=7)
    satisfied = models.PositiveIntegerField(_("满意票"))
    basically_satisfied = models.PositiveIntegerField(_("基本满意票"))
    dissatisfied = models.PositiveIntegerField(_("不满意票"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now=True)

    class Meta:
        verbose_name = _("述职评议")
        verbose_name_plural = _("述职评议")
        ordering = ["unit_id", "-period"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "period"], name="duty_report_once_per_period"),
            models.CheckConstraint(
                condition=Q(satisfied__gt=0) | Q(basically_satisfied__gt=0) | Q(dissatisfied__gt=0),
                name="duty_report_has_votes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} · {self.period}"


def record_duty_report(
    unit,
    *,
    acting_user: AbstractBaseUser,
    period: str,
    satisfied: int,
    basically_satisfied: int,
    dissatisfied: int,
) -> DutyReportEvaluation:
    """Record (or replace) the votes on a village's or cooperative's duty report for a period."""
    from supervision.services import SupervisionAction

    with transaction.atomic(), acting_as(acting_user, action=SupervisionAction.RECORD_DUTY_REPORT):
        if not holds_in(acting_user, RECORD_PERMISSION, unit.code):
            raise PermissionDenied(_("您无权登记该单位的述职评议。"))
        if unit.level not in UnitLevel.values:
            raise ValidationError({"unit": [_("述职评议的对象应为村（社区）或经济社。")]})
        try:
            label = Period.parse(period).label
        except ValidationError as error:
            raise ValidationError({"period": error.messages}) from error
        votes = {"satisfied": satisfied, "basically_satisfied": basically_satisfied, "dissatisfied": dissatisfied}
        errors = {
            field: [_("票数应为非负整数。")]
            for field, count in votes.items()
            if isinstance(count, bool) or not isinstance(count, int) or count < 0
        }
        if errors:
            raise ValidationError(errors)
        if not sum(votes.values()):
            raise ValidationError({"satisfied": [_("请至少填写一张票。")]})
        evaluation = DutyReportEvaluation.objects.select_for_update().filter(unit=unit, period=label).first()
        if evaluation is None:
            return DutyReportEvaluation.objects.create(unit=unit, period=label, recorded_by=acting_user, **votes)
        for field, count in votes.items():
            setattr(evaluation, field, count)
        evaluation.recorded_by = acting_user
        evaluation.save()
        return evaluation
