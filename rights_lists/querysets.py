"""Querysets of the rights_lists app; all of them start from the one scoping mechanism
(governance.access.querysets.RestrictedQuerySet). What the pages, the API and the reports ask of
the rows (what is in force, what waits for review, when a decision started) is asked here."""

from __future__ import annotations

import datetime

from django.apps import apps
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, TruncDate

from governance.access.querysets import RestrictedQuerySet, holds_in, jurisdiction_codes
from governance.clock import today
from rights_lists.choices import (
    ADOPTED_STATES,
    DECIDING_LEVELS,
    THREE_LISTS,
    TOWN_CODE_LENGTH,
    VILLAGE_CODE_LENGTH,
    DecisionState,
    ListKind,
    ListStatus,
    Procedure,
    PublicationKind,
    TransactionState,
)


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
        Q(**{f"{prefix}status": ListStatus.PUBLISHED})
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
        return self.filter(in_force_on(on or today()))

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

    def on_three_lists_of(self, code: str, on: datetime.date) -> ListItemQuerySet:
        """The items of the village's three lists (三张清单) in force on the day, with their list:
        what village matter admission is judged against (one query when evaluated)."""
        return self.in_force_for(code, on).filter(list__kind__in=THREE_LISTS).select_related("list")

    def town_negative_projects(self, code: str, on: datetime.date) -> ListItemQuerySet:
        """The items of the town's negative list of projects (镇域项目负面清单) in force on the day:
        the town's own list, of the town `code` lies in."""
        return self.filter(
            in_force_on(on, "list__"),
            list__owner_id=code[:TOWN_CODE_LENGTH],
            list__kind=ListKind.TOWN_NEGATIVE_PROJECTS,
        ).order_by("list_id", "id")


def started_on():
    """The day a decision started: its first meeting, or the day it was opened while it has none."""
    step = apps.get_model("rights_lists", "DecisionStep")
    first_step = step.objects.filter(decision=OuterRef("pk")).order_by("held_on").values("held_on")[:1]
    return Coalesce(Subquery(first_step), TruncDate("opened_at"))


class DecisionQuerySet(RestrictedQuerySet):
    def with_timeline(self) -> DecisionQuerySet:
        """What a decision's page of rows shows, in a fixed number of queries."""
        return self.select_related("item__list", "implementation").prefetch_related("steps", "publications")

    def adopted(self) -> DecisionQuerySet:
        """Decisions that were adopted, whatever followed (ADOPTED_STATES)."""
        return self.filter(state__in=ADOPTED_STATES)

    def awaiting_review_by(self, user) -> DecisionQuerySet:
        """Open decisions of the town's review (镇级审核) where `user` may record it."""
        return self.restrict(user, "review").filter(procedure=Procedure.TOWN_REVIEW, state=DecisionState.OPEN)

    def resolution_published_in(self, code: str) -> DecisionQuerySet:
        """The decisions of the division and below whose resolution was published, annotated with
        `resolution_on`, the day it was (the public village page's 决议公开)."""
        publication = apps.get_model("rights_lists", "Publication")
        resolution_on = publication.objects.filter(decision=OuterRef("pk"), kind=PublicationKind.RESOLUTION).values(
            "published_on"
        )[:1]
        return (
            self.filter(division__code__startswith=code)
            .annotate(resolution_on=Subquery(resolution_on))
            .filter(resolution_on__isnull=False)
        )

    def started_between(self, start: datetime.date, end: datetime.date) -> DecisionQuerySet:
        """Decisions that started (started_on) in the period, annotated with `started_on`."""
        return self.annotate(started_on=started_on()).filter(started_on__range=(start, end))


class AssetTransactionQuerySet(RestrictedQuerySet):
    def awaiting_review_by(self, user) -> AssetTransactionQuerySet:
        """Filed transactions where `user` may review them, but not those they filed (four eyes)."""
        return self.restrict(user, "review").filter(state=TransactionState.FILED).exclude(filed_by_id=user.pk)


def filing_divisions(user, chosen: str = "") -> list:
    """The villages and cooperatives the register offers to file for (one query): those under the
    division filtered by, when the visitor may file there, else under each village or cooperative
    they file for. A wider assignment (a town, the district) offers none until a village is
    chosen: its divisions are too many to list."""
    from villages.models import Division

    if len(chosen) >= VILLAGE_CODE_LENGTH and holds_in(user, "rights_lists.add_assettransaction", chosen):
        roots = [chosen]
    else:
        codes = jurisdiction_codes(user, "rights_lists.add_assettransaction")
        roots = [code for code in codes if len(code) >= VILLAGE_CODE_LENGTH]
    if not roots:
        return []
    under = Q()
    for code in roots:
        under |= Q(code__startswith=code)
    return list(
        Division.objects.restrict(user, "view")
        .active()
        .filter(under, level__in=DECIDING_LEVELS)
        .select_related("parent")
        .order_by("code")
    )
