"""Whether people may do an action on a day, asked of many people at once, with the first day each
barred one is free.

`registry.eligibility_checks` answers for one person with the reasons only (villages' Position.clean
asks it of the one person it records). A workflow that judges several people together (the bidders
of an asset transaction at the town's review, rights_lists) asks `eligibility_of`: each app that
bars people (covenants' sanctions) registers in `batch_checks` a check answering for all of them in
one query, with the day its bars end. A domain app never imports another's rules: it asks here.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Eligibility:
    """The answer for one person: eligible, or barred with the reasons (one sentence each, saying
    which tier of sanction applies and why) and the first day on which none of them applies (None
    when one lasts until a condition is met, e.g. a violation rectified, rather than to a day)."""

    eligible: bool
    eligible_from: datetime.date | None = None
    reasons: tuple[str, ...] = ()


ELIGIBLE = Eligibility(eligible=True)

# Name → check(person_ids, action, day) → {person_id: Eligibility} of the people it bars from the
# action on the day (a person left out is not barred by it): one query for all of them.
BatchCheck = Callable[[Sequence[int], str, datetime.date], dict[int, Eligibility]]
batch_checks: dict[str, BatchCheck] = {}


def combined(first: Eligibility, second: Eligibility) -> Eligibility:
    """Two answers for one person: barred when either bars, free once both let go (no day is
    known when either has none)."""
    if first.eligible:
        return second
    if second.eligible:
        return first
    days = (first.eligible_from, second.eligible_from)
    return Eligibility(
        eligible=False,
        eligible_from=None if None in days else max(days),
        reasons=first.reasons + second.reasons,
    )


def eligibility_of(person_ids: Sequence[int], action: str, on: datetime.date) -> dict[int, Eligibility]:
    """Every person's answer for `action` on `on`: one query per registered check, none without people."""
    answers = dict.fromkeys(person_ids, ELIGIBLE)
    if not answers:
        return answers
    for check in batch_checks.values():
        for person_id, answer in check(list(answers), action, on).items():
            answers[person_id] = combined(answers[person_id], answer)
    return answers
