"""Querysets of the supervision app; all of them start from the one scoping mechanism.

Overdue disclosures are computed from dates at query time (DESIGN.md section 5): a periodic item
is due once per month or quarter from its `since` on, whether or not anything was filed, so the
due occurrences are generated in SQL (generate_series over each item's periods) and matched to
the filed disclosures; nothing is flipped by a job.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import connection
from django.db.models import F, Q

from governance.access.querysets import RestrictedQuerySet, jurisdiction_codes
from supervision.choices import CADENCE_MONTHS, DISCLOSURE_GRACE_DAYS, Cadence


def _cadence_values() -> str:
    """The periodic cadences as an SQL VALUES list (cadence, months, grace days), from the named rules."""
    return ", ".join(
        f"('{cadence}', {months}, {DISCLOSURE_GRACE_DAYS[cadence]})" for cadence, months in CADENCE_MONTHS.items()
    )


def due_disclosures_sql(items_sql: str) -> str:
    """SQL of every disclosure due of the items `items_sql` selects (one column of item ids), with
    `%(due_from)s` <= due_on <= `%(due_to)s`: (item_id, division_id, period_start, due_on, filed_on).
    Periodic items contribute one row per calendar month or quarter from the one holding `since`
    up to `until`; major matters (at once) one row per recorded matter."""
    return f"""
        SELECT occurrence.item_id, occurrence.division_id, occurrence.period_start, occurrence.due_on,
               filed.filed_on
        FROM (
            SELECT item.id AS item_id, item.division_id, series.period_start::date AS period_start,
                   ((series.period_start + make_interval(months => cadence.months))::date - 1
                    + cadence.grace) AS due_on
            FROM supervision_disclosureitem item
            JOIN (VALUES {_cadence_values()}) AS cadence (cadence, months, grace) ON cadence.cadence = item.cadence
            CROSS JOIN LATERAL generate_series(
                date_trunc(CASE cadence.months WHEN 1 THEN 'month' ELSE 'quarter' END, item.since::timestamp),
                LEAST(COALESCE(item.until, %(due_to)s), %(due_to)s)::timestamp,
                make_interval(months => cadence.months)
            ) AS series (period_start)
            WHERE item.id IN ({items_sql})
            UNION ALL
            SELECT item.id, item.division_id, matter.period_start, matter.due_on
            FROM supervision_disclosure matter
            JOIN supervision_disclosureitem item ON item.id = matter.item_id
            WHERE item.cadence = '{Cadence.AT_ONCE}' AND item.id IN ({items_sql})
        ) AS occurrence
        -- Only these items' disclosures, so that the join reads them (by the item index), not every
        -- disclosure of the table: a scoring chunk's 5,000 villages hashed all 517,791 of a province.
        LEFT JOIN (
            SELECT filed.item_id, filed.period_start, filed.filed_on FROM supervision_disclosure filed
            WHERE filed.item_id IN ({items_sql})
        ) AS filed
            ON filed.item_id = occurrence.item_id AND filed.period_start = occurrence.period_start
        WHERE occurrence.due_on BETWEEN %(due_from)s AND %(due_to)s
    """


@dataclass(frozen=True)
class DueDisclosure:
    item_id: int
    division_id: str
    period_start: datetime.date
    due_on: datetime.date
    filed_on: datetime.date | None

    @property
    def on_time(self) -> bool:
        return self.filed_on is not None and self.filed_on <= self.due_on


class DisclosureItemQuerySet(RestrictedQuerySet):
    def due_between(self, start: datetime.date, end: datetime.date) -> list[DueDisclosure]:
        """The disclosures of these items due from `start` to `end`, filed or not, in one query."""
        items_sql, items_params = self.values("id").query.sql_with_params()
        # The items' SQL has positional parameters; inline them as named ones for the template.
        names = {f"item_{index}": value for index, value in enumerate(items_params)}
        items_sql = items_sql % tuple(f"%({name})s" for name in names)
        sql = (
            due_disclosures_sql(items_sql)
            + " ORDER BY occurrence.division_id, occurrence.item_id, occurrence.period_start"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, {**names, "due_from": start, "due_to": end})
            return [DueDisclosure(*row) for row in cursor.fetchall()]

    def overdue(self, on: datetime.date) -> list[DueDisclosure]:
        """What of these items is overdue on `on`: due before it and not filed by its deadline."""
        return [row for row in self.due_between(datetime.date.min, on - datetime.timedelta(days=1)) if not row.on_time]


class DisclosureQuerySet(RestrictedQuerySet):
    def overdue(self, on: datetime.date) -> DisclosureQuerySet:
        """Recorded disclosures past their deadline on `on` and not filed by it."""
        return self.filter(due_on__lt=on).filter(Q(filed_on__isnull=True) | Q(filed_on__gt=F("due_on")))


class SchemeQuerySet(RestrictedQuerySet):
    def readable_by(self, user) -> SchemeQuerySet:
        """Schemes the user may view where they lie, and the schemes of a division above the
        user's jurisdiction whose results they may read (a district's scheme, read by a town
        official for the town's units: results are read in jurisdiction, by the unit's code)."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        above: set[str] = set()
        for code in jurisdiction_codes(user, "supervision.view_result"):
            above.update(code[:length] for length in (2, 4, 6, 9, 12) if length < len(code))
        return self.filter(Q(pk__in=self.restrict(user, "view").values("pk")) | Q(division_id__in=above))
