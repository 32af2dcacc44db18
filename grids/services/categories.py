"""Event categories of a district: created from the defaults where missing, kept by the district."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from governance.audit import acting_as
from governance.guards import require_permission_at
from grids.choices import DEFAULT_CATEGORIES
from grids.models import EventCategory
from grids.services.actions import GridsAction

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def ensure_categories(district_code: str) -> list[EventCategory]:
    """The district's default categories, created where missing (names and limits kept where the
    district changed them): by the demo, on the first report in a district. Two queries."""
    EventCategory.objects.bulk_create(
        (
            EventCategory(district_id=district_code, code=code, name=name, time_limit_hours=hours)
            for code, name, hours in DEFAULT_CATEGORIES
        ),
        ignore_conflicts=True,
    )
    return list(EventCategory.objects.filter(district_id=district_code))


def save_category(
    *,
    acting_user: AbstractBaseUser,
    district_code: str,
    code: str,
    name: str,
    time_limit_hours: int,
    active: bool = True,
) -> EventCategory:
    """Add a category to a district or change one (its name, time limit, whether it is in use).

    A changed time limit applies to events reported afterwards: an event's due time is fixed when
    it is reported."""
    with transaction.atomic(), acting_as(acting_user, action=GridsAction.SAVE_CATEGORY):
        require_permission_at(acting_user, "grids.change_eventcategory", district_code)
        category = EventCategory.objects.select_for_update().filter(
            district_id=district_code, code=code
        ).first() or EventCategory(district_id=district_code, code=code)
        category.name = name
        category.time_limit_hours = time_limit_hours
        category.active = active
        category.full_clean()
        category.save()
        return category


def category_of_district(division_code: str, code: str) -> EventCategory | None:
    """The category `code` of the district a division lies in, or None when the district has
    none of that code. A district that never reported an event gets its default categories first
    (ensure_categories), so that a default code works from its first report in every channel: the
    API, Open311 and the pages. One query when the category exists."""
    from grids.services.events import district_of

    district = district_of(division_code)
    found = EventCategory.objects.filter(district_id=district, code=code).first()
    if found is None and code in {default for default, _name, _hours in DEFAULT_CATEGORIES}:
        ensure_categories(district)
        found = EventCategory.objects.filter(district_id=district, code=code).first()
    return found
