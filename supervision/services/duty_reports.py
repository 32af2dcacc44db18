"""Recording the duty report evaluations (述职评议) of a village or cooperative for a period, one
unit or a page of them at once (all or none); the computed indicator duty_report scores the votes."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from governance.audit import acting_as
from governance.guards import require_permission_at
from supervision.choices import DUTY_REPORT_PERMISSION, MAX_VOTES, VOTE_FIELDS, UnitLevel
from supervision.models import DutyReportEvaluation
from supervision.services.actions import RowErrors, SupervisionAction, parse_period


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
    with transaction.atomic(), acting_as(acting_user, action=SupervisionAction.RECORD_DUTY_REPORT):
        require_permission_at(acting_user, DUTY_REPORT_PERMISSION, unit.code)
        if unit.level not in UnitLevel.values:
            raise ValidationError({"unit": [_("述职评议的对象应为村（社区）或经济社。")]})
        label = parse_period(period).label
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
    the user may not record for) is named by its index: RowErrors("reports",
    {index: {field: [message]}}), and nothing is saved."""
    with transaction.atomic(), acting_as(acting_user, action=SupervisionAction.RECORD_DUTY_REPORT):
        label = parse_period(period).label
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
