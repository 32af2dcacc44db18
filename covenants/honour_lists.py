"""The red and black lists (红黑榜) of a village for a period, derived at query time.

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
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from covenants.choices import NominationStatus
from covenants.models import RedListNomination, Violation
from covenants.sanctions import Sanction, facts_of, sanctions_from, standing_violations
from governance.periods import Period
from villages.models import Person


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
        Person.objects.filter(division__code__startswith=division_code)
        .filter(Exists(Violation.objects.standing().filter(person_id=OuterRef("pk"), confirmed_on__lte=counted_on)))
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
