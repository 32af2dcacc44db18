"""Actions on supervision records (supervision/models/records.py): one function per action, atomic,
with the acting user, its right re-checked inside the transaction, and the audit context naming it.

Records are filed, never changed nor deleted: a correction is filed like any record, naming the
one it corrects (which must still stand: a chain of corrections has one end) and why. The one
later write is an audit's follow-up, recorded once.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Required, TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from governance.access.querysets import holds_in, permission_name
from governance.audit import acting_as
from governance.guards import not_in_the_future, require_model_permission_at
from supervision.choices import DEFAULT_DEDUCTION_PERCENT, SANCTION_MONTHS, months_later
from supervision.models import (
    ConductNegativeItem,
    DisciplinarySanction,
    EconomicAudit,
    IntegrityTalk,
    MajorMatterReport,
    SupervisionRecord,
)
from supervision.services.actions import SupervisionAction
from villages.choices import Level

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from villages.models import Division, Person, Position

# Where records about cadres lie: the village or cooperative they serve in.
RECORD_LEVELS = (Level.VILLAGE, Level.COOPERATIVE)
# Where a negative list is issued: a district or a town.
NEGATIVE_LIST_LEVELS = (Level.DISTRICT, Level.TOWN)


# --- what the pages ask before they offer a step (the service has the last word) -----------------


def may_file(user, model, division_code: str) -> bool:
    return holds_in(user, permission_name(model, "add"), division_code)


def may_correct(user, record: SupervisionRecord) -> bool:
    """A standing record is corrected by those who may file its kind where it lies."""
    return record.is_standing and may_file(user, type(record), record.division_id)


def may_record_follow_up(user, audit: EconomicAudit) -> bool:
    return (
        audit.is_standing
        and audit.follow_up_open
        and holds_in(user, "supervision.change_economicaudit", audit.division_id)
    )


# --- filing -----------------------------------------------------------------------------------------


class Filing(TypedDict, total=False):
    """What filing any record takes besides its own fields: whom it is about, where it lies
    (optional: the position's, else the person's division), and the record it corrects, if any."""

    person: Required[Person]
    division: Division | None
    corrects: SupervisionRecord | None
    correction_reason: str


def _place(person: Person, division: Division | None, position: Position | None) -> str:
    """The code of the division the record lies in: the position's, the one given, or the
    person's own; always a village or a cooperative in the person's village."""
    if position is not None:
        if position.person_id != person.pk:
            raise ValidationError({"position": [_("该任职不是此人的任职。")]})
        return position.division_id
    if division is None:
        return person.division_id
    if division.level not in RECORD_LEVELS:
        raise ValidationError({"division": [_("监督记录应登记在村（社区）或经济社。")]})
    return division.code


def _file(
    model: type[SupervisionRecord],
    action: SupervisionAction,
    *,
    acting_user: AbstractBaseUser,
    person: Person,
    division: Division | None = None,
    corrects: SupervisionRecord | None = None,
    correction_reason: str = "",
    dated: str,
    **fields,
) -> SupervisionRecord:
    """File a `model` record (or a correction of one) where it lies; `dated` names the field of
    the day it happened, which may not be after today."""
    not_in_the_future(dated, fields[dated])
    with transaction.atomic(), acting_as(acting_user, action=action):
        code = _place(person, division, fields.get("position"))
        require_model_permission_at(acting_user, model, "add", code)
        if corrects is not None:
            if not isinstance(corrects, model):
                raise ValidationError({"corrects": [_("只能更正同一类记录。")]})
            corrects = model.objects.select_for_update().get(pk=corrects.pk)
            require_model_permission_at(acting_user, model, "add", corrects.division_id)
            if model.objects.filter(corrects_id=corrects.pk).exists():
                raise ValidationError({"corrects": [_("该记录已被更正，请更正最新的记录。")]})
        record = model(
            division_id=code,
            person=person,
            recorded_by=acting_user,
            corrects=corrects,
            correction_reason=correction_reason,
            **fields,
        )
        record.full_clean()
        record.save()
        return record


def file_sanction(
    *,
    acting_user: AbstractBaseUser,
    kind: str,
    decided_on: datetime.date,
    decided_by: str,
    basis: str,
    facts: str,
    position: Position | None = None,
    negative_item: ConductNegativeItem | None = None,
    deduction_percent: int | None = None,
    deduction_months: int | None = None,
    **filing: Unpack[Filing],
) -> DisciplinarySanction:
    """An inspector files a disciplinary sanction against a cadre. The deduction defaults to the
    kind's (DEFAULT_DEDUCTION_PERCENT, SANCTION_MONTHS) when the decision names none."""
    if kind not in SANCTION_MONTHS:
        raise ValidationError({"kind": [_("处分种类不正确。")]})
    months = SANCTION_MONTHS[kind] if deduction_months is None else deduction_months
    if months < 1:
        raise ValidationError({"deduction_months": [_("扣减期限至少为1个月。")]})
    return _file(
        DisciplinarySanction,
        SupervisionAction.FILE_SANCTION,
        dated="decided_on",
        acting_user=acting_user,
        **filing,
        position=position,
        kind=kind,
        decided_on=decided_on,
        decided_by=decided_by,
        basis=basis,
        facts=facts,
        negative_item=negative_item,
        deduction_percent=DEFAULT_DEDUCTION_PERCENT[kind] if deduction_percent is None else deduction_percent,
        deduction_months=months,
        ends_on=months_later(decided_on, months),
    )


