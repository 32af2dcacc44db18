"""Workflow actions of the covenants app: one function per action, atomic, with the acting user.

Each locks its row, re-checks the acting user's right where the record lies inside the
transaction, and writes under the audit context naming the action (CovenantsAction). Errors are
field-level ValidationErrors or PermissionDenied, which the API and the pages turn into 400 and 403.
"""

from __future__ import annotations

import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from covenants import sanctions
from covenants.choices import VERSION_TRANSITIONS, Severity, VersionStatus
from covenants.models import Clause, CovenantVersion, EligibilityQuery, Violation
from governance.access.querysets import holds_in
from governance.audit import acting_as

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from villages.models import Person


class CovenantsAction(StrEnum):
    """The workflow actions of this app, as the audit trail names them (pgh_context "action")."""

    RECORD_VIOLATION = "record_violation"
    CONFIRM_VIOLATION = "confirm_violation"
    FILE_APPEAL = "file_appeal"
    DECIDE_APPEAL = "decide_appeal"
    RECTIFY_VIOLATION = "rectify_violation"
    REFER_VIOLATION = "refer_violation"
    MOVE_VERSION = "move_version"
    ASSIGN_REVIEWER = "assign_reviewer"
    ASK_ELIGIBILITY = "ask_eligibility"


def _require(user, perm: str, division_code: str) -> None:
    if not holds_in(user, perm, division_code):
        raise PermissionDenied(_("您无权在该区划执行此操作。"))


def _not_in_the_future(field: str, day: datetime.date) -> None:
    if day > datetime.date.today():
        raise ValidationError({field: _("日期不能晚于今天。")})


# What the pages ask before they offer a step: whether the service would let `user` take it now.
# The service has the last word, inside its transaction.


def may_confirm(user, violation: Violation) -> bool:
    """The right to confirm where it lies, and not its recorder (four eyes)."""
    return (
        violation.awaits_confirmation
        and violation.recorded_by_id != user.pk
        and holds_in(user, "covenants.confirm_violation", violation.division_id)
    )


def may_appeal(user, violation: Violation) -> bool:
    return violation.open_to_appeal and holds_in(user, "covenants.change_violation", violation.division_id)


def may_decide_appeal(user, violation: Violation) -> bool:
    return violation.appeal_pending and holds_in(user, "covenants.decide_appeal_violation", violation.division_id)


def may_rectify(user, violation: Violation) -> bool:
    return violation.rectified_on is None and holds_in(user, "covenants.change_violation", violation.division_id)


def record_violation(
    *,
    acting_user: AbstractBaseUser,
    person: Person,
    clause: Clause,
    occurred_on: datetime.date,
    facts: str,
    severity: str = Severity.MINOR,
) -> Violation:
    """A clerk records a violation of a clause in force in the person's village."""
    with transaction.atomic(), acting_as(acting_user, action=CovenantsAction.RECORD_VIOLATION):
        village = clause.version.covenant.division_id
        _require(acting_user, "covenants.add_violation", village)
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
        return violation


def confirm_violation(
    violation: Violation, *, acting_user: AbstractBaseUser, confirmed_on: datetime.date, severity: str | None = None
) -> Violation:
    """Another user in scope confirms the violation on a day: a town official, or another clerk of
    the village; never the one who recorded it (four eyes). Its sanctions run from that day."""
    with transaction.atomic(), acting_as(acting_user, action=CovenantsAction.CONFIRM_VIOLATION):
        violation = Violation.objects.select_for_update().get(pk=violation.pk)
        _require(acting_user, "covenants.confirm_violation", violation.division_id)
        if violation.recorded_by_id == acting_user.pk:
            raise PermissionDenied(_("不能认定自己登记的违约。"))
        if not violation.awaits_confirmation:
            raise ValidationError({"confirmed_on": _("该违约已认定。")})
        if confirmed_on < violation.occurred_on:
            raise ValidationError(
                {"confirmed_on": _("认定日期不能早于发生日期（%(day)s）。") % {"day": violation.occurred_on}}
            )
        _not_in_the_future("confirmed_on", confirmed_on)
        if severity is not None and severity not in Severity.values:
            raise ValidationError({"severity": _("情节只能是“一般”或“严重”。")})
        violation.confirmed_on = confirmed_on
        violation.confirmed_by = acting_user
        if severity is not None:
            violation.severity = severity
        violation.save(update_fields=["confirmed_on", "confirmed_by", "severity"])
        return violation


