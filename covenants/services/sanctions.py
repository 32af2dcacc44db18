"""The sanctions engine: what confirmed violations bar, derived from dates at query time.

Nothing is stored and nothing expires by a job: `sanctions_of(person_ids)` reads the confirmed,
not lifted violations of all those people in one query and derives every sanction with its dates;
`eligibility(person, action, on)` answers "may this person do X on day D?" with each reason and
the first day on which no bar applies. docs/domain.md gives the rules (R10-R14), by tier
(covenants.choices.Tier):

- a violation is serious when it is confirmed as such; it is a repeat when the same person had
  an earlier confirmed violation of the same covenant that occurred within the covenant's repeat
  window (12 months by default) before it;
- any violation: the clause's restrictions (services, vehicle access, compensation, homestead
  allocation) from confirmation until the violation is rectified; the compliance award and, where
  the clause says so, the share dividends withheld for the whole award period (calendar year) in
  which it occurred;
- a serious one (情节较为严重) adds referral to the relevant department (SanctionKind.REFERRAL,
  until rectified) and bars nothing by itself: a single violation, however serious, never bars;
- a repeat one (屡教不改) of a clause that says so bars: no collective asset bidding for
  ASSET_BIDDING_BAR_YEARS, no election for ELECTION_BAR_YEARS, no nomination as a "two
  representatives one member" for NOMINATION_BAR_YEARS, from the day both it and the earlier
  violation it repeats are confirmed; an N-year bar starting on D lets the person act again on
  same_day_later(D, years=N) (starting 29 February: again on 1 March);
- an upheld appeal lifts all of it, and the lifted violation counts for no later repeat.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from covenants.choices import (
    REPEAT_BAR_YEARS,
    SANCTION_BARS,
    SERIOUS_CONSEQUENCES,
    SanctionKind,
    Severity,
    Tier,
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
    withholds_dividends: bool
    suspends_homestead_allocation: bool
    restricts_services: bool
    restricts_vehicle_access: bool
    compensation_fen: int | None
    rectified_on: datetime.date | None
    referred_to: str
    referred_on: datetime.date | None


@dataclass(frozen=True)
class Repeat:
    """Why a violation is a repeat: from which day (both it and an earlier one it repeats are
    confirmed), the how-manieth violation of the covenant it is within the window, and the window."""

    on: datetime.date
    ordinal: int
    window_months: int


@dataclass(frozen=True)
class Sanction:
    """One consequence of one violation: in force from `starts_on` until the day before `ends_on`
    (None: until lifted or rectified). `tier` tells why it applies (Tier: a violation, a serious
    one, a repeat one); `repeat_ordinal` and `repeat_window_months` say which repeat it is."""

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
    repeat_ordinal: int | None = None
    repeat_window_months: int | None = None
    referred_to: str = ""
    referred_on: datetime.date | None = None

    @property
    def tier(self) -> str:
        if self.repeat:
            return Tier.REPEAT
        return Tier.SERIOUS if self.serious else Tier.VIOLATION

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
    "withholds_dividends": "clause__withholds_dividends",
    "suspends_homestead_allocation": "clause__suspends_homestead_allocation",
    "restricts_services": "clause__restricts_services",
    "restricts_vehicle_access": "clause__restricts_vehicle_access",
    "compensation_fen": "clause__compensation_fen",
    "rectified_on": "rectified_on",
    "referred_to": "referred_to",
    "referred_on": "referred_on",
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


def repeats(facts: list[ViolationFacts]) -> dict[int, Repeat]:
    """The violations that repeat an earlier one of the same covenant by the same person within
    the covenant's window (occurred before the same day `repeat_window_months` after the earlier
    one occurred), each with the day it became a repeat (its own confirmation, or the earlier
    one's when that was confirmed later) and its rank among the covenant's violations in the
    window (facts ordered by person and day, as standing_violations gives them)."""
    repeated: dict[int, Repeat] = {}
    earlier: dict[tuple[int, int], list[ViolationFacts]] = defaultdict(list)
    for fact in facts:
        key = (fact.person_id, fact.covenant_id)
        known_on = [
            e.confirmed_on
            for e in earlier[key]
            if fact.occurred_on < same_day_later(e.occurred_on, months=e.repeat_window_months)
        ]
        if known_on:
            repeated[fact.id] = Repeat(
                on=max(fact.confirmed_on, min(known_on)),
                ordinal=len(known_on) + 1,
                window_months=fact.repeat_window_months,
            )
        earlier[key].append(fact)
    return repeated


# The clause's flag that lets a repeat bring each bar (the nomination bar follows the election
# flag: covenants.choices, "Two tiers").
BAR_FLAGS = {
    SanctionKind.ASSET_BIDDING_BAR: "bars_asset_bidding",
    SanctionKind.ELECTION_BAR: "bars_election",
    SanctionKind.NOMINATION_BAR: "bars_election",
}


def sanctions_from(facts: list[ViolationFacts]) -> list[Sanction]:
    """Every sanction the violations cause, by the rules in this module's docstring."""
    repeated = repeats(facts)
    sanctions: list[Sanction] = []
    for fact in facts:
        repeat = repeated.get(fact.id)
        common = dict(
            person_id=fact.person_id,
            violation_id=fact.id,
            covenant_id=fact.covenant_id,
            covenant_title=fact.covenant_title,
            clause_id=fact.clause_id,
            clause_number=fact.clause_number,
            repeat=repeat is not None,
            serious=fact.serious,
            repeat_ordinal=repeat.ordinal if repeat else None,
            repeat_window_months=repeat.window_months if repeat else None,
            referred_to=fact.referred_to,
            referred_on=fact.referred_on,
        )
        # Only a repeat bars (屡教不改), from the day both it and the earlier violation it repeats
        # are confirmed: no bar before what triggers it is known. A serious single one never bars.
        if repeat is not None:
            for kind, years in REPEAT_BAR_YEARS.items():
                if getattr(fact, BAR_FLAGS[kind]):
                    sanctions.append(
                        Sanction(
                            kind=kind,
                            starts_on=repeat.on,
                            ends_on=same_day_later(repeat.on, years=years),
                            **common,
                        )
                    )
        # The award and the dividends are paid for a period as a whole: a confirmed violation
        # occurring in it withholds that period's, whenever in the period the question is asked.
        period_start, period_end = award_period_of(fact.occurred_on)
        for applies, kind in (
            (fact.withholds_award, SanctionKind.AWARD_WITHHELD),
            (fact.withholds_dividends, SanctionKind.DIVIDENDS_WITHHELD),
        ):
            if applies:
                period_after = period_end + datetime.timedelta(days=1)
                sanctions.append(Sanction(kind=kind, starts_on=period_start, ends_on=period_after, **common))
        # The clause's restrictions, and for a serious violation its referral, run from
        # confirmation until the violation is rectified.
        for applies, kind in (
            (fact.suspends_homestead_allocation, SanctionKind.HOMESTEAD_SUSPENDED),
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
        if fact.serious:
            for kind in SERIOUS_CONSEQUENCES:
                sanctions.append(Sanction(kind=kind, starts_on=fact.confirmed_on, ends_on=fact.rectified_on, **common))
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
    # The first day on which no bar applies; None when eligible, or when a bar lasts until the
    # violation is rectified (homestead allocation), a day nobody knows in advance.
    eligible_from: datetime.date | None
    reasons: list[Sanction]


class EndlessWalk(RuntimeError):
    """The walk to the first free day did not advance: a sanction said it is in force on or after
    the day it ends (Sanction.in_force_on is wrong)."""


def _reason_order(sanction: Sanction) -> tuple:
    return (sanction.ends_on or datetime.date.max, sanction.violation_id)


def eligibility_from(sanctions: Iterable[Sanction], action: str, on: datetime.date) -> Eligibility:
    """Whether the bars among `sanctions` let the person do `action` on `on`, why not, and from
    when: bars that follow one another are walked through until a day none of them covers.

    Each step moves to the latest end among the bars covering the day, past which none of those
    can cover again: the walk takes at most one step per bar. It checks both (every step moves
    later, never more steps than bars) and raises EndlessWalk otherwise, so that a wrong
    `in_force_on` fails loudly instead of looping forever."""
    bars = [s for s in sanctions if SANCTION_BARS.get(s.kind) == action]
    reasons = sorted((s for s in bars if s.in_force_on(on)), key=_reason_order)
    if not reasons:
        return Eligibility(eligible=True, eligible_from=None, reasons=[])
    day: datetime.date | None = on
    for _step in range(len(bars) + 1):
        covering = [s for s in bars if s.in_force_on(day)]
        if not covering:
            break
        if any(s.ends_on is None for s in covering):
            day = None  # until rectified: no day can be given
            break
        later = max(s.ends_on for s in covering)
        if later <= day:
            raise EndlessWalk(f"the bars covering {day} end on {later}: the walk would not advance")
        day = later
    else:
        raise EndlessWalk(f"{len(bars)} bars still cover {day} after as many steps")
    return Eligibility(eligible=False, eligible_from=day, reasons=reasons)


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
