"""Recording the duty report evaluations (述职评议) of a village or cooperative for a period, one
unit or a page of them at once (all or none); the computed indicator duty_report scores the votes.

Who records it follows who evaluates (Nanhai task 09): a cooperative reports to its village party
organisation, so its evaluation is recorded by who holds COOPERATIVE_DUTY_REPORT_PERMISSION at the
cooperative's village (the village clerk, on the organisation's behalf), never by the town; a
village's (community's) is recorded by the town (DUTY_REPORT_PERMISSION at the village)."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from governance.access.querysets import holds_in
from governance.audit import acting_as
from governance.guards import require_permission_at
from supervision.choices import (
    COOPERATIVE_DUTY_REPORT_PERMISSION,
    DUTY_REPORT_PERMISSION,
    MAX_VOTES,
    VOTE_FIELDS,
    UnitLevel,
    evaluating_body,
)
from supervision.models import DutyReportEvaluation
from supervision.services.actions import RowErrors, SupervisionAction, parse_period

# What the town is told when it records a cooperative's evaluation (Nanhai task 09).
COOPERATIVE_EVALUATED_BY_VILLAGE = _(
    "经济社向村党组织述职，其述职评议由所在村党组织（村文书代为）登记，镇（街道）只能查阅。"
)


def require_right_to_evaluate(user, unit) -> None:
    """PermissionDenied unless `user` may record the evaluation of `unit`'s duty report: for a
    cooperative, the right of its village party organisation held at its village (a town official,
    who holds no such right, is told whose it is); for a village, the town's right at the village."""
    if unit.level != UnitLevel.COOPERATIVE:
        require_permission_at(user, DUTY_REPORT_PERMISSION, unit.code)
        return
    if holds_in(user, COOPERATIVE_DUTY_REPORT_PERMISSION, unit.parent_id):
        return
    if holds_in(user, DUTY_REPORT_PERMISSION, unit.code):
        raise PermissionDenied(COOPERATIVE_EVALUATED_BY_VILLAGE)
    require_permission_at(user, COOPERATIVE_DUTY_REPORT_PERMISSION, unit.parent_id)


def record_duty_report(
    unit,
    *,
    acting_user: AbstractBaseUser,
    period: str,
    satisfied: int,
    basically_satisfied: int,
    dissatisfied: int,
) -> DutyReportEvaluation:
    """Record (or replace) the votes on a village's or cooperative's duty report for a period, with
    the body that evaluated it (supervision.choices.evaluating_body)."""
    with transaction.atomic(), acting_as(acting_user, action=SupervisionAction.RECORD_DUTY_REPORT):
        if unit.level not in UnitLevel.values:
            raise ValidationError({"unit": [_("述职评议的对象应为村（社区）或经济社。")]})
        require_right_to_evaluate(acting_user, unit)
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
        body = evaluating_body(unit.level)
        evaluation = DutyReportEvaluation.objects.select_for_update().filter(unit=unit, period=label).first()
        if evaluation is None:
            return DutyReportEvaluation.objects.create(
                unit=unit, period=label, evaluated_by_body=body, recorded_by=acting_user, **votes
            )
        for field, count in votes.items():
            setattr(evaluation, field, count)
        evaluation.evaluated_by_body = body
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
