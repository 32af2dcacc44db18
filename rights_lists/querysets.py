"""Querysets of the rights_lists app; all of them start from the one scoping mechanism."""

from __future__ import annotations

import datetime

from django.apps import apps
from django.db.models import Exists, OuterRef, Q

from governance.access.querysets import RestrictedQuerySet

VILLAGE_CODE_LENGTH = 12


def deciding_codes(code: str) -> list[str]:
    """The divisions whose lists are in force for the division with `code`: itself and, for a
    cooperative, its village (a cooperative decides its matters on the village's lists too)."""
    codes = [code]
    if len(code) > VILLAGE_CODE_LENGTH:
        codes.append(code[:VILLAGE_CODE_LENGTH])
    return codes


def in_force_on(on: datetime.date, prefix: str = "") -> Q:
    """A published list whose validity period holds `on` (computed from dates, not a flag)."""
    return (
        Q(**{f"{prefix}status": "published"})
        & Q(**{f"{prefix}valid_from__lte": on})
        & (Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gte": on}))
    )


class RightsListQuerySet(RestrictedQuerySet):
    def in_force(self, on: datetime.date | None = None) -> RightsListQuerySet:
        return self.filter(in_force_on(on or datetime.date.today()))

    def in_force_for(self, code: str, on: datetime.date | None = None) -> RightsListQuerySet:
        """The lists in force for a division: its own (and its village's, for a cooperative) and
        the templates it adopted. One query, whatever the number of lists."""
        adoption = apps.get_model("rights_lists", "Adoption")
        codes = deciding_codes(code)
        adopted = adoption.objects.filter(template_id=OuterRef("pk"), division_id__in=codes)
        return self.in_force(on).filter(Q(owner_id__in=codes) | Exists(adopted))


class ListItemQuerySet(RestrictedQuerySet):
    def in_force_for(self, code: str, on: datetime.date | None = None) -> ListItemQuerySet:
        """The items in force for a division: the items of RightsListQuerySet.in_force_for."""
        rights_list = apps.get_model("rights_lists", "RightsList")
        return self.filter(list__in=rights_list.objects.in_force_for(code, on).values("pk"))


class DecisionQuerySet(RestrictedQuerySet):
    def with_timeline(self) -> DecisionQuerySet:
        """What a decision's page of rows shows, in a fixed number of queries."""
        return self.select_related("item__list", "implementation").prefetch_related("steps", "publications")
