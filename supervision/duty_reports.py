"""The duty report evaluation (述职评议) of a village or cooperative for an assessment period: the
votes satisfied, basically satisfied and dissatisfied, recorded by the town that assesses it; the
computed indicator duty_report turns them into a score (supervision.choices.DUTY_REPORT_POINTS).

Imported at the end of supervision/models.py, so that Django finds the model in the app.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

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
from supervision.choices import DUTY_REPORT_POINTS, NO_DUTY_REPORT_SCORE, UnitLevel

# Who records an evaluation: whoever enters the scores of the unit's assessment.
RECORD_PERMISSION = "supervision.add_scoreentry"
# The most votes of one kind an evaluation takes: more than any villagers' assembly casts, and low
# enough that the indicator's integer arithmetic (votes × 100, summed) stays in range.
MAX_VOTES = 100_000
VOTE_FIELDS = ("satisfied", "basically_satisfied", "dissatisfied")


def duty_report_score(satisfied: int, basically_satisfied: int, dissatisfied: int) -> Decimal:
    """The score the computed indicator duty_report gives these votes (supervision.indicators
    DUTY_REPORT, the same rule in Python): points per vote (DUTY_REPORT_POINTS) over all votes,
    rounded half up to 2 decimals; no votes score NO_DUTY_REPORT_SCORE."""
    votes = {"satisfied": satisfied, "basically_satisfied": basically_satisfied, "dissatisfied": dissatisfied}
    total = sum(votes.values())
    if not total:
        return NO_DUTY_REPORT_SCORE
    points = sum(count * DUTY_REPORT_POINTS[field] for field, count in votes.items())
    hundredths = (2 * 100 * points + total) // (2 * total)  # points / total × 100, half up
    return Decimal(hundredths).scaleb(-2)


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

    @property
    def total_votes(self) -> int:
        return self.satisfied + self.basically_satisfied + self.dissatisfied

    @property
    def score(self) -> Decimal:
        """What the indicator duty_report scores these votes (duty_report_score)."""
        return duty_report_score(self.satisfied, self.basically_satisfied, self.dissatisfied)


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
        errors.update(
            {
                field: [_("票数不能超过 %(max)d。") % {"max": MAX_VOTES}]
                for field, count in votes.items()
                if field not in errors and count > MAX_VOTES
            }
        )
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


def record_duty_reports(
    reports: Sequence[dict], *, acting_user: AbstractBaseUser, period: str
) -> list[DutyReportEvaluation]:
    """Record the votes of many units for one period, all of them or none: each report is
    `{"unit": Division, "satisfied": n, "basically_satisfied": n, "dissatisfied": n}`, recorded by
    record_duty_report. A bad report (bad votes, a unit that is no village or cooperative or one
    the user may not record for) is named by its index: supervision.services.RowErrors("reports",
    {index: {field: [message]}}), and nothing is saved."""
    from supervision.services import RowErrors, SupervisionAction

    with transaction.atomic(), acting_as(acting_user, action=SupervisionAction.RECORD_DUTY_REPORT):
        try:
            label = Period.parse(period).label
        except ValidationError as error:
            raise ValidationError({"period": error.messages}) from error
        if not reports:
            raise ValidationError({"reports": [_("请至少填写一个单位的票数。")]})
        saved: list[DutyReportEvaluation] = []
        errors: dict[int, dict[str, list[str]]] = {}
        for index, report in enumerate(reports):
            try:
                saved.append(
                    record_duty_report(
                        report["unit"],
                        acting_user=acting_user,
                        period=label,
                        **{field: report.get(field, 0) for field in VOTE_FIELDS},
                    )
                )
            except PermissionDenied as error:
                errors[index] = {"unit": [str(error)]}
            except ValidationError as error:
                errors[index] = error.message_dict if hasattr(error, "error_dict") else {"unit": error.messages}
        if errors:
            raise RowErrors("reports", errors)
        return saved
