"""Querysets of the rights_lists app; all of them start from the one scoping mechanism."""

from __future__ import annotations

import datetime

from django.apps import apps
from django.db.models import Exists, OuterRef, Q

from governance.access.querysets import RestrictedQuerySet, jurisdiction_codes

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


def codes_above(user, perm: str) -> set[str]:
    """The ancestors of every division where `user` holds `perm`: their lists are read from below
    (a district's template by its villages, a village's lists by its cooperatives)."""
    from villages.models import ancestor_codes_of

    return {ancestor for code in jurisdiction_codes(user, perm) for ancestor in ancestor_codes_of(code)}


class ReadableFromBelow(RestrictedQuerySet):
    """Lists, and their items, are read where restrict() allows, and also below their owner: a
    template is read by the villages that adopt it. `owner_field` names the owner's code."""

    owner_field = "owner_id"

    def readable_by(self, user):
        restricted = self.restrict(user, "view")
        if user is None or not user.is_authenticated or user.is_superuser:
            return restricted
        above = codes_above(user, f"rights_lists.view_{self.model._meta.model_name}")
        if not above:
            return restricted
        return self.filter(Q(pk__in=restricted.values("pk")) | Q(**{f"{self.owner_field}__in": above}))


class RightsListQuerySet(ReadableFromBelow):
    def in_force(self, on: datetime.date | None = None) -> RightsListQuerySet:
        return self.filter(in_force_on(on or datetime.date.today()))

    def in_force_for(self, code: str, on: datetime.date | None = None) -> RightsListQuerySet:
        """The lists in force for a division: its own (and its village's, for a cooperative) and
        the templates it adopted. One query, whatever the number of lists."""
        adoption = apps.get_model("rights_lists", "Adoption")
        codes = deciding_codes(code)
        adopted = adoption.objects.filter(template_id=OuterRef("pk"), division_id__in=codes)
        return self.in_force(on).filter(Q(owner_id__in=codes) | Exists(adopted))


class ListItemQuerySet(ReadableFromBelow):
    owner_field = "list__owner_id"

    def in_force_for(self, code: str, on: datetime.date | None = None) -> ListItemQuerySet:
        """The items in force for a division: the items of RightsListQuerySet.in_force_for."""
        rights_list = apps.get_model("rights_lists", "RightsList")
        return self.filter(list__in=rights_list.objects.in_force_for(code, on).values("pk"))


class DecisionQuerySet(RestrictedQuerySet):
    def with_timeline(self) -> DecisionQuerySet:
        """What a decision's page of rows shows, in a fixed number of queries."""
        return self.select_related("item__list", "implementation").prefetch_related("steps", "publications")
