"""What every per-unit report and dashboard shares: the units of a division's subtree (its towns,
or its villages for a town), the count per unit by code prefix, and shares in percent.

A unit is named by the leading digits of a code (NBS codes nest by prefix), so "per unit" is one
GROUP BY on a prefix of the row's division code, whatever the number of units (DESIGN.md
section 6): never a query per unit.
"""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.db.models.functions import Substr


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
    return list(
        divisions.subtree(division.code)
        .filter(Q(retired_on__isnull=True) | Q(retired_on__gt=on), level=unit_level(division))
        .order_by("code")
        .values("code", "name")
    )


def per_unit(queryset: QuerySet, code_field: str, division) -> QuerySet:
    """`queryset` grouped by the unit its `code_field` lies in (a `unit` column): add aggregates
    with .annotate(...) for one row per unit."""
    return queryset.annotate(unit=Substr(code_field, 1, division.report_unit_code_length)).order_by().values("unit")
