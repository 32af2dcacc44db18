"""The duty report evaluation (述职评议) of a village or cooperative for an assessment period: the
votes satisfied, basically satisfied and dissatisfied, recorded for the body that evaluates it (a
cooperative's by its village party organisation, a village's by the town: Nanhai task 09,
supervision.choices.evaluating_body); the computed indicator duty_report turns them into a score
(supervision.choices.DUTY_REPORT_POINTS).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from governance.audit import track_history
from governance.base_models import ScopedModel
from supervision.choices import EvaluatingBody, duty_report_score


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
    evaluated_by_body = models.CharField(
        _("评议主体"), max_length=32, choices=EvaluatingBody.choices, default=EvaluatingBody.TOWN
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now=True)

    class Meta:
        verbose_name = _("述职评议")
        verbose_name_plural = _("述职评议")
        ordering = ["unit_id", "-period"]
        permissions = [("evaluate_dutyreportevaluation", _("代表村党组织登记经济社述职评议"))]
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
