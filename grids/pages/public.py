"""The grids section of a village's public page (/public/<code>/, governance.registry.public_sections):
the events handled this year in the village, counted by category. Counts only: no description,
no place, no name, nothing that could point at a household."""

from __future__ import annotations

from django.db.models import Count, F, Q

from governance.clock import today
from grids.choices import EventState
from grids.models import GridEvent

# Handled (办结), whether evaluated or closed since: what a resident may see was dealt with.
HANDLED_STATES = (EventState.HANDLED, EventState.EVALUATED, EventState.CLOSED)


def public_handled_events(division) -> dict | None:
    """Per category, the events reported this year in the village that were handled, and how many
    of them by their due time; None (no section) when there are none. One query."""
    year = today().year
    rows = list(
        GridEvent.objects.filter(division_id=division.code, state__in=HANDLED_STATES)
        .filter(reported_at__year=year)
        .values(name=F("category__name"))
        .annotate(handled=Count("id"), on_time=Count("id", filter=Q(handled_at__lte=F("due_at"))))
        .order_by("-handled", "name")
    )
    if not rows:
        return None
    return {
        "year": year,
        "categories": rows,
        "handled": sum(row["handled"] for row in rows),
        "on_time": sum(row["on_time"] for row in rows),
    }
