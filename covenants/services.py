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
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from covenants import sanctions
from covenants.choices import VERSION_TRANSITIONS, Severity, VersionStatus
from covenants.models import Clause, Covenant, CovenantVersion, EligibilityQuery, Violation, ViolationEvidence
from governance.access.querysets import holds_in
from governance.audit import acting_as
from governance.uploads import AcceptedFile, accept_uploads, attach_files

if TYPE_CHECKING:
    from collections.abc import Sequence

    from django.contrib.auth.models import AbstractBaseUser
    from django.core.files import File

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
    CREATE_COVENANT = "create_covenant"
    START_VERSION = "start_version"
    EDIT_VERSION = "edit_version"
    SAVE_CLAUSE = "save_clause"
    REMOVE_CLAUSE = "remove_clause"
    REVIEW_CLAUSE = "review_clause"
    ASSIGN_REVIEWER = "assign_reviewer"
    ASK_ELIGIBILITY = "ask_eligibility"
    ADD_EVIDENCE = "add_evidence"
    PREVIEW_AWARD_RUN = "preview_award_run"
    RECOMPUTE_AWARD_RUN = "recompute_award_run"
    APPROVE_AWARD_RUN = "approve_award_run"
    DISCARD_AWARD_RUN = "discard_award_run"
    NOMINATE_TO_RED_LIST = "nominate_to_red_list"
    DECIDE_RED_LIST_NOMINATION = "decide_red_list_nomination"
    WITHDRAW_RED_LIST_NOMINATION = "withdraw_red_list_nomination"


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
        _require(acting_user, "covenants.add_violation", village)
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
        violation.recorded_by_id == user.pk and holds_in(user, "covenants.add_violation", violation.division_id)
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
        if violation.referred_to:
            already = _("该违约已移送%(department)s。") % {"department": violation.referred_to}
            raise ValidationError({"department": already})
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
            if version.adopted_on is None:
                raise ValidationError({"adopted_on": _("请先填写村民（代表）会议通过日期，再提交审查。")})
            version.submitted_by = acting_user
        elif to in (VersionStatus.UNDER_REVIEW, VersionStatus.RETURNED, VersionStatus.FILED):
            version.reviewed_by = acting_user
            version.review_comment = comment or version.review_comment
            if to == VersionStatus.FILED:
                flagged = version.clauses.filter(Q(repeats_law=True) | Q(empty_slogan=True)).values_list(
                    "number", flat=True
                )
                if flagged:
                    raise ValidationError(
                        {
                            "status": _("第 %(numbers)s 条被标为照搬法律条文或空泛口号，应退回修改，不能备案。")
                            % {"numbers": "、".join(str(number) for number in flagged)}
                        }
                    )
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


# Writing covenant texts: a covenant, its versions and their clauses. Only a draft or a returned
# version is edited; what was submitted, filed or published is never changed, so a violation
# keeps the exact text it was judged under.

# A clause's consequence rules and texts, as the editor and the API pass them.
CLAUSE_FIELDS = (
    "text",
    "category",
    "about_households",
    "bars_asset_bidding",
    "bars_election",
    "withholds_award",
    "restricts_services",
    "restricts_vehicle_access",
    "compensation_fen",
    "reward",
)
VERSIONS_IN_PROGRESS = (
    VersionStatus.DRAFT,
    VersionStatus.SUBMITTED,
    VersionStatus.UNDER_REVIEW,
    VersionStatus.RETURNED,
    VersionStatus.FILED,
)


def may_edit_version(user, version: CovenantVersion) -> bool:
    return version.is_editable and holds_in(user, "covenants.change_covenantversion", version.covenant.division_id)


def may_review_version(user, version: CovenantVersion) -> bool:
    """The reviewer's right on this version (a per-object grant or the subtree), never its submitter's."""
    if version.status not in (VersionStatus.SUBMITTED, VersionStatus.UNDER_REVIEW):
        return False
    if version.submitted_by_id == user.pk:
        return False
    return holds_in(user, "covenants.review_covenantversion", version.covenant.division_id) or user.has_perm(
        "covenants.review_covenantversion", version
    )


def create_covenant(
    *, acting_user: AbstractBaseUser, division, kind: str, title: str, repeat_window_months: int | None = None
) -> Covenant:
    """A village's new covenant (its general one, or a special one); its text follows as versions."""
    with transaction.atomic(), acting_as(acting_user, action=CovenantsAction.CREATE_COVENANT):
        _require(acting_user, "covenants.add_covenant", division.code)
        covenant = Covenant(division=division, kind=kind, title=title)
        if repeat_window_months is not None:
            covenant.repeat_window_months = repeat_window_months
        covenant.full_clean()
        covenant.save()
        return covenant


