"""Covenant texts (村规民约) and their review: a covenant, its versions and their clauses, written
while a version is a draft or returned; the version's moves through submission, review (by the
members of the district department of the covenant's kind, REVIEWING_DEPARTMENT, or the district
administrator; never its submitter, and never chosen by the village), filing and publication.

Only a draft or a returned version is edited; what was submitted, filed or published is never
changed, so a violation keeps the exact text it was judged under. Each action is atomic, re-checks
the acting user's right inside its transaction (governance.guards) and writes under the audit
context naming it (CovenantsAction).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from covenants.choices import REVIEWING_DEPARTMENT, VERSION_TRANSITIONS, VERSIONS_IN_PROGRESS, VersionStatus
from covenants.models import Clause, Covenant, CovenantVersion
from covenants.querysets import reviews_as_department_member
from covenants.services.actions import CovenantsAction
from governance.access.querysets import holds_in
from governance.audit import acting_as
from governance.departments import department_name, has_members
from governance.guards import is_own_record, not_in_the_future, require_another_user, require_permission_at
from villages.codes import ancestor_codes_of
from villages.models import Division, Level

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def move_version(
    version: CovenantVersion, *, acting_user: AbstractBaseUser, to: str, on: datetime.date, comment: str = ""
) -> CovenantVersion:
    """Move a covenant version along VERSION_TRANSITIONS. Submitting needs the right to change it
    (the version then waits in the queue of its kind's department: nobody is chosen); review,
    return and filing need the right to review it (a member of the department of its kind in the
    district, or the subtree's grant) and someone other than who submitted it; publishing
    supersedes the version in force."""
    with transaction.atomic(), acting_as(acting_user, action=CovenantsAction.MOVE_VERSION):
        version = CovenantVersion.objects.select_for_update().select_related("covenant").get(pk=version.pk)
        if to not in VERSION_TRANSITIONS[version.status]:
            raise ValidationError(
                {"status": _("版本不能从“%(from)s”改为“%(to)s”。") % {"from": version.get_status_display(), "to": to}}
            )
        village = version.covenant.division_id
        if to in (VersionStatus.SUBMITTED, VersionStatus.PUBLISHED):
            require_permission_at(acting_user, "covenants.change_covenantversion", village)
        else:
            if not CovenantVersion.objects.restrict(acting_user, "review").filter(pk=version.pk).exists():
                raise PermissionDenied(_("您无权审查该公约版本。"))
            require_another_user(version.submitted_by_id, acting_user)
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


# A clause's consequence rules and texts, as the editor and the API pass them.
CLAUSE_FIELDS = (
    "text",
    "category",
    "about_households",
    "bars_asset_bidding",
    "bars_election",
    "withholds_award",
    "withholds_dividends",
    "suspends_homestead_allocation",
    "restricts_services",
    "restricts_vehicle_access",
    "compensation_fen",
    "reward",
)


def may_edit_version(user, version: CovenantVersion) -> bool:
    return version.is_editable and holds_in(user, "covenants.change_covenantversion", version.covenant.division_id)


def may_review_version(user, version: CovenantVersion) -> bool:
    """The reviewer's right on this version (a member of the department of its kind in its
    district, or the subtree's grant), never its submitter's: restrict(user, "review") of
    CovenantVersionQuerySet for one version, without a query (the user's grants are cached)."""
    if version.status not in (VersionStatus.SUBMITTED, VersionStatus.UNDER_REVIEW):
        return False
    if is_own_record(version.submitted_by_id, user):
        return False
    covenant = version.covenant
    return holds_in(user, "covenants.review_covenantversion", covenant.division_id) or (
        reviews_as_department_member(user, covenant)
    )


def reviewing_department(covenant: Covenant) -> str:
    """The code of the district department that reviews and files this covenant (its kind's)."""
    return REVIEWING_DEPARTMENT[covenant.kind]


def missing_reviewers(covenant: Covenant) -> str | None:
    """Why a version of this covenant would wait for nobody: "南海区尚未设置民政局审查人员" when no
    active user works for the reviewing department of its district; None when someone does (or
    the village lies in no district). Two or three queries: asked by the version's page only."""
    district = (
        Division.objects.filter(code__in=ancestor_codes_of(covenant.division_id), level=Level.DISTRICT)
        .values_list("code", "name")
        .first()
    )
    if district is None:
        return None
    code = reviewing_department(covenant)
    if has_members(district[0], code):
        return None
    return _("%(district)s尚未设置%(department)s审查人员，提交的版本暂无人审查，请联系区级管理员。") % {
        "district": district[1],
        "department": department_name(district[0], code),
    }


def create_covenant(
    *, acting_user: AbstractBaseUser, division, kind: str, title: str, repeat_window_months: int | None = None
) -> Covenant:
    """A village's new covenant (its general one, or a special one); its text follows as versions."""
    with transaction.atomic(), acting_as(acting_user, action=CovenantsAction.CREATE_COVENANT):
        require_permission_at(acting_user, "covenants.add_covenant", division.code)
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
        require_permission_at(acting_user, "covenants.add_covenantversion", covenant.division_id)
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
    require_permission_at(acting_user, "covenants.change_covenantversion", version.covenant.division_id)
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
            not_in_the_future("adopted_on", adopted_on)
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
            require_another_user(clause.version.submitted_by_id, acting_user)
            if clause.version.status not in (VersionStatus.SUBMITTED, VersionStatus.UNDER_REVIEW):
                raise ValidationError({"comment": _("只有提交审查中的版本才能填写审查意见。")})
            raise PermissionDenied(_("您无权审查该公约版本。"))
        clause.review_comment = comment
        clause.repeats_law = repeats_law
        clause.empty_slogan = empty_slogan
        clause.save(update_fields=["review_comment", "repeats_law", "empty_slogan"])
        return clause
