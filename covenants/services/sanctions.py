"""The sanctions engine: what confirmed violations bar, derived from dates at query time.

Nothing is stored and nothing expires by a job: `sanctions_of(person_ids)` reads the confirmed,
not lifted violations of all those people in one query and derives every sanction with its dates;
`eligibility(person, action, on)` answers "may this person do X on day D?" with each reason and
the first day on which no bar applies. docs/domain.md gives the rules:

- a violation is serious when it is confirmed as such; it is a repeat when the same person had
  an earlier confirmed violation of the same covenant that occurred within the covenant's repeat
  window (12 months by default) before it;
- for a serious or repeat violation of a clause that says so: no collective asset bidding for
  ASSET_BIDDING_BAR_YEARS, no election for ELECTION_BAR_YEARS, from the day of confirmation (for
  a repeat, from the day both it and the earlier violation it repeats are confirmed); an N-year
  bar confirmed on D lets the person act again on same_day_later(D, years=N);
- the compliance award is withheld for the whole award period in which a confirmed violation
  occurred, where the clause says so;
- service and vehicle-access restrictions and compensation follow where the clause says so, from
  confirmation until the violation is rectified;
- an upheld appeal lifts all of it, and the lifted violation counts for no later repeat.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from covenants.choices import (
    ASSET_BIDDING_BAR_YEARS,
    ELECTION_BAR_YEARS,
    SANCTION_BARS,
    SanctionKind,
    Severity,
    award_period_of,
)
from covenants.models import Violation
from governance.periods import same_day_later


@dataclass(frozen=True)
class ViolationFacts:
    """What the engine needs of one violation, read in the one query."""

    id: int
    person_id: int
    covenant_id: int
    covenant_title: str
    clause_id: int
    clause_number: int
    occurred_on: datetime.date
    confirmed_on: datetime.date
    serious: bool
    repeat_window_months: int
    bars_asset_bidding: bool
    bars_election: bool
    withholds_award: bool
    restricts_services: bool
    restricts_vehicle_access: bool
    compensation_fen: int | None
    rectified_on: datetime.date | None


@dataclass(frozen=True)
class Sanction:
    """One consequence of one violation: in force from `starts_on` until the day before `ends_on`
    (None: until lifted or rectified). `repeat` tells why a bar applies when it is not serious."""

    kind: str
    person_id: int
    violation_id: int
    covenant_id: int
    covenant_title: str
    clause_id: int
    clause_number: int
    starts_on: datetime.date
    ends_on: datetime.date | None
    repeat: bool = False
    serious: bool = False
    amount_fen: int | None = None

    def in_force_on(self, day: datetime.date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day < self.ends_on)


FACT_FIELDS = {
    "id": "id",
    "person_id": "person_id",
    "covenant_id": "clause__version__covenant_id",
    "covenant_title": "clause__version__covenant__title",
    "clause_id": "clause_id",
    "clause_number": "clause__number",
    "occurred_on": "occurred_on",
    "confirmed_on": "confirmed_on",
    "severity": "severity",
    "repeat_window_months": "clause__version__covenant__repeat_window_months",
    "bars_asset_bidding": "clause__bars_asset_bidding",
    "bars_election": "clause__bars_election",
    "withholds_award": "clause__withholds_award",
    "restricts_services": "clause__restricts_services",
    "restricts_vehicle_access": "clause__restricts_vehicle_access",
    "compensation_fen": "clause__compensation_fen",
    "rectified_on": "rectified_on",
}


def standing_violations(person_ids: Iterable[int]):
    """Confirmed violations of these people that no upheld appeal lifted: one query."""
    return (
        Violation.objects.standing()
        .filter(person_id__in=list(person_ids))
        .order_by("person_id", "occurred_on", "id")
        .values_list(*FACT_FIELDS.values())
    )


def facts_of(rows) -> list[ViolationFacts]:
    facts = []
    for row in rows:
        values = dict(zip(FACT_FIELDS, row, strict=True))
        values["serious"] = values.pop("severity") == Severity.SERIOUS
        facts.append(ViolationFacts(**values))
    return facts


def repeats(facts: list[ViolationFacts]) -> dict[int, datetime.date]:
    """The violations that repeat an earlier one of the same covenant by the same person within
    the covenant's window (occurred before the same day `repeat_window_months` after the earlier
    one occurred), each with the day it became a repeat: its own confirmation, or the earlier
    one's when that was confirmed later (facts ordered by person and day, as
    standing_violations gives them)."""
    repeated: dict[int, datetime.date] = {}
    earlier: dict[tuple[int, int], list[ViolationFacts]] = defaultdict(list)
    for fact in facts:
        key = (fact.person_id, fact.covenant_id)
        known_on = [
            e.confirmed_on
            for e in earlier[key]
            if fact.occurred_on < same_day_later(e.occurred_on, months=e.repeat_window_months)
        ]
        if known_on:
            repeated[fact.id] = max(fact.confirmed_on, min(known_on))
        earlier[key].append(fact)
    return repeated


def sanctions_from(facts: list[ViolationFacts]) -> list[Sanction]:
    """Every sanction the violations cause, by the rules in this module's docstring."""
    repeated = repeats(facts)
    sanctions: list[Sanction] = []
    for fact in facts:
        common = dict(
            person_id=fact.person_id,
            violation_id=fact.id,
            covenant_id=fact.covenant_id,
            covenant_title=fact.covenant_title,
            clause_id=fact.clause_id,
            clause_number=fact.clause_number,
            repeat=fact.id in repeated,
            serious=fact.serious,
        )
        barring = fact.serious or fact.id in repeated
        # A serious violation bars from its confirmation; a repeat one from the day both it and
        # the earlier violation it repeats are confirmed: no bar before what triggers it is known.
        bars_from = fact.confirmed_on if fact.serious else repeated.get(fact.id)
        if barring and fact.bars_asset_bidding:
            sanctions.append(
                Sanction(
                    kind=SanctionKind.ASSET_BIDDING_BAR,
                    starts_on=bars_from,
                    ends_on=same_day_later(bars_from, years=ASSET_BIDDING_BAR_YEARS),
                    **common,
                )
            )
        if barring and fact.bars_election:
            sanctions.append(
                Sanction(
                    kind=SanctionKind.ELECTION_BAR,
                    starts_on=bars_from,
                    ends_on=same_day_later(bars_from, years=ELECTION_BAR_YEARS),
                    **common,
                )
            )
        if fact.withholds_award:
            period_start, period_end = award_period_of(fact.occurred_on)
            # The award is paid for a period as a whole: a confirmed violation occurring in it
            # withholds that period's award, whenever in the period the question is asked.
            sanctions.append(
                Sanction(
                    kind=SanctionKind.AWARD_WITHHELD,
                    starts_on=period_start,
                    ends_on=period_end + datetime.timedelta(days=1),
                    **common,
                )
            )
        for applies, kind in (
            (fact.restricts_services, SanctionKind.SERVICE_RESTRICTION),
            (fact.restricts_vehicle_access, SanctionKind.VEHICLE_ACCESS_RESTRICTION),
        ):
            if applies:
                sanctions.append(Sanction(kind=kind, starts_on=fact.confirmed_on, ends_on=fact.rectified_on, **common))
        if fact.compensation_fen:
            sanctions.append(
                Sanction(
                    kind=SanctionKind.COMPENSATION,
                    starts_on=fact.confirmed_on,
                    ends_on=fact.rectified_on,
                    amount_fen=fact.compensation_fen,
                    **common,
                )
            )
    return sanctions