def start_version(covenant: Covenant, *, acting_user: AbstractBaseUser) -> CovenantVersion:
    """The covenant's next version as a draft, starting from the clauses of its latest version.

    One version is in progress at a time (draft to filed): a second would let two texts compete
    for publication, so it is refused while one is."""
    with transaction.atomic(), acting_as(acting_user, action=CovenantsAction.START_VERSION):
        covenant = Covenant.objects.select_for_update().get(pk=covenant.pk)
        _require(acting_user, "covenants.add_covenantversion", covenant.division_id)
        in_progress = covenant.versions.filter(status__in=VERSIONS_IN_PROGRESS).first()
        if in_progress is not None:
            raise ValidationError(
                {"covenant": _("第%(number)s版尚在修订或审查中，不能再新建版本。") % {"number": in_progress.number}}
            )
        latest = covenant.versions.order_by("-number").first()
        version = CovenantVersion.objects.create(covenant=covenant, number=(latest.number + 1) if latest else 1)
        if latest is not None:
            Clause.objects.bulk_create(
                Clause(
                    version=version, number=clause.number, **{field: getattr(clause, field) for field in CLAUSE_FIELDS}
                )
                for clause in latest.clauses.order_by("number")
            )
        return version


def _editable(version: CovenantVersion, acting_user) -> CovenantVersion:
    version = CovenantVersion.objects.select_for_update().select_related("covenant").get(pk=version.pk)
    _require(acting_user, "covenants.change_covenantversion", version.covenant.division_id)
    if not version.is_editable:
        raise ValidationError({"version": _("“%(status)s”的版本不能修改。") % {"status": version.get_status_display()}})
    return version


def edit_version(
    version: CovenantVersion, *, acting_user: AbstractBaseUser, adopted_on: datetime.date | None
) -> CovenantVersion:
    """Record the day the villagers' (representative) assembly adopted the draft."""
    with transaction.atomic(), acting_as(acting_user, action=CovenantsAction.EDIT_VERSION):
        version = _editable(version, acting_user)
        if adopted_on is not None:
            _not_in_the_future("adopted_on", adopted_on)
        version.adopted_on = adopted_on
        version.save(update_fields=["adopted_on"])
        return version


def save_clause(
    version: CovenantVersion,
    *,
    acting_user: AbstractBaseUser,
    number: int,
    clause: Clause | None = None,
    **fields,
) -> Clause:
    """Add a clause to an editable version, or change one of its clauses (`clause`)."""
    unknown = set(fields) - set(CLAUSE_FIELDS)
    if unknown:
        raise TypeError(f"unknown clause fields: {sorted(unknown)}")
    with transaction.atomic(), acting_as(acting_user, action=CovenantsAction.SAVE_CLAUSE):
        version = _editable(version, acting_user)
        if clause is None:
            clause = Clause(version=version)
        else:
            clause = Clause.objects.select_for_update().get(pk=clause.pk, version=version)
        taken = version.clauses.filter(number=number).exclude(pk=clause.pk).exists()
        if taken:
            raise ValidationError({"number": _("本版本已有第%(number)s条。") % {"number": number}})
        clause.number = number
        for field, value in fields.items():
            setattr(clause, field, value)
        # A changed clause is a new text: the reviewer's earlier notes on it no longer apply.
        clause.review_comment, clause.repeats_law, clause.empty_slogan = "", False, False
        clause.full_clean(exclude=["version"])
        clause.save()
        return clause


def next_clause_number(version: CovenantVersion) -> int:
    return (version.clauses.aggregate(last=Max("number"))["last"] or 0) + 1


def remove_clause(clause: Clause, *, acting_user: AbstractBaseUser) -> None:
    """Take a clause out of an editable version (a clause already judged under stays in its own
    version, which is no longer editable)."""
    with transaction.atomic(), acting_as(acting_user, action=CovenantsAction.REMOVE_CLAUSE):
        _editable(clause.version, acting_user)
        Clause.objects.filter(pk=clause.pk).delete()


def review_clause(
    clause: Clause,
    *,
    acting_user: AbstractBaseUser,
    comment: str = "",
    repeats_law: bool = False,
    empty_slogan: bool = False,
) -> Clause:
    """The reviewer's note on a clause of a version under review: a comment, and whether it merely
    repeats a law or is an empty slogan (the opinions exclude both; a flagged version is returned,
    not filed)."""
    with transaction.atomic(), acting_as(acting_user, action=CovenantsAction.REVIEW_CLAUSE):
        clause = Clause.objects.select_for_update().select_related("version__covenant").get(pk=clause.pk)
        if not may_review_version(acting_user, clause.version):
            if clause.version.submitted_by_id == acting_user.pk:
                raise PermissionDenied(_("不能审查自己提交的版本。"))
            if clause.version.status not in (VersionStatus.SUBMITTED, VersionStatus.UNDER_REVIEW):
                raise ValidationError({"comment": _("只有提交审查中的版本才能填写审查意见。")})
            raise PermissionDenied(_("您无权审查该公约版本。"))
        clause.review_comment = comment
        clause.repeats_law = repeats_law
        clause.empty_slogan = empty_slogan
        clause.save(update_fields=["review_comment", "repeats_law", "empty_slogan"])
        return clause


# Compliance award runs: their services live in covenants.award_services (imported last, as it
# reads CovenantsAction and _require above), re-exported here as the app's one services module.
from covenants.award_services import (  # noqa: E402, F401
    approve_award_run,
    discard_award_run,
    may_approve_award_run,
    may_discard_award_run,
    may_recompute_award_run,
    preview_award_run,
    recompute_award_run,
)
