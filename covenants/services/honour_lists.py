"""The red and black lists (红黑榜) of a village for a period, derived at query time, and the
workflow of red list nominations.

- The black list (黑榜) is not stored: it is the village's people under a covenant sanction on the
  period's counting day (`Period.counting_day`: its last day, or today while it runs), each with
  the sanctions in force, the clause behind each and the day it ends. Only violations confirmed
  by that day count: a violation confirmed later was not known when the list was drawn up (the
  compliance award's withholding runs from the first day of its year, whenever it is confirmed).
- The red list (红榜) is the approved nominations (RedListNomination) of the village for the
  period, by the exact period label (the board of 2026 is the nominations for "2026").

Why the last day, not "any day of the period": the list is posted at the end of the period (or
read while it runs) and says who stands sanctioned as it is posted. A person who rectified what
they did (a car moved, a building pulled down) or whose bar ended during the period has put it
right and is not named on a board posted after that; and "any day" would name, on a quarter's
board, people whose year-long award withholding began on 1 January before they did anything.
The reports count on the period's last day too (covenant-coverage, sanctions-in-force).

Names are full here: the outputs mask them (governance.privacy.mask_name), always on the public
page and the printed notice, and in the API and the clerk's page unless the reader may see
personal data where the village lies.

Set-based: three queries whatever the number of people (the people with a standing violation,
all their violations for the sanctions engine, the approved nominations with their people).

The nominations' workflow: nominate, decide (approve or reject), withdraw.

- A clerk of the village (or the district) nominates a person registered in the village for a
  period, with what they did (事迹). The village's board covers calendar years by default
  (honour_period_of), but any period label of governance.periods is taken.
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
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from covenants.choices import NominationStatus
from covenants.models import RedListNomination, Violation
from covenants.services.actions import CovenantsAction
from covenants.services.periods import period_field
from covenants.services.sanctions import Sanction, facts_of, sanctions_from, standing_violations
from governance import clock
from governance.access.querysets import holds_in
from governance.audit import acting_as
from governance.guards import is_own_record, not_in_the_future, require_another_user, require_permission_at
from governance.periods import Period
from villages.choices import Level
from villages.models import Person

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from villages.models import Division


def honour_period_of(day: datetime.date) -> Period:
    """The period a village's board covers by default: the calendar year containing `day`, as the
    compliance award's (Nanhai covenant opinions: the year's review of keeping the covenant)."""
    return Period.parse(str(day.year))


@dataclass(frozen=True)
class BlackListEntry:
    """A person of the village on the black list, with the sanctions in force on the counting day
    (ordered by the day they end, open-ended ones last)."""

    person_id: int
    name: str
    sanctions: tuple[Sanction, ...]


@dataclass(frozen=True)
class RedListEntry:
    person_id: int
    name: str
    reason: str
    nomination_id: int
    decided_on: datetime.date | None


@dataclass(frozen=True)
class HonourLists:
    division_code: str
    period: Period
    counted_on: datetime.date
    red: tuple[RedListEntry, ...]
    black: tuple[BlackListEntry, ...]


def period_or_default(label: str | None, today: datetime.date) -> Period:
    """The period `label` names (ValidationError when it names none), or the one containing today."""
    if label:
        return Period.parse(label)
    return honour_period_of(today)


def _sanction_order(sanction: Sanction) -> tuple:
    return (sanction.ends_on is None, sanction.ends_on or datetime.date.max, sanction.violation_id, sanction.kind)


def black_list(division_code: str, period: Period, today: datetime.date) -> list[BlackListEntry]:
    """The village's people under a sanction on the period's counting day: two queries."""
    counted_on = period.counting_day(today)
    people = list(
        Violation.objects.standing()
        .filter(confirmed_on__lte=counted_on)
        .people_among(Person.objects.filter(division__code__startswith=division_code))
        .only("pk", "name")
        .order_by("name", "pk")
    )
    if not people:
        return []
    facts = [fact for fact in facts_of(standing_violations(p.pk for p in people)) if fact.confirmed_on <= counted_on]
    by_person: dict[int, list[Sanction]] = {}
    for sanction in sanctions_from(facts):
        if sanction.in_force_on(counted_on):
            by_person.setdefault(sanction.person_id, []).append(sanction)
    return [
        BlackListEntry(person_id=p.pk, name=p.name, sanctions=tuple(sorted(by_person[p.pk], key=_sanction_order)))
        for p in people
        if p.pk in by_person
    ]


def red_list(division_code: str, period: Period) -> list[RedListEntry]:
    """The village's approved nominations for the period, by name: one query."""
    nominations = (
        RedListNomination.objects.filter(
            division_id=division_code, period=period.label, status=NominationStatus.APPROVED
        )
        .select_related("person")
        .order_by("person__name", "person_id")
    )
    return [
        RedListEntry(
            person_id=n.person_id, name=n.person.name, reason=n.reason, nomination_id=n.pk, decided_on=n.decided_on
        )
        for n in nominations
    ]


