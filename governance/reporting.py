"""What every per-unit report and dashboard shares: the units of a division's subtree (its towns,
or its villages for a town), the count per unit by code prefix, and shares in percent.

A unit is named by the leading digits of a code (NBS codes nest by prefix), so "per unit" is one
GROUP BY on a prefix of the row's division code, whatever the number of units (DESIGN.md
section 6): never a query per unit.

A unit merged away (撤并) by the report's day is no unit of it (units_of); its records, which keep
its code, count in the unit it went into (Division.merged_into, followed to the last successor
when that one was merged away in turn): per_unit's `unit` is that successor's code.
"""

from __future__ import annotations

import datetime

from django.db.models import CharField, F, Func, Q, QuerySet

from governance.clock import today
from governance.registry import get_division_model


def percent(part: int, whole: int, places: int = 1) -> float | None:
    """part / whole in percent, rounded half up to `places` decimals (one by default) in integer
    arithmetic; None of none."""
    if not whole:
        return None
    scale = 10**places
    return (part * 200 * scale + whole) // (2 * whole) / scale


def unit_level(division) -> str:
    """The level of a report's rows: villages for a town or anything below it, towns above."""
    return division.report_unit_level


def units_of(divisions: QuerySet, division, on: datetime.date) -> list[dict]:
    """`code` and `name` of the units of `division`'s subtree active on `on`, in code order: one
    query on `divisions` (the caller's restricted Division queryset)."""
    return units_and_successors(divisions, division, on)[0]


def units_and_successors(divisions: QuerySet, division, on: datetime.date) -> tuple[list[dict], dict[str, str]]:
    """The units of `division`'s subtree active on `on` (units_of), and, for a report that groups
    its rows in Python (unit_in), each unit of the subtree merged away by then → the code of its
    last successor. One query: the merged units come with the active ones (a merger stays within
    its parent, so both lie in the subtree)."""
    rows = (
        divisions.subtree(division.code)
        .filter(
            Q(retired_on__isnull=True) | Q(retired_on__gt=on) | Q(merged_into__isnull=False),
            level=unit_level(division),
        )
        .order_by("code")
        .values("code", "name", "retired_on", "merged_into_id")
    )
    units, merged = [], {}
    for row in rows:
        if row["retired_on"] is not None and row["retired_on"] <= on:
            merged[row["code"]] = row["merged_into_id"]
        else:
            units.append({"code": row["code"], "name": row["name"]})
    successors = {}
    for code in merged:
        last = code
        while last in merged:
            last = merged[last]
        successors[code] = last
    return units, successors


def unit_in(code: str, length: int, successors: dict[str, str]) -> str:
    """The unit a row of `code` counts in: its first `length` digits, or that unit's successor
    when it was merged away (units_and_successors): UnitOf's answer, in Python."""
    unit = code[:length]
    return successors.get(unit, unit)


class UnitOf(Func):
    """The code of the unit `code_field` lies in on `on`: its first `length` digits, or, when the
    division of those digits was merged away on or before `on`, the code of its last successor.

    Whether a row's unit was merged away is a hashed lookup in the set of merged divisions (one
    scan, of the partial index that holds only them, per query); only those rows follow
    `merged_into`, the few steps of a recursive subquery. A merged division's successor was
    active when it was merged, so the chain ends."""

    output_field = CharField()

    def __init__(self, code_field: str, length: int, on: datetime.date):
        super().__init__(F(code_field))
        self.length = int(length)
        self.on = on

    def as_sql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        table = connection.ops.quote_name(get_division_model()._meta.db_table)
        prefix = f"SUBSTRING({column}, 1, {self.length})"
        sql = f"""(CASE WHEN {prefix} IN (
                SELECT m.code FROM {table} m WHERE m.merged_into_id IS NOT NULL AND m.retired_on <= %s
            ) THEN (
                WITH RECURSIVE chain(code, depth) AS (
                    SELECT m.merged_into_id, 1 FROM {table} m WHERE m.code = {prefix}
                    UNION ALL
                    SELECT m.merged_into_id, chain.depth + 1 FROM {table} m JOIN chain ON m.code = chain.code
                    WHERE m.merged_into_id IS NOT NULL AND m.retired_on <= %s
                )
                SELECT chain.code FROM chain ORDER BY chain.depth DESC LIMIT 1
            ) ELSE {prefix} END)"""
        return sql, (*params, self.on, *params, self.on, *params)


def per_unit(queryset: QuerySet, code_field: str, division, on: datetime.date | None = None) -> QuerySet:
    """`queryset` grouped by the unit its `code_field` lies in on `on` (today by default; the day
    units_of was given): a `unit` column, which for a unit merged away by then is its successor's
    code (UnitOf). Add aggregates with .annotate(...) for one row per unit."""
    unit = UnitOf(code_field, division.report_unit_code_length, on or today())
    return queryset.annotate(unit=unit).order_by().values("unit")