def sanctions_of(person_ids: Iterable[int]) -> dict[int, list[Sanction]]:
    """Every sanction of each of these people (in force or not), in one query for all of them."""
    by_person: dict[int, list[Sanction]] = defaultdict(list)
    for sanction in sanctions_from(facts_of(standing_violations(person_ids))):
        by_person[sanction.person_id].append(sanction)
    return by_person


def in_force(sanctions: Iterable[Sanction], on: datetime.date) -> list[Sanction]:
    """The sanctions in force on the day, whatever confirmed after it has not yet happened."""
    return [s for s in sanctions if s.in_force_on(on)]


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    eligible_from: datetime.date | None  # the first day on which no bar applies; None when eligible
    reasons: list[Sanction]


def eligibility_from(sanctions: Iterable[Sanction], action: str, on: datetime.date) -> Eligibility:
    """Whether the bars among `sanctions` let the person do `action` on `on`, why not, and from
    when: bars that follow one another are walked through until a day none of them covers."""
    bars = [s for s in sanctions if SANCTION_BARS.get(s.kind) == action]
    reasons = [s for s in bars if s.in_force_on(on)]
    if not reasons:
        return Eligibility(eligible=True, eligible_from=None, reasons=[])
    day = on
    while covering := [s for s in bars if s.in_force_on(day)]:
        day = max(s.ends_on for s in covering)
    return Eligibility(
        eligible=False, eligible_from=day, reasons=sorted(reasons, key=lambda s: (s.ends_on, s.violation_id))
    )


def eligibility(person_id: int, action: str, on: datetime.date) -> Eligibility:
    """May this person do `action` on `on`? One query."""
    return eligibility_from(sanctions_of([person_id]).get(person_id, []), action, on)


def repeats_among(person_ids: Iterable[int]) -> set[int]:
    """Ids of the violations of these people that are repeats (`repeats`), each judged on its
    person's whole standing record: one query, whatever the number of people."""
    person_ids = set(person_ids)
    if not person_ids:
        return set()
    return set(repeats(facts_of(standing_violations(person_ids))))
