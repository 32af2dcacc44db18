"""Querysets of the engagement app; all of them start from the one scoping mechanism.

What the pages, the API and the reports ask (links filled, visit coverage against the quotas of
Guangxi §16, deliberation coverage) is written here once.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Exists, OuterRef, Q

from engagement.choices import LEADERSHIP_TERM_YEARS, VISIT_QUOTAS, LinkKind, QuotaTarget, QuotaWindow
from governance.access.querysets import RestrictedQuerySet
from governance.periods import Period, same_day_later
from villages.choices import Level


class ContactLinkQuerySet(RestrictedQuerySet):
    def current(self, on: datetime.date) -> ContactLinkQuerySet:
        """The links held on `on`: begun on or before it and not ended before it."""
        return self.filter(since__lte=on).filter(Q(until__isnull=True) | Q(until__gte=on))

    def filled_by_village(self, on: datetime.date) -> dict[str, set[str]]:
        """Village code → the kinds of link filled on `on` (one query)."""
        filled: dict[str, set[str]] = {}
        for code, kind in self.current(on).values_list("division_id", "kind").distinct():
            filled.setdefault(code, set()).add(kind)
        return filled


def missing_links(filled: set[str]) -> list[str]:
    """The five links (五挂钩) a village lacks, in their order."""
    return [kind for kind in LinkKind.values if kind not in filled]


class DeliberationBodyQuerySet(RestrictedQuerySet):
    pass


class VisitingCadreQuerySet(RestrictedQuerySet):
    pass


class VisitQuerySet(RestrictedQuerySet):
    def between(self, start: datetime.date, end: datetime.date) -> VisitQuerySet:
        return self.filter(visited_on__gte=start, visited_on__lte=end)


@dataclass(frozen=True)
class Coverage:
    """One quota of one visiting cadre over a window: how many were to be visited, how many were."""

    target: str
    window: str
    start: datetime.date
    end: datetime.date
    required: int
    visited: int

    @property
    def share(self) -> float | None:
        from governance.reporting import percent

        return percent(self.visited, self.required, places=2)

    @property
    def met(self) -> bool:
        return self.visited >= self.required


def quota_window(window: str, period: Period, term_started_on: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The days a quota counts visits over, for a report of `period`: the period's year for a
    yearly quota, its half-year for a half-yearly one (the first half of a yearly period, our
    reading: the report asks about one half at a time), the term so far for a term's quota."""
    if window == QuotaWindow.YEAR:
        return datetime.date(period.end.year, 1, 1), datetime.date(period.end.year, 12, 31)
    if window == QuotaWindow.HALF_YEAR:
        first_half = period.start.month <= 6 and period.end.month <= 6
        if first_half:
            return datetime.date(period.start.year, 1, 1), datetime.date(period.start.year, 6, 30)
        return datetime.date(period.end.year, 7, 1), datetime.date(period.end.year, 12, 31)
    term_end = same_day_later(term_started_on, years=LEADERSHIP_TERM_YEARS) - datetime.timedelta(days=1)
    return term_started_on, min(term_end, period.end)


def coverage_of(cadre, period: Period) -> list[Coverage]:
    """Each quota of the cadre's level (VISIT_QUOTAS) over its window: a few queries per cadre,
    set-based within each. Whatever reads many cadres (the report, the pages, the panel, the home
    count) reads engagement.querysets.visits.coverage_table, one statement for all of them, which
    tests/engagement/test_visits_coverage.py holds to the same answers as this one."""
    division_model = apps.get_model("villages", "Division")
    household_model = apps.get_model("villages", "Household")
    village_codes = list(cadre.villages.values_list("code", flat=True))
    rows = []
    for target, window in VISIT_QUOTAS.get(cadre.level, ()):
        start, end = quota_window(window, period, cadre.term_started_on)
        visits = cadre.visits.filter(visited_on__gte=start, visited_on__lte=end)
        active = Q(retired_on__isnull=True) | Q(retired_on__gt=end)
        if target == QuotaTarget.VILLAGES:
            required = division_model.objects.filter(active, level=Level.VILLAGE, code__startswith=cadre.division_id)
            visited = required.filter(Exists(visits.filter(division__code__startswith=OuterRef("code"))))
        elif target in (QuotaTarget.NATURAL_VILLAGES, QuotaTarget.GROUPS):
            scope = (
                Q(code__startswith=cadre.division_id)
                if target == QuotaTarget.NATURAL_VILLAGES
                else _any_prefix("code", village_codes)
            )
            required = division_model.objects.filter(active, scope, level=Level.COOPERATIVE)
            visited = required.filter(Exists(visits.filter(division__code__startswith=OuterRef("code"))))
        else:
            required = household_model.objects.filter(_any_prefix("division__code", village_codes))
            visited = required.filter(Exists(visits.filter(household_id=OuterRef("pk"))))
        rows.append(
            Coverage(
                target=target, window=window, start=start, end=end, required=required.count(), visited=visited.count()
            )
        )
    return rows


def _any_prefix(field: str, codes: list[str]) -> Q:
    condition = Q(pk__in=[])
    for code in codes:
        condition |= Q(**{f"{field}__startswith": code})
    return condition


__all__ = ["Coverage", "coverage_of", "missing_links", "quota_window"]