def file_appeal(
    violation: Violation, *, acting_user: AbstractBaseUser, filed_on: datetime.date, reason: str
) -> Violation:
    """A clerk files the person's appeal against a confirmed violation; the town decides it."""
    with transaction.atomic(), acting_as(acting_user, action=CovenantsAction.FILE_APPEAL):
        violation = Violation.objects.select_for_update().get(pk=violation.pk)
        _require(acting_user, "covenants.change_violation", violation.division_id)
        if violation.awaits_confirmation:
            raise ValidationError({"filed_on": _("违约认定后才能申诉。")})
        if not violation.open_to_appeal:
            raise ValidationError({"filed_on": _("该违约已有申诉。")})
        if filed_on < violation.confirmed_on:
            raise ValidationError({"filed_on": _("申诉日期不能早于认定日期。")})
        _not_in_the_future("filed_on", filed_on)
        violation.appeal_filed_on = filed_on
        violation.appeal_reason = reason
        violation.save(update_fields=["appeal_filed_on", "appeal_reason"])
        return violation


def decide_appeal(
    violation: Violation, *, acting_user: AbstractBaseUser, upheld: bool, decided_on: datetime.date | None = None
) -> Violation:
    """The town decides an appeal (today unless a day is given); upheld, it lifts everything the
    violation caused."""
    decided_on = decided_on or datetime.date.today()
    with transaction.atomic(), acting_as(acting_user, action=CovenantsAction.DECIDE_APPEAL):
        violation = Violation.objects.select_for_update().get(pk=violation.pk)
        _require(acting_user, "covenants.decide_appeal_violation", violation.division_id)
        if violation.appeal_filed_on is None:
            raise ValidationError({"upheld": _("该违约没有待处理的申诉。")})
        if not violation.appeal_pending:
            raise ValidationError({"upheld": _("该申诉已处理。")})
        if decided_on < violation.appeal_filed_on:
            raise ValidationError({"decided_on": _("处理日期不能早于申诉日期。")})
        _not_in_the_future("decided_on", decided_on)
        violation.appeal_upheld = upheld
        violation.appeal_decided_on = decided_on
        violation.appeal_decided_by = acting_user
        violation.save(update_fields=["appeal_upheld", "appeal_decided_on", "appeal_decided_by"])
        return violation


def mark_rectified(violation: Violation, *, acting_user: AbstractBaseUser, rectified_on: datetime.date) -> Violation:
    """The violation is put right: restrictions that last until rectification end that day."""
    with transaction.atomic(), acting_as(acting_user, action=CovenantsAction.RECTIFY_VIOLATION):
        violation = Violation.objects.select_for_update().get(pk=violation.pk)
        _require(acting_user, "covenants.change_violation", violation.division_id)
        if violation.rectified_on is not None:
            raise ValidationError({"rectified_on": _("该违约已登记整改。")})
        if rectified_on < violation.occurred_on:
            raise ValidationError({"rectified_on": _("整改日期不能早于发生日期。")})
        _not_in_the_future("rectified_on", rectified_on)
        violation.rectified_on = rectified_on
        violation.save(update_fields=["rectified_on"])
        return violation


def refer_violation(
    violation: Violation, *, acting_user: AbstractBaseUser, department: str, referred_on: datetime.date
) -> Violation:
    """A serious violation is referred to a department (law enforcement, land, housing...)."""
    with transaction.atomic(), acting_as(acting_user, action=CovenantsAction.REFER_VIOLATION):
        violation = Violation.objects.select_for_update().get(pk=violation.pk)
        _require(acting_user, "covenants.change_violation", violation.division_id)
        if violation.severity != Severity.SERIOUS or violation.confirmed_on is None:
            raise ValidationError({"department": _("只有认定为情节严重的违约才能移送。")})
        if referred_on < violation.confirmed_on:
            raise ValidationError({"referred_on": _("移送日期不能早于认定日期。")})
        _not_in_the_future("referred_on", referred_on)
        violation.referred_to = department
        violation.referred_on = referred_on
        violation.save(update_fields=["referred_to", "referred_on"])
        return violation