def file_integrity_talk(
    *,
    acting_user: AbstractBaseUser,
    held_on: datetime.date,
    talked_by: str,
    summary: str,
    position: Position | None = None,
    **filing: Unpack[Filing],
) -> IntegrityTalk:
    return _file(
        IntegrityTalk,
        SupervisionAction.FILE_INTEGRITY_TALK,
        dated="held_on",
        acting_user=acting_user,
        **filing,
        position=position,
        held_on=held_on,
        talked_by=talked_by,
        summary=summary,
    )


def file_major_matter_report(
    *,
    acting_user: AbstractBaseUser,
    category: str,
    reported_on: datetime.date,
    matter: str,
    **filing: Unpack[Filing],
) -> MajorMatterReport:
    return _file(
        MajorMatterReport,
        SupervisionAction.FILE_MAJOR_MATTER_REPORT,
        dated="reported_on",
        acting_user=acting_user,
        **filing,
        category=category,
        reported_on=reported_on,
        matter=matter,
    )


def file_economic_audit(
    *,
    acting_user: AbstractBaseUser,
    kind: str,
    period_from: datetime.date,
    period_to: datetime.date,
    reported_on: datetime.date,
    auditor: str,
    findings: str,
    follow_up: str = "",
    position: Position | None = None,
    **filing: Unpack[Filing],
) -> EconomicAudit:
    return _file(
        EconomicAudit,
        SupervisionAction.FILE_ECONOMIC_AUDIT,
        dated="reported_on",
        acting_user=acting_user,
        **filing,
        position=position,
        kind=kind,
        period_from=period_from,
        period_to=period_to,
        reported_on=reported_on,
        auditor=auditor,
        findings=findings,
        follow_up=follow_up,
    )


def record_audit_follow_up(
    audit: EconomicAudit, *, acting_user: AbstractBaseUser, done_on: datetime.date, result: str
) -> EconomicAudit:
    """The follow-up (整改) an audit asked for is done: recorded once, on the standing audit."""
    not_in_the_future("done_on", done_on)
    with transaction.atomic(), acting_as(acting_user, action=SupervisionAction.RECORD_AUDIT_FOLLOW_UP):
        audit = EconomicAudit.objects.select_for_update().get(pk=audit.pk)
        require_model_permission_at(acting_user, EconomicAudit, "change", audit.division_id)
        if EconomicAudit.objects.filter(corrects_id=audit.pk).exists():
            raise ValidationError({"done_on": [_("该审计记录已被更正，请在最新的记录上登记整改。")]})
        if not audit.follow_up:
            raise ValidationError({"done_on": [_("该审计没有整改要求。")]})
        if audit.follow_up_done_on is not None:
            raise ValidationError({"done_on": [_("整改结果已登记。")]})
        if done_on < audit.reported_on:
            raise ValidationError({"done_on": [_("整改完成日期不能早于审计报告日期。")]})
        if not result.strip():
            raise ValidationError({"result": [_("请填写整改结果。")]})
        audit.follow_up_done_on = done_on
        audit.follow_up_result = result
        audit.save(update_fields=["follow_up_done_on", "follow_up_result"])
        return audit


def add_negative_item(
    *,
    acting_user: AbstractBaseUser,
    division: Division,
    number: int,
    text: str,
    basis: str,
    valid_from: datetime.date,
) -> ConductNegativeItem:
    """An item of the cadre conduct negative list a district or town issues, with its basis."""
    with transaction.atomic(), acting_as(acting_user, action=SupervisionAction.ADD_NEGATIVE_ITEM):
        if division.level not in NEGATIVE_LIST_LEVELS:
            raise ValidationError({"division": [_("负面清单由区或镇（街道）发布。")]})
        require_model_permission_at(acting_user, ConductNegativeItem, "add", division.code)
        if not basis.strip():
            raise ValidationError({"basis": [_("请写明依据。")]})
        if ConductNegativeItem.objects.filter(division=division, number=number).exists():
            raise ValidationError({"number": [_("该区划的负面清单已有此序号。")]})
        item = ConductNegativeItem(
            division=division, number=number, text=text, basis=basis, valid_from=valid_from, recorded_by=acting_user
        )
        item.full_clean()
        item.save()
        return item
