"""Set-based queries of service centres, operating funds, emergency plans and drills (Jiangsu 六,
九, 十一): the rules of engagement/choices.py written once, for the API, the pages, the reports, the
dashboard's panel and the home page.

A plan is due a drill on a day when neither a drill nor, before its first drill, its adoption lies
within DRILL_REMINDER_DAYS days before it: a drill held 365 days before the day keeps the plan
current, one held 366 days before does not (a plan adopted within the year is not due yet).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import BooleanField, Case, Count, DateField, F, Max, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual, LessThan

from engagement.choices import (
    CENTRE_M2_PER_100_HOUSEHOLDS,
    CENTRE_MIN_SERVICE_SHARE_PERCENT,
    DRILL_REMINDER_DAYS,
    MIN_OPERATING_FUND_FEN,
)
from governance.access.querysets import RestrictedQuerySet
from governance.reporting import UnitOf, percent
from villages.choices import CODE_LENGTH_BY_LEVEL, Level


def drill_cutoff(on: datetime.date) -> datetime.date:
    """The earliest day a drill (or, before any, the plan's adoption) keeps a plan current on `on`."""
    return on - datetime.timedelta(days=DRILL_REMINDER_DAYS)


# --- the rules as SQL conditions ---------------------------------------------------------------------


def meets_area_condition(prefix: str = "") -> Q:
    """At least 30 m² per 100 households (Jiangsu 六): area × 100 ≥ households × 30, exact."""
    return Q(
        GreaterThanOrEqual(F(f"{prefix}area_m2") * 100, F(f"{prefix}households_served") * CENTRE_M2_PER_100_HOUSEHOLDS)
    )


def meets_service_share_condition(prefix: str = "") -> Q:
    """At least 70% of the area is service and activity space (Jiangsu 六): service × 100 ≥ area × 70."""
    return Q(
        GreaterThanOrEqual(
            F(f"{prefix}service_area_m2") * 100, F(f"{prefix}area_m2") * CENTRE_MIN_SERVICE_SHARE_PERCENT
        )
    )


def meets_area(area_m2, households: int) -> bool:
    """The same rule on values (a report's sums): exact in Decimal arithmetic."""
    return area_m2 * 100 >= households * CENTRE_M2_PER_100_HOUSEHOLDS


def meets_service_share(service_area_m2, area_m2) -> bool:
    """At least 70% of the area is service and activity space (Jiangsu 六): exact."""
    return service_area_m2 * 100 >= area_m2 * CENTRE_MIN_SERVICE_SHARE_PERCENT


def county_topup_fen(amount_fen: int) -> int:
    """What the county makes up to 380,000 yuan (Jiangsu 十一); 0 when the fund reaches it."""
    return max(0, MIN_OPERATING_FUND_FEN - amount_fen)


def meets_fund_minimum(amount_fen: int | None) -> bool:
    return amount_fen is not None and amount_fen >= MIN_OPERATING_FUND_FEN


# --- querysets ---------------------------------------------------------------------------------------


class ServiceCentreQuerySet(RestrictedQuerySet):
    def meeting_area(self) -> ServiceCentreQuerySet:
        return self.filter(meets_area_condition())

    def meeting_service_share(self) -> ServiceCentreQuerySet:
        return self.filter(meets_service_share_condition())


class OperatingFundQuerySet(RestrictedQuerySet):
    def of_year(self, year: int) -> OperatingFundQuerySet:
        return self.filter(year=year)

    def below_minimum(self) -> OperatingFundQuerySet:
        return self.filter(amount_fen__lt=MIN_OPERATING_FUND_FEN)


class EmergencyPlanQuerySet(RestrictedQuerySet):
    def with_last_drill(self, until: datetime.date | None = None) -> EmergencyPlanQuerySet:
        """Each plan's `last_drill_on`: its latest drill (up to `until` when given), or None; one
        subquery per row, in the one query (no GROUP BY over the plans' other joins)."""
        drill_model = self.model._meta.get_field("drills").related_model
        drills = drill_model.objects.filter(plan_id=OuterRef("pk"))
        if until is not None:
            drills = drills.filter(held_on__lte=until)
        latest = drills.order_by().values("plan_id").annotate(latest=Max("held_on")).values("latest")
        return self.annotate(last_drill_on=Subquery(latest, output_field=DateField()))

    def with_drill_due(self, on: datetime.date) -> EmergencyPlanQuerySet:
        """`last_drill_on` (up to `on`) and `drill_due`: no drill (nor, before the first, the plan's
        adoption) within DRILL_REMINDER_DAYS days before `on`, judged at the query."""
        plans = self if "last_drill_on" in self.query.annotations else self.with_last_drill(until=on)
        return plans.annotate(
            drill_due=Case(
                When(due_condition(on), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )

    def due_a_drill(self, on: datetime.date) -> EmergencyPlanQuerySet:
        """The plans adopted by `on` that are due a drill on `on`."""
        plans = self.with_last_drill(until=on) if "last_drill_on" not in self.query.annotations else self
        return plans.filter(adopted_on__lte=on).filter(due_condition(on))


def due_condition(on: datetime.date, prefix: str = "") -> Q:
    """On a queryset annotated with `last_drill_on` (its `prefix` for a related plan): neither the
    last drill nor, without one, the adoption lies within DRILL_REMINDER_DAYS days before `on`."""
    reference = Coalesce(F(f"{prefix}last_drill_on"), F(f"{prefix}adopted_on"), output_field=DateField())
    return Q(LessThan(reference, Value(drill_cutoff(on), output_field=DateField())))


class DrillQuerySet(RestrictedQuerySet):
    def between(self, start: datetime.date, end: datetime.date) -> DrillQuerySet:
        return self.filter(held_on__gte=start, held_on__lte=end)


# --- per village: what the reports, the town's table and the dashboard's panel show ----------------------

VILLAGE_CODE_LENGTH = CODE_LENGTH_BY_LEVEL[Level.VILLAGE]
SHARE_PLACES = 2


def service_share(service_area_m2, area_m2) -> float | None:
    """The service and activity space in percent of the area, 2 decimals (half up, in integers:
    both areas have one decimal); None for no area."""
    return percent(int(service_area_m2 * 10), int(area_m2 * 10), SHARE_PLACES)


def required_area(households: int) -> Decimal:
    """30 m² per 100 households (Jiangsu 六), pro rata: one decimal, exact."""
    return (Decimal(households) * CENTRE_M2_PER_100_HOUSEHOLDS / 100).quantize(Decimal("0.1"))


def village_units(divisions, code: str, on: datetime.date) -> list[dict]:
    """`code` and `name` of the villages and communities of the subtree of `code` among
    `divisions` (the caller's restricted Division queryset), active on `on`: one query."""
    return list(
        divisions.filter(code__startswith=code)
        .filter(Q(retired_on__isnull=True) | Q(retired_on__gt=on), level=Level.VILLAGE)
        .order_by("code")
        .values("code", "name")
    )


def by_village(rows, code_field: str, code: str, on: datetime.date):
    """`rows` in the subtree of `code`, grouped by the village they count in on `on` (its
    successor for a village merged away, governance.reporting.UnitOf): a `unit` column."""
    rows = rows.filter(**{f"{code_field}__startswith": code})
    return rows.annotate(unit=UnitOf(code_field, VILLAGE_CODE_LENGTH, on)).order_by().values("unit")


NO_CENTRE = {
    "centre": False,
    "households_served": None,
    "area_m2": None,
    "required_area_m2": None,
    "meets_area": False,
    "service_area_m2": None,
    "service_share": None,
    "meets_service_share": False,
}


def centre_figures(centres, code: str, on: datetime.date) -> dict[str, dict]:
    """Village code → its centre's figures (those of villages merged into it added up: their
    stations serve its households now): one GROUP BY. A village without a centre is absent
    (NO_CENTRE: both targets missed)."""
    figures = {}
    for row in by_village(centres.filter(division__level=Level.VILLAGE), "division__code", code, on).annotate(
        area=Sum("area_m2"), service=Sum("service_area_m2"), households=Sum("households_served")
    ):
        area, service, households = row["area"], row["service"], row["households"]
        figures[row["unit"]] = {
            "centre": True,
            "households_served": households,
            "area_m2": str(area),
            "required_area_m2": str(required_area(households)),
            "meets_area": meets_area(area, households),
            "service_area_m2": str(service),
            "service_share": service_share(service, area),
            "meets_service_share": meets_service_share(service, area),
        }
    return figures


def fund_amounts(funds, code: str, year: int, on: datetime.date) -> dict[str, int]:
    """Village code → its operating fund of `year` in fen (those of villages merged into it
    added): one GROUP BY. A village with no fund recorded is absent."""
    rows = by_village(funds.filter(year=year), "division__code", code, on).annotate(amount=Sum("amount_fen"))
    return {row["unit"]: row["amount"] for row in rows}


def fund_figures(amount_fen: int | None) -> dict:
    return {
        "recorded": amount_fen is not None,
        "amount_fen": amount_fen,
        "county_topup_fen": None if amount_fen is None else county_topup_fen(amount_fen),
        "meets_minimum": meets_fund_minimum(amount_fen),
    }


def drill_figures(
    plans, drills, code: str, start: datetime.date, day: datetime.date, on: datetime.date
) -> dict[str, dict]:
    """Village code → its plans adopted by `day`, the people trained for them, the drills held from
    `start` to `day`, the last drill by `day`, the plans due a drill on `day`, and `target_met`
    (at least one plan, none due: Jiangsu 九). Three GROUP BYs; every village of `code` answers
    (drill_row) even without a record."""
    counts = {
        row["unit"]: row
        for row in by_village(plans.filter(adopted_on__lte=day), "division__code", code, on).annotate(
            plans=Count("id"), people_trained=Sum("people_trained")
        )
    }
    due = {
        row["unit"]: row["due"]
        for row in plans.filter(division__code__startswith=code)
        .due_a_drill(day)
        .annotate(unit=UnitOf("division__code", VILLAGE_CODE_LENGTH, on))
        .order_by()
        .values("unit")
        .annotate(due=Count("id"))
    }
    held = {
        row["unit"]: row
        for row in by_village(drills.filter(held_on__lte=day), "plan__division__code", code, on).annotate(
            drills=Count("id", filter=Q(held_on__gte=start)), last_drill_on=Max("held_on")
        )
    }
    figures = {}
    for unit in {*counts, *due, *held}:
        planned = counts.get(unit, {"plans": 0, "people_trained": 0})
        drilled = held.get(unit, {"drills": 0, "last_drill_on": None})
        figures[unit] = drill_row(planned["plans"], planned["people_trained"] or 0, drilled, due.get(unit, 0))
    return figures


def drill_row(plans: int = 0, people_trained: int = 0, drilled: dict | None = None, plans_due: int = 0) -> dict:
    drilled = drilled or {"drills": 0, "last_drill_on": None}
    return {
        "plans": plans,
        "people_trained": people_trained,
        "drills": drilled["drills"],
        "last_drill_on": drilled["last_drill_on"],
        "plans_due": plans_due,
        "target_met": plans > 0 and plans_due == 0,
    }


__all__ = [
    "NO_CENTRE",
    "centre_figures",
    "drill_figures",
    "drill_row",
    "fund_amounts",
    "fund_figures",
    "required_area",
    "service_share",
    "village_units",
    "DrillQuerySet",
    "EmergencyPlanQuerySet",
    "OperatingFundQuerySet",
    "ServiceCentreQuerySet",
    "county_topup_fen",
    "drill_cutoff",
    "meets_area",
    "meets_area_condition",
    "meets_fund_minimum",
    "meets_service_share",
    "meets_service_share_condition",
]