# What a reviewer outside the village's subtree is granted on the one version they review: to
# open it (in the pages and the API, which restrict to what the user may view) and to review it.
REVIEWER_PERMISSIONS = ("covenants.view_covenantversion", "covenants.review_covenantversion")


def assign_reviewer(
    version: CovenantVersion, *, acting_user: AbstractBaseUser, reviewer: AbstractBaseUser
) -> CovenantVersion:
    """Send a version to its reviewer (general covenants to the civil affairs bureau's, special
    ones to the relevant department's): a per-object grant (django-guardian), not a subtree."""
    from guardian.shortcuts import assign_perm

    with transaction.atomic(), acting_as(acting_user, action=CovenantsAction.ASSIGN_REVIEWER):
        version = CovenantVersion.objects.select_for_update().select_related("covenant").get(pk=version.pk)
        _require(acting_user, "covenants.change_covenantversion", version.covenant.division_id)
        if version.submitted_by_id is not None and version.submitted_by_id == reviewer.pk:
            raise ValidationError({"reviewer": _("不能由提交人审查自己提交的版本。")})
        for permission in REVIEWER_PERMISSIONS:
            assign_perm(permission, reviewer, version)
        return version


def move_version(
    version: CovenantVersion, *, acting_user: AbstractBaseUser, to: str, on: datetime.date, comment: str = ""
) -> CovenantVersion:
    """Move a covenant version along VERSION_TRANSITIONS. Submitting needs the right to change it;
    review, return and filing need the right to review it (a grant on the version, or the
    subtree) and someone other than who submitted it; publishing supersedes the version in force."""
    with transaction.atomic(), acting_as(acting_user, action=CovenantsAction.MOVE_VERSION):
        version = CovenantVersion.objects.select_for_update().select_related("covenant").get(pk=version.pk)
        if to not in VERSION_TRANSITIONS[version.status]:
            raise ValidationError(
                {"status": _("版本不能从“%(from)s”改为“%(to)s”。") % {"from": version.get_status_display(), "to": to}}
            )
        village = version.covenant.division_id
        if to in (VersionStatus.SUBMITTED, VersionStatus.PUBLISHED):
            _require(acting_user, "covenants.change_covenantversion", village)
        else:
            may_review = holds_in(acting_user, "covenants.review_covenantversion", village) or (
                CovenantVersion.objects.restrict(acting_user, "review").filter(pk=version.pk).exists()
            )
            if not may_review:
                raise PermissionDenied(_("您无权审查该公约版本。"))
            if version.submitted_by_id == acting_user.pk:
                raise PermissionDenied(_("不能审查自己提交的版本。"))
        if to == VersionStatus.SUBMITTED:
            if not version.clauses.exists():
                raise ValidationError({"status": _("没有条款的版本不能提交。")})
            version.submitted_by = acting_user
        elif to in (VersionStatus.UNDER_REVIEW, VersionStatus.RETURNED, VersionStatus.FILED):
            version.reviewed_by = acting_user
            version.review_comment = comment or version.review_comment
            if to == VersionStatus.FILED:
                version.filed_on = on
        elif to == VersionStatus.PUBLISHED:
            CovenantVersion.objects.filter(covenant=version.covenant, status=VersionStatus.PUBLISHED).update(
                status=VersionStatus.SUPERSEDED, superseded_on=on
            )
            version.published_on = on
        version.status = to
        version.save()
        return version


def ask_eligibility(
    person: Person, *, acting_user: AbstractBaseUser, action: str, on: datetime.date
) -> sanctions.Eligibility:
    """Answer "may this person do X on day D?" and log the question (who, about whom, when, the
    answer), which is personal data read where the person is registered."""
    answer = sanctions.eligibility(person.pk, action, on)
    with transaction.atomic(), acting_as(acting_user, action=CovenantsAction.ASK_ELIGIBILITY):
        EligibilityQuery.objects.create(
            asked_by=acting_user,
            person=person,
            action=action,
            on=on,
            eligible=answer.eligible,
            eligible_from=answer.eligible_from,
        )
    return answer
