"""Violations (违约记录): recording one with its evidence, confirming it (four eyes), the appeal and
its decision, rectification and referral to a department.

Each action is atomic: it locks its row, re-checks the acting user's right where the violation
lies inside the transaction (governance.guards) and writes under the audit context naming it
(CovenantsAction). Errors are field-level ValidationErrors or PermissionDenied, which the API and
the pages turn into 400 and 403. The `may_*` predicates are what the pages ask before they offer
a step; the service has the last word, inside its transaction.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from covenants.choices import Severity
from covenants.models import Clause, Violation, ViolationEvidence
from covenants.services.actions import CovenantsAction
from governance.access.querysets import holds_in
from governance.audit import acting_as
from governance.clock import today
from governance.guards import is_own_record, not_in_the_future, require_another_user, require_permission_at
from governance.uploads import AcceptedFile, accept_uploads, attach_files

if TYPE_CHECKING:
    from collections.abc import Sequence

    from django.contrib.auth.models import AbstractBaseUser
    from django.core.files import File

    from villages.models import Person


def may_confirm(user, violation: Violation) -> bool:
    """The right to confirm where it lies, and not its recorder (four eyes)."""
    return (
        violation.awaits_confirmation
        and not is_own_record(violation.recorded_by_id, user)
        and holds_in(user, "covenants.confirm_violation", violation.division_id)
    )


def may_appeal(user, violation: Violation) -> bool:
    return violation.open_to_appeal and holds_in(user, "covenants.change_violation", violation.division_id)


def may_decide_appeal(user, violation: Violation) -> bool:
    return violation.appeal_pending and holds_in(user, "covenants.decide_appeal_violation", violation.division_id)


def may_rectify(user, violation: Violation) -> bool:
    return violation.rectified_on is None and holds_in(user, "covenants.change_violation", violation.division_id)


def may_refer(user, violation: Violation) -> bool:
    """A confirmed serious violation not yet referred may be referred by those who may change it."""
    return (
        violation.severity == Severity.SERIOUS
        and violation.confirmed_on is not None
        and not violation.referred_to
        and holds_in(user, "covenants.change_violation", violation.division_id)
    )


def record_violation(
    *,
    acting_user: AbstractBaseUser,
    person: Person,
    clause: Clause,
    occurred_on: datetime.date,
    facts: str,
    severity: str = Severity.MINOR,
    evidence: Sequence[File | AcceptedFile] = (),
) -> Violation:
    """A clerk records a violation of a clause in force in the person's village, with its
    evidence files if any: one bad file refuses the whole record (nothing is written)."""
    with transaction.atomic(), acting_as(acting_user, action=CovenantsAction.RECORD_VIOLATION):
        village = clause.version.covenant.division_id
        require_permission_at(acting_user, "covenants.add_violation", village)
        evidence = accept_uploads(evidence, field_name="evidence")
        violation = Violation(
            division_id=village,
            person=person,
            clause=clause,
            occurred_on=occurred_on,
            facts=facts,
            severity=severity,
            recorded_by=acting_user,
        )
        violation.full_clean()
        violation.save()
        # Last, so that a failure of anything before it leaves no file on disk.
        attach_files(ViolationEvidence, record=violation, files=evidence, acting_user=acting_user)
        return violation


def may_add_evidence(user, violation: Violation) -> bool:
    """The right to change the violation where it lies, or its recorder's right to record there
    (a clerk adds the photos of what they recorded). Its state does not matter: evidence of a
    confirmed violation, or of one under appeal, is still added."""
    return holds_in(user, "covenants.change_violation", violation.division_id) or (
        is_own_record(violation.recorded_by_id, user)
        and holds_in(user, "covenants.add_violation", violation.division_id)
    )


def add_evidence(
    violation: Violation, *, acting_user: AbstractBaseUser, files: Sequence[File | AcceptedFile]
) -> list[ViolationEvidence]:
    """Attach evidence files (photos, documents) to a violation, all of them or none.

    There is no removing them, through the pages or the API: evidence backs a confirmation and
    the sanctions that follow it (bars of 3 and 5 years, lifelong accountability), and an appeal
    is judged on it; a file added by mistake stays, visible as such in the audit trail."""
    with transaction.atomic(), acting_as(acting_user, action=CovenantsAction.ADD_EVIDENCE):
        violation = Violation.objects.select_for_update().get(pk=violation.pk)
        if not may_add_evidence(acting_user, violation):
            raise PermissionDenied(_("您无权为该违约记录添加证据。"))
        accepted = accept_uploads(files, field_name="files")
        if not accepted:
            raise ValidationError({"files": _("请选择要上传的证据文件。")})
        return attach_files(ViolationEvidence, record=violation, files=accepted, acting_user=acting_user)


def confirm_violation(
    violation: Violation, *, acting_user: AbstractBaseUser, confirmed_on: datetime.date, severity: str | None = None
) -> Violation:
    """Another user in scope confirms the violation on a day: a town official, or another clerk of
    the village; never the one who recorded it (four eyes). Its sanctions run from that day."""
    with transaction.atomic(), acting_as(acting_user, action=CovenantsAction.CONFIRM_VIOLATION):
        violation = Violation.objects.select_for_update().get(pk=violation.pk)
        require_permission_at(acting_user, "covenants.confirm_violation", violation.division_id)
        require_another_user(violation.recorded_by_id, acting_user)
        if not violation.awaits_confirmation:
            raise ValidationError({"confirmed_on": _("该违约已认定。")})
        if confirmed_on < violation.occurred_on:
            raise ValidationError(
                {"confirmed_on": _("认定日期不能早于发生日期（%(day)s）。") % {"day": violation.occurred_on}}
            )
        not_in_the_future("confirmed_on", confirmed_on)
        if severity is not None and severity not in Severity.values:
            raise ValidationError({"severity": _("情节只能是“一般”或“严重”。")})
        violation.confirmed_on = confirmed_on
        violation.confirmed_by = acting_user
        if severity is not None:
            violation.severity = severity
        violation.save(update_fields=["confirmed_on", "confirmed_by", "severity"])
        return violation


def file_appeal(
    violation: Violation, *, acting_user: AbstractBaseUser, reason: str, filed_on: datetime.date | None = None
) -> Violation:
    """A clerk files the person's appeal against a confirmed violation (today unless a day is
    given); the town decides it."""
    filed_on = filed_on or today()
    with transaction.atomic(), acting_as(acting_user, action=CovenantsAction.FILE_APPEAL):
        violation = Violation.objects.select_for_update().get(pk=violation.pk)
        require_permission_at(acting_user, "covenants.change_violation", violation.division_id)
        if violation.awaits_confirmation:
            raise ValidationError({"filed_on": _("违约认定后才能申诉。")})
        if not violation.open_to_appeal:
            raise ValidationError({"filed_on": _("该违约已有申诉。")})
        if filed_on < violation.confirmed_on:
            raise ValidationError({"filed_on": _("申诉日期不能早于认定日期。")})
        not_in_the_future("filed_on", filed_on)
        violation.appeal_filed_on = filed_on
        violation.appeal_reason = reason
        violation.save(update_fields=["appeal_filed_on", "appeal_reason"])
        return violation


def decide_appeal(
    violation: Violation, *, acting_user: AbstractBaseUser, upheld: bool, decided_on: datetime.date | None = None
) -> Violation:
    """The town decides an appeal (today unless a day is given); upheld, it lifts everything the
    violation caused."""
    decided_on = decided_on or today()
    with transaction.atomic(), acting_as(acting_user, action=CovenantsAction.DECIDE_APPEAL):
        violation = Violation.objects.select_for_update().get(pk=violation.pk)
        require_permission_at(acting_user, "covenants.decide_appeal_violation", violation.division_id)
        if violation.appeal_filed_on is None:
            raise ValidationError({"upheld": _("该违约没有待处理的申诉。")})
        if not violation.appeal_pending:
            raise ValidationError({"upheld": _("该申诉已处理。")})
        if decided_on < violation.appeal_filed_on:
            raise ValidationError({"decided_on": _("处理日期不能早于申诉日期。")})
        not_in_the_future("decided_on", decided_on)
        violation.appeal_upheld = upheld
        violation.appeal_decided_on = decided_on
        violation.appeal_decided_by = acting_user
        violation.save(update_fields=["appeal_upheld", "appeal_decided_on", "appeal_decided_by"])
        return violation


def mark_rectified(violation: Violation, *, acting_user: AbstractBaseUser, rectified_on: datetime.date) -> Violation:
    """The violation is put right: restrictions that last until rectification end that day."""
    with transaction.atomic(), acting_as(acting_user, action=CovenantsAction.RECTIFY_VIOLATION):
        violation = Violation.objects.select_for_update().get(pk=violation.pk)
        require_permission_at(acting_user, "covenants.change_violation", violation.division_id)
        if violation.rectified_on is not None:
            raise ValidationError({"rectified_on": _("该违约已登记整改。")})
        if rectified_on < violation.occurred_on:
            raise ValidationError({"rectified_on": _("整改日期不能早于发生日期。")})
        not_in_the_future("rectified_on", rectified_on)
        violation.rectified_on = rectified_on
        violation.save(update_fields=["rectified_on"])
        return violation


def refer_violation(
    violation: Violation, *, acting_user: AbstractBaseUser, department: str, referred_on: datetime.date
) -> Violation:
    """A serious violation is referred to a department (law enforcement, land, housing...)."""
    with transaction.atomic(), acting_as(acting_user, action=CovenantsAction.REFER_VIOLATION):
        violation = Violation.objects.select_for_update().get(pk=violation.pk)
        require_permission_at(acting_user, "covenants.change_violation", violation.division_id)
        if violation.severity != Severity.SERIOUS or violation.confirmed_on is None:
            raise ValidationError({"department": _("只有认定为情节严重的违约才能移送。")})
        if violation.referred_to:
            already = _("该违约已移送%(department)s。") % {"department": violation.referred_to}
            raise ValidationError({"department": already})
        if referred_on < violation.confirmed_on:
            raise ValidationError({"referred_on": _("移送日期不能早于认定日期。")})
        not_in_the_future("referred_on", referred_on)
        violation.referred_to = department
        violation.referred_on = referred_on
        violation.save(update_fields=["referred_to", "referred_on"])
        return violation
