"""Querysets of the grids app; all of them start from the one scoping mechanism.

What the pages, the API, the reports and the home page ask of grids and events (overdue, what
waits for whom, satisfaction per unit) is written here once. "Overdue" is computed at query time
from the event's `due_at` and the moment asked about (`at`, now by default), never stored.
"""

from __future__ import annotations

import datetime

from django.db.models import BooleanField, Case, Count, ExpressionWrapper, F, Q, Value, When
from django.utils import timezone

from governance.access.querysets import RestrictedQuerySet, assigned_codes
from grids.choices import SATISFACTION_TARGET_PERCENT, SATISFIED_KINDS, EventState


def _prefixes(code: str) -> list[str]:
    """Every leading part of a division code: its ancestors' codes and its own."""
    return [code[:length] for length in range(1, len(code) + 1)]


class GridQuerySet(RestrictedQuerySet):
    def with_open_events(self) -> GridQuerySet:
        """`open_events`: how many of the grid's events are not closed yet (one subquery-free join)."""
        return self.annotate(open_events=Count("grid_events", filter=~Q(grid_events__state=EventState.CLOSED)))

    def with_event_counts(self, at: datetime.datetime | None = None) -> GridQuerySet:
        """`open_events` (not closed) and `late_events` (not handled and past their due time at
        `at`, now by default) of each grid: one join, one GROUP BY, whatever the number of grids."""
        at = at or timezone.now()
        return self.annotate(
            open_events=Count("grid_events", filter=~Q(grid_events__state=EventState.CLOSED)),
            late_events=Count(
                "grid_events", filter=Q(grid_events__handled_at__isnull=True, grid_events__due_at__lt=at)
            ),
        )


class EventCategoryQuerySet(RestrictedQuerySet):
    def readable_by(self, user) -> EventCategoryQuerySet:
        """The categories of every district the user's jurisdiction lies in or covers: a town
        official or a grid worker reads their district's categories, which lie above their
        subtree (categories are the district's data, not personal records). No query beyond the
        user's grants, cached on the user."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        condition = Q()
        for code in assigned_codes(user):
            condition |= Q(district__code__startswith=code) | Q(district_id__in=_prefixes(code))
        return self.filter(condition) if condition else self.none()

    def of_district_of(self, division_code: str) -> EventCategoryQuerySet:
        """The categories of the district a division lies in."""
        return self.filter(district_id__in=_prefixes(division_code))


def satisfaction_counts(at: datetime.datetime) -> dict:
    """The aggregates of grid satisfaction (DESIGN.md §7, grid-satisfaction): `events`,
    `evaluated`, `satisfied` (last evaluation satisfied or basically satisfied) and `overdue`
    (judged at `at`), for .aggregate() over events or .annotate() per unit: the report, the
    dashboard and the totals count alike."""
    return {
        "events": Count("id"),
        "evaluated": Count("id", filter=~Q(satisfaction="")),
        "satisfied": Count("id", filter=Q(satisfaction__in=SATISFIED_KINDS)),
        "overdue": Count("id", filter=overdue_condition(at)),
    }


# Shares of satisfied events are kept to 2 decimals (DESIGN.md §7, grid-satisfaction).
SHARE_PLACES = 2


def satisfied_share(satisfied: int, evaluated: int) -> float | None:
    """Percent of the evaluated events satisfied or basically satisfied; None when none was."""
    from governance.reporting import percent

    return percent(satisfied, evaluated, SHARE_PLACES)


def share_met(share: float | None) -> bool | None:
    """The 90% target (Jiangsu 一, SATISFACTION_TARGET_PERCENT): None when nothing was evaluated
    (no share to judge)."""
    return None if share is None else share >= SATISFACTION_TARGET_PERCENT


def overdue_condition(at: datetime.datetime) -> Q:
    """Not handled by its due time: unhandled after it, or handled after it (DESIGN.md §3)."""
    return Q(handled_at__isnull=True, due_at__lt=at) | Q(handled_at__gt=F("due_at"))


class GridEventQuerySet(RestrictedQuerySet):
    def with_overdue(self, at: datetime.datetime | None = None) -> GridEventQuerySet:
        """`overdue`, computed at `at` (now by default)."""
        at = at or timezone.now()
        return self.annotate(
            overdue=ExpressionWrapper(
                Case(When(overdue_condition(at), then=Value(True)), default=Value(False)),
                output_field=BooleanField(),
            )
        )

    def overdue(self, at: datetime.datetime | None = None) -> GridEventQuerySet:
        return self.filter(overdue_condition(at or timezone.now()))

    def open(self) -> GridEventQuerySet:
        return self.exclude(state=EventState.CLOSED)

    def whistled(self) -> GridEventQuerySet:
        """Whistled to departments (吹哨) and not handled yet: the departments are on their way."""
        return self.filter(route="whistle", state=EventState.ASSESSED)

    def reported_between(self, start: datetime.date, end: datetime.date) -> GridEventQuerySet:
        """Reported on a local day from `start` to `end`, both included."""
        tz = timezone.get_current_timezone()
        since = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
        until = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
        return self.filter(reported_at__gte=since, reported_at__lt=until)

    def evaluated(self) -> GridEventQuerySet:
        """Events with an evaluation (their last one is `satisfaction`)."""
        return self.exclude(satisfaction="")

    def satisfaction_totals(self, at: datetime.datetime | None = None) -> dict:
        """`events`, `evaluated`, `satisfied` (last evaluation satisfied or basically satisfied),
        `overdue`, `handled_on_time` over the queryset: one query."""
        return self.aggregate(
            **satisfaction_counts(at or timezone.now()),
            handled_on_time=Count("id", filter=Q(handled_at__isnull=False, handled_at__lte=F("due_at"))),
        )

    def hours_to_handle(self) -> GridEventQuerySet:
        """`hours_to_handle` of handled events (handled_at − reported_at, in hours)."""
        from django.db.models import DurationField
        from django.db.models.functions import Extract

        return self.filter(handled_at__isnull=False).annotate(
            hours_to_handle=Extract(
                ExpressionWrapper(F("handled_at") - F("reported_at"), output_field=DurationField()), "epoch"
            )
            / 3600.0
        )


__all__ = ["EventCategoryQuerySet", "GridEventQuerySet", "GridQuerySet", "overdue_condition"]
