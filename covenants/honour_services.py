"""Workflow actions of the red list (红榜): nominate, decide (approve or reject), withdraw.

- A clerk of the village (or the district) nominates a person registered in the village for a
  period, with what they did (事迹). The village's board covers calendar years by default
  (covenants.honour_lists.honour_period_of), but any period label of governance.periods is taken.
- Another user holding the approve right where the village lies (another clerk of the village, a
  town official, the district) approves or rejects it: never the nominator (four eyes, backed by
  the constraint red_list_four_eyes). An approved nomination is on the village's red list.
- Nobody under a covenant sanction on the period's counting day is put on the red list of that
  period: the nomination and the approval are refused (our reading: praise and blame of the same
  period cannot name the same person; docs/api.md, "Red and black lists").
- A nomination is withdrawn by those who may change it: a proposed one at any time, an approved
  one until its period ends; the board of a period that is over stays as it was posted. The row
  is deleted (one nomination per person and period: it may be made again), and the audit trail
  keeps it with the action that removed it.

Each action locks its row, re-checks the right inside the transaction and writes under the audit
context naming it (CovenantsAction); field errors in Chinese, or PermissionDenied.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from covenants.choices import NominationStatus
from covenants.honour_lists import is_black_listed
from covenants.models import RedListNomination
from covenants.services import CovenantsAction, _require
from governance.access.querysets import holds_in
from governance.audit import acting_as
from governance.periods import Period
from villages.choices import Level

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from villages.models import Division, Person

# The longest account of what a nominee did that the board holds.
MAX_REASON_LENGTH = 500


def _period(label: str) -> Period:
    try:
        return Period.parse(label)
    except ValidationError as error:
        raise ValidationError({"period": error.messages}) from None


def _refuse_the_black_listed(person_id: int, period: Period, today: datetime.date) -> None:
    if is_black_listed(person_id, period, today):
        raise ValidationError({"person": _("该人员本期受村规民约惩戒，在黑榜上，不能列入红榜。")})


def may_nominate(user, division_code: str) -> bool:
    return holds_in(user, "covenants.add_redlistnomination", division_code)


def may_decide_nomination(user, nomination: RedListNomination) -> bool:
    """The approve right where the nomination lies, and not its nominator (four eyes)."""
    return (
        nomination.status == NominationStatus.PROPOSED
        and nomination.nominated_by_id != user.pk
        and holds_in(user, "covenants.approve_redlistnomination", nomination.division_id)
    )


def may_withdraw_nomination(user, nomination: RedListNomination, today: datetime.date | None = None) -> bool:
    """The right to change it where it lies; a proposed one, or an approved one of a period not over."""
    today = today or datetime.date.today()
    if not holds_in(user, "covenants.change_redlistnomination", nomination.division_id):
        return False
    if nomination.status == NominationStatus.PROPOSED:
        return True
    return nomination.status == NominationStatus.APPROVED and today <= Period.parse(nomination.period).end


def nominate(
    *, acting_user: AbstractBaseUser, division: Division, person: Person, period: str, reason: str
) -> RedListNomination:
    """Propose a person registered in the village for its red list of a period."""
    with transaction.atomic(), acting_as(acting_user, action=CovenantsAction.NOMINATE_TO_RED_LIST):
        _require(acting_user, "covenants.add_redlistnomination", division.code)
        if division.level != Level.VILLAGE:
            raise ValidationError({"division": _("红黑榜由村（社区）公布，请选择村（社区）。")})
        if not person.division_id.startswith(division.code):
            raise ValidationError({"person": _("该人员不在本村（社区）登记。")})
        parsed = _period(period)
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError({"reason": _("请填写被提名人的事迹。")})
        if len(reason) > MAX_REASON_LENGTH:
            raise ValidationError({"reason": _("事迹最多 %(max)d 字。") % {"max": MAX_REASON_LENGTH}})
        if RedListNomination.objects.filter(division=division, person=person, period=parsed.label).exists():
            raise ValidationError({"person": _("该人员本期已被提名。")})
        _refuse_the_black_listed(person.pk, parsed, datetime.date.today())
        nomination = RedListNomination(
            division=division, person=person, period=parsed.label, reason=reason, nominated_by=acting_user
        )
        try:
            with transaction.atomic():
                nomination.save()
        except IntegrityError:  # nominated meanwhile by someone else
            raise ValidationError({"person": _("该人员本期已被提名。")}) from None
        return nomination


def decide_nomination(
    nomination: RedListNomination, *, acting_user: AbstractBaseUser, approved: bool, decided_on: datetime.date
) -> RedListNomination:
    """Another user than the nominator, holding the approve right where it lies, approves (the
    person is on the red list) or rejects a proposed nomination."""
    with transaction.atomic(), acting_as(acting_user, action=CovenantsAction.DECIDE_RED_LIST_NOMINATION):
        nomination = RedListNomination.objects.select_for_update().get(pk=nomination.pk)
        _require(acting_user, "covenants.approve_redlistnomination", nomination.division_id)
        if nomination.nominated_by_id == acting_user.pk:
            raise PermissionDenied(_("不能审批自己提出的提名。"))
        if nomination.status != NominationStatus.PROPOSED:
            raise ValidationError(
                {"status": _("“%(status)s”的提名不能再审批。") % {"status": nomination.get_status_display()}}
            )
        if decided_on > datetime.date.today():
            raise ValidationError({"decided_on": _("日期不能晚于今天。")})
        if approved:
            _refuse_the_black_listed(nomination.person_id, Period.parse(nomination.period), datetime.date.today())
        nomination.status = NominationStatus.APPROVED if approved else NominationStatus.REJECTED
        nomination.decided_by = acting_user
        nomination.decided_on = decided_on
        nomination.save(update_fields=["status", "decided_by", "decided_on"])
        return nomination


def approve_nomination(
    nomination: RedListNomination, *, acting_user: AbstractBaseUser, decided_on: datetime.date | None = None
) -> RedListNomination:
    return decide_nomination(
        nomination, acting_user=acting_user, approved=True, decided_on=decided_on or datetime.date.today()
    )


def reject_nomination(
    nomination: RedListNomination, *, acting_user: AbstractBaseUser, decided_on: datetime.date | None = None
) -> RedListNomination:
    return decide_nomination(
        nomination, acting_user=acting_user, approved=False, decided_on=decided_on or datetime.date.today()
    )


def withdraw_nomination(nomination: RedListNomination, *, acting_user: AbstractBaseUser) -> None:
    """Take a nomination back (a proposed one; an approved one while its period runs): deleted,
    kept by the audit trail."""
    with transaction.atomic(), acting_as(acting_user, action=CovenantsAction.WITHDRAW_RED_LIST_NOMINATION):
        nomination = RedListNomination.objects.select_for_update().get(pk=nomination.pk)
        _require(acting_user, "covenants.change_redlistnomination", nomination.division_id)
        if not may_withdraw_nomination(acting_user, nomination):
            if nomination.status == NominationStatus.APPROVED:
                raise ValidationError({"status": _("期间已结束，该期红榜已公布，不能撤回。")})
            raise ValidationError({"status": _("未获批准的提名无需撤回。")})
        nomination.delete()
