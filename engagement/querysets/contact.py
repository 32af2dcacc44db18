"""Set-based queries of direct contact (五挂钩, 组织直联日) that the reports, the pages, the
dashboard's panel and the home page share: each a fixed number of queries whatever the number of
villages or links."""

from __future__ import annotations

import datetime

from django.apps import apps
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from engagement.choices import DIRECT_CONTACT_WEEKDAY, LINKS_PER_VILLAGE, LinkKind
from villages.choices import Level

# Django's iso_week_day counts Monday as 1; DIRECT_CONTACT_WEEKDAY is datetime's (Monday 0).
CONTACT_ISO_WEEKDAY = DIRECT_CONTACT_WEEKDAY + 1


def active_on(on: datetime.date) -> Q:
    """A division not retired (merged away or dissolved) by `on`."""
    return Q(retired_on__isnull=True) | Q(retired_on__gt=on)


def current_link_condition(on: datetime.date, prefix: str = "") -> Q:
    """The links held on `on` (ContactLinkQuerySet.current), as a condition on `prefix`ed fields."""
    return Q(**{f"{prefix}since__lte": on}) & (Q(**{f"{prefix}until__isnull": True}) | Q(**{f"{prefix}until__gte": on}))


def with_links_filled(villages: QuerySet, on: datetime.date) -> QuerySet:
    """Villages annotated with `links_filled`: how many of the five kinds of link (五挂钩) they hold
    on `on` (a correlated count in the same query)."""
    link = apps.get_model("engagement", "ContactLink")
    kinds = (
        link.objects.filter(current_link_condition(on), division_id=OuterRef("code"), kind__in=LinkKind.values)
        .order_by()
        .values("division_id")
        .annotate(kinds=Count("kind", distinct=True))
        .values("kinds")
    )
    return villages.annotate(links_filled=Coalesce(Subquery(kinds, output_field=IntegerField()), Value(0)))


def villages_missing_links(villages: QuerySet, on: datetime.date) -> QuerySet:
    """The active villages (communities) among `villages` lacking at least one of the five links on
    `on`, annotated with `links_filled`."""
    active = villages.filter(active_on(on), level=Level.VILLAGE)
    return with_links_filled(active, on).filter(links_filled__lt=LINKS_PER_VILLAGE)


def contact_day_counts() -> dict:
    """The aggregates of contact days per unit: days held, of which on the direct-contact day
    (Tuesday), attendees, days with matters raised recorded, matters settled on the spot."""
    from django.db.models import Sum

    return {
        "days": Count("id"),
        "on_tuesday": Count("id", filter=Q(held_on__iso_week_day=CONTACT_ISO_WEEKDAY)),
        "attendees": Coalesce(Sum("attendees"), Value(0)),
        "days_with_matters": Count("id", filter=~Q(matters_raised="")),
        "matters_settled": Coalesce(Sum("matters_settled"), Value(0)),
    }


def links_table(villages: list[dict], filled: dict[str, set[str]]) -> list[dict]:
    """Each village (`code`, `name`) with `links` ({kind: filled}) and `missing` (how many not)."""
    rows = []
    for village in villages:
        kinds = filled.get(village["code"], set())
        links = {kind: kind in kinds for kind in LinkKind.values}
        rows.append({**village, "links": links, "missing": sum(1 for held in links.values() if not held)})
    return rows
