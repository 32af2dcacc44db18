"""Querysets and set-based counts of deliberation (议事协商): the district's guiding catalogue read
from below, topics where they stand, and the coverage of villages and communities by deliberation
bodies (Jiangsu 一: 100% by 2025), written once for the reports, the dashboard and the pages.

Every count is one GROUP BY on the unit a row's division code lies in (governance.reporting.per_unit),
whatever the number of units."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet

from engagement.choices import DELIBERATION_COVERAGE_TARGET_PERCENT, Outcome, TopicStatus
from governance.access.querysets import RestrictedQuerySet, assigned_codes, held_condition
from governance.reporting import per_unit, percent
from villages.choices import Level

# Shares of the deliberation reports: percent with two decimals (DESIGN.md §7, deliberation-coverage).
SHARE_PLACES = 2


def _prefixes(code: str) -> list[str]:
    """Every leading part of a division code: its ancestors' codes and its own."""
    return [code[:length] for length in range(1, len(code) + 1)]


class CatalogueEntryQuerySet(RestrictedQuerySet):
    def readable_by(self, user) -> CatalogueEntryQuerySet:
        """The catalogue of every district the user's jurisdiction lies in or covers, for who views
        catalogue entries somewhere: a village's clerk reads their district's catalogue, which lies
        above their subtree (the district keeps it; others read it). No query beyond the grants."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        viewers = held_condition(user, "engagement.view_catalogueentry", "district__code")
        if viewers is None:
            return self.none()
        condition = Q()
        for code in assigned_codes(user):
            condition |= Q(district__code__startswith=code) | Q(district_id__in=_prefixes(code))
        return self.filter(condition) if condition else self.none()

    def of_district_of(self, division_code: str) -> CatalogueEntryQuerySet:
        """The entries of the district a division lies in."""
        return self.filter(district_id__in=_prefixes(division_code))


# The tabs of the topics' list, and what waits for whom: a topic to pre-review, to deliberate, done.
TO_REVIEW = Q(status=TopicStatus.PROPOSED)
TO_DELIBERATE = Q(status=TopicStatus.APPROVED)
DONE = Q(status__in=(TopicStatus.REJECTED, TopicStatus.DELIBERATED))


class TopicQuerySet(RestrictedQuerySet):
    def to_review(self) -> TopicQuerySet:
        return self.filter(TO_REVIEW)

    def to_deliberate(self) -> TopicQuerySet:
        return self.filter(TO_DELIBERATE)

    def done(self) -> TopicQuerySet:
        return self.filter(DONE)

    def reviewable_by(self, user) -> TopicQuerySet:
        """The topics waiting for pre-review (预审) that `user` may review: where they hold
        review_topic, not proposed by themselves (four eyes)."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        waiting = self.to_review().exclude(proposed_by_id=user.pk)
        if user.is_superuser:
            return waiting
        condition = held_condition(user, "engagement.review_topic", self.model.scope_field)
        return waiting.filter(condition) if condition is not None else self.none()


class MeetingQuerySet(RestrictedQuerySet):
    def between(self, start: datetime.date, end: datetime.date) -> MeetingQuerySet:
        return self.filter(held_on__gte=start, held_on__lte=end)


# --- coverage (Jiangsu 一) -------------------------------------------------------------------------


def coverage_share(with_body: int, villages: int) -> float | None:
    """Percent of the villages and communities with a deliberation body, 2 decimals; None of none."""
    return percent(with_body, villages, SHARE_PLACES)


def coverage_met(with_body: int, villages: int) -> bool | None:
    """Whether the share reaches the target (100%: every village and community), judged in integers
    (DESIGN.md §3: never floats) so that a share shown as 100.00 after rounding (99,999 of 100,000)
    is not taken for every village; None with no village."""
    if not villages:
        return None
    return with_body * 100 >= villages * DELIBERATION_COVERAGE_TARGET_PERCENT


def active_villages(divisions: QuerySet, division, on: datetime.date) -> QuerySet:
    """The villages and communities of `division`'s subtree active on `on`, among `divisions` (the
    caller's restricted Division queryset)."""
    return divisions.subtree(division.code).filter(
        Q(retired_on__isnull=True) | Q(retired_on__gt=on), level=Level.VILLAGE
    )


def coverage_counts(divisions: QuerySet, division, on: datetime.date) -> dict[str, dict[str, int]]:
    """Unit code → `villages` (active on `on`) and `with_body` (those whose deliberation body was
    formed by then): one GROUP BY, whatever the number of units."""
    rows = per_unit(active_villages(divisions, division, on), "code", division, on).annotate(
        villages=Count("code", distinct=True),
        with_body=Count(
            "deliberation_body",
            filter=Q(deliberation_body__formed_on__lte=on),
            distinct=True,
        ),
    )
    return {row["unit"]: {"villages": row["villages"], "with_body": row["with_body"]} for row in rows}


def topic_counts(topics: QuerySet, division, start: datetime.date, end: datetime.date) -> dict[str, dict[str, int]]:
    """Unit code → the topics proposed from `start` to `end` and where they stand: pre-reviewed,
    approved, rejected, deliberated, each outcome, linked to a decision. One GROUP BY."""
    proposed = topics.filter(proposed_on__gte=start, proposed_on__lte=end)
    reviewed = ~Q(status=TopicStatus.PROPOSED)
    rows = per_unit(proposed, "body__division_id", division, end).annotate(
        proposed=Count("id"),
        reviewed=Count("id", filter=reviewed),
        approved=Count("id", filter=Q(status__in=(TopicStatus.APPROVED, TopicStatus.DELIBERATED))),
        rejected=Count("id", filter=Q(status=TopicStatus.REJECTED)),
        deliberated=Count("id", filter=Q(status=TopicStatus.DELIBERATED)),
        **{outcome.value: Count("id", filter=Q(outcome=outcome)) for outcome in Outcome},
        with_decision=Count("id", filter=Q(decision__isnull=False)),
    )
    return {row.pop("unit"): row for row in rows}


def meeting_counts(meetings: QuerySet, division, start: datetime.date, end: datetime.date) -> dict[str, int]:
    """Unit code → the meetings held from `start` to `end`: one GROUP BY."""
    rows = per_unit(meetings.between(start, end), "body__division_id", division, end).annotate(meetings=Count("id"))
    return {row["unit"]: row["meetings"] for row in rows}