def honour_lists(division_code: str, period: Period, today: datetime.date) -> HonourLists:
    """Both lists of the village for the period: three queries."""
    return HonourLists(
        division_code=division_code,
        period=period,
        counted_on=period.counting_day(today),
        red=tuple(red_list(division_code, period)),
        black=tuple(black_list(division_code, period, today)),
    )


def is_black_listed(person_id: int, period: Period, today: datetime.date) -> bool:
    """Whether a sanction holds the person on the period's counting day (the services refuse to
    put such a person on the red list of that period): one query."""
    counted_on = period.counting_day(today)
    facts = [f for f in facts_of(standing_violations([person_id])) if f.confirmed_on <= counted_on]
    return any(sanction.in_force_on(counted_on) for sanction in sanctions_from(facts))


# --- nominations ---------------------------------------------------------------------------------

# The longest account of what a nominee did that the board holds.
MAX_REASON_LENGTH = 500


def _refuse_the_black_listed(person_id: int, period: Period, today: datetime.date) -> None:
    if is_black_listed(person_id, period, today):
        raise ValidationError({"person": _("该人员本期受村规民约惩戒，在黑榜上，不能列入红榜。")})


def may_nominate(user, division_code: str) -> bool:
    return holds_in(user, "covenants.add_redlistnomination", division_code)


def may_decide_nomination(user, nomination: RedListNomination) -> bool:
    """The approve right where the nomination lies, and not its nominator (four eyes)."""
    return (
        nomination.status == NominationStatus.PROPOSED
        and not is_own_record(nomination.nominated_by_id, user)
        and holds_in(user, "covenants.approve_redlistnomination", nomination.division_id)
    )


def may_withdraw_nomination(user, nomination: RedListNomination, today: datetime.date | None = None) -> bool:
    """The right to change it where it lies; a proposed one, or an approved one of a period not over."""
    today = today or clock.today()
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
        require_permission_at(acting_user, "covenants.add_redlistnomination", division.code)
        if division.level != Level.VILLAGE:
            raise ValidationError({"division": _("红黑榜由村（社区）公布，请选择村（社区）。")})
        if not person.division_id.startswith(division.code):
            raise ValidationError({"person": _("该人员不在本村（社区）登记。")})
        parsed = period_field(period)
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError({"reason": _("请填写被提名人的事迹。")})
        if len(reason) > MAX_REASON_LENGTH:
            raise ValidationError({"reason": _("事迹最多 %(max)d 字。") % {"max": MAX_REASON_LENGTH}})
        if RedListNomination.objects.filter(division=division, person=person, period=parsed.label).exists():
            raise ValidationError({"person": _("该人员本期已被提名。")})
        _refuse_the_black_listed(person.pk, parsed, clock.today())
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
        require_permission_at(acting_user, "covenants.approve_redlistnomination", nomination.division_id)
        require_another_user(nomination.nominated_by_id, acting_user)
        if nomination.status != NominationStatus.PROPOSED:
            raise ValidationError(
                {"status": _("“%(status)s”的提名不能再审批。") % {"status": nomination.get_status_display()}}
            )
        not_in_the_future("decided_on", decided_on)
        if approved:
            _refuse_the_black_listed(nomination.person_id, Period.parse(nomination.period), clock.today())
        nomination.status = NominationStatus.APPROVED if approved else NominationStatus.REJECTED
        nomination.decided_by = acting_user
        nomination.decided_on = decided_on
        nomination.save(update_fields=["status", "decided_by", "decided_on"])
        return nomination


def approve_nomination(
    nomination: RedListNomination, *, acting_user: AbstractBaseUser, decided_on: datetime.date | None = None
) -> RedListNomination:
    return decide_nomination(nomination, acting_user=acting_user, approved=True, decided_on=decided_on or clock.today())


def reject_nomination(
    nomination: RedListNomination, *, acting_user: AbstractBaseUser, decided_on: datetime.date | None = None
) -> RedListNomination:
    return decide_nomination(
        nomination, acting_user=acting_user, approved=False, decided_on=decided_on or clock.today()
    )


def withdraw_nomination(nomination: RedListNomination, *, acting_user: AbstractBaseUser) -> None:
    """Take a nomination back (a proposed one; an approved one while its period runs): deleted,
    kept by the audit trail."""
    with transaction.atomic(), acting_as(acting_user, action=CovenantsAction.WITHDRAW_RED_LIST_NOMINATION):
        nomination = RedListNomination.objects.select_for_update().get(pk=nomination.pk)
        require_permission_at(acting_user, "covenants.change_redlistnomination", nomination.division_id)
        if not may_withdraw_nomination(acting_user, nomination):
            if nomination.status == NominationStatus.APPROVED:
                raise ValidationError({"status": _("期间已结束，该期红榜已公布，不能撤回。")})
            raise ValidationError({"status": _("未获批准的提名无需撤回。")})
        nomination.delete()
