"""Querysets of the rights_lists app; all of them start from the one scoping mechanism
(governance.access.querysets.RestrictedQuerySet). What the pages, the API and the reports ask of
the rows (what is in force, what waits for review, when a decision started) is asked here."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, NamedTuple

from django.apps import apps
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce, TruncDate

from governance.access.querysets import RestrictedQuerySet, holds_in, jurisdiction_codes
from governance.clock import today
from governance.reporting import per_unit
from rights_lists.choices import (
    ADOPTED_STATES,
    DECIDING_LEVELS,
    PUBLICATION_DUE_DAYS,
    THREE_LISTS,
    TOWN_CODE_LENGTH,
    VILLAGE_CODE_LENGTH,
    AdmissionOutcome,
    DecisionState,
    ListKind,
    ListStatus,
    Procedure,
    PublicationKind,
    Step,
    TransactionState,
)

if TYPE_CHECKING:
    from rights_lists.models import Decision


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


class MissingPublication(NamedTuple):
    """A publication (两公开) of a decision missing past its day: the resolution after adoption
    (`event_on` the last meeting's day), or the outcome after implementation (its completion)."""

    decision: Decision
    kind: PublicationKind
    event_on: datetime.date
    due_on: datetime.date


class DecisionQuerySet(RestrictedQuerySet):
    def under(self, code: str) -> DecisionQuerySet:
        """The decisions of the division with `code` and of every division below it."""
        return self.filter(division__code__startswith=code)

    def with_timeline(self) -> DecisionQuerySet:
        """What a decision's page of rows shows, in a fixed number of queries: its item and list
        as columns of its row (the API's related_columns), its implementation, steps and
        publications."""
        return self.select_related("implementation").prefetch_related("steps", "publications")

    def with_recorded_timeline(self) -> DecisionQuerySet:
        """The timeline with who recorded each meeting and the implementation (a decision's page)."""
        step = apps.get_model("rights_lists", "DecisionStep")
        return self.select_related("item__list", "implementation__recorded_by").prefetch_related(
            Prefetch("steps", queryset=step.objects.select_related("recorded_by")), "publications"
        )

    def with_attachments(self) -> DecisionQuerySet:
        """Each decision's attachments with who uploaded them, oldest first (its detail)."""
        attachment = apps.get_model("rights_lists", "DecisionAttachment")
        return self.prefetch_related(
            Prefetch(
                "attachments",
                queryset=attachment.objects.select_related("uploaded_by").order_by("uploaded_at", "id"),
            )
        )

    def for_register(self) -> DecisionQuerySet:
        """What a row of the register and of the review queue shows: the division, the item and
        the steps recorded."""
        return self.select_related("division__parent", "item__list").prefetch_related("steps")

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
        return self.under(code).annotate(resolution_on=Subquery(resolution_on)).filter(resolution_on__isnull=False)

    def started_between(self, start: datetime.date, end: datetime.date) -> DecisionQuerySet:
        """Decisions that started (started_on) in the period, annotated with `started_on`."""
        return self.annotate(started_on=started_on()).filter(started_on__range=(start, end))

    def state_counts_per_unit(self, division, on=None):
        """Per report unit below `division` on `on` (governance.reporting.per_unit: a unit merged
        away counts in its successor) and state, the number of these decisions: rows of `unit`,
        `state` and `n` (one GROUP BY)."""
        return per_unit(self, "division_id", division, on).values("unit", "state").annotate(n=Count("id"))

    def full_procedure_per_unit(self, division, on=None):
        """Per report unit below `division`, of these decisions: all of them (`decisions`), those
        that required the full procedure (four_deliberations: by their item, or by an amount
        above the item's threshold, `by_amount`), those that followed it to the resolution (its
        resolution meeting held, adopted or not: `followed`), and those still under way (one
        GROUP BY)."""
        step = apps.get_model("rights_lists", "DecisionStep")
        resolved = step.objects.filter(decision=OuterRef("pk"), step=Step.RESOLUTION)
        full = Q(procedure=Procedure.FOUR_DELIBERATIONS)
        return per_unit(self.annotate(resolved=Exists(resolved)), "division_id", division, on).annotate(
            decisions=Count("id"),
            required=Count("id", filter=full),
            by_amount=Count("id", filter=full & ~Q(item__procedure=Procedure.FOUR_DELIBERATIONS)),
            followed=Count("id", filter=full & Q(resolved=True)),
            under_way=Count("id", filter=full & Q(resolved=False, state=DecisionState.OPEN)),
        )

    def publications_overdue_on(self, on: datetime.date) -> DecisionQuerySet:
        """The decisions owing a publication on the day `on` (两公开; Organic Law art. 30, R9;
        R1): an adopted decision's resolution not published within PUBLICATION_DUE_DAYS of its
        adoption (its last meeting, `adopted_on`), an implemented decision's outcome not published
        within PUBLICATION_DUE_DAYS of the implementation's completion (`done_on`); flagged
        `resolution_overdue` and `outcome_overdue`. A withdrawn decision owes none."""
        step = apps.get_model("rights_lists", "DecisionStep")
        publication = apps.get_model("rights_lists", "Publication")
        due = datetime.timedelta(days=PUBLICATION_DUE_DAYS)
        last_step = step.objects.filter(decision=OuterRef("pk")).order_by("-held_on").values("held_on")[:1]

        def published(kind: str) -> Exists:
            return Exists(publication.objects.filter(decision=OuterRef("pk"), kind=kind, published_on__lte=on))

        return (
            self.exclude(state=DecisionState.WITHDRAWN)
            .annotate(
                adopted_on=Subquery(last_step),
                done_on=F("implementation__done_on"),
                resolution_published=published(PublicationKind.RESOLUTION),
                outcome_published=published(PublicationKind.OUTCOME),
            )
            .annotate(
                resolution_overdue=ExpressionWrapper(
                    Q(state__in=ADOPTED_STATES, adopted_on__lt=on - due, resolution_published=False),
                    output_field=BooleanField(),
                ),
                outcome_overdue=ExpressionWrapper(
                    Q(done_on__lt=on - due, outcome_published=False), output_field=BooleanField()
                ),
            )
            .filter(Q(resolution_overdue=True) | Q(outcome_overdue=True))
        )

    def missing_publications_on(self, on: datetime.date) -> list[MissingPublication]:
        """Each publication missing past its day on `on` (publications_overdue_on), by division,
        due day and decision; a decision may owe both (one query)."""
        due = datetime.timedelta(days=PUBLICATION_DUE_DAYS)
        missing = []
        for decision in self.publications_overdue_on(on).select_related("division__parent", "item"):
            if decision.resolution_overdue:
                missing.append(
                    MissingPublication(
                        decision, PublicationKind.RESOLUTION, decision.adopted_on, decision.adopted_on + due
                    )
                )
            if decision.outcome_overdue:
                missing.append(
                    MissingPublication(decision, PublicationKind.OUTCOME, decision.done_on, decision.done_on + due)
                )
        return sorted(missing, key=lambda row: (row.decision.division_id, row.due_on, row.decision.pk))


class AdmissionRequestQuerySet(RestrictedQuerySet):
    def burden_under(self, code: str, start: datetime.date, end: datetime.date):
        """The burden on villages (村级事项准入): per village under the division with `code` and
        per requesting body, the requests made in the period (by their request date), in all
        (`total`) and by outcome (one count per AdmissionOutcome value); only pairs with a
        request, by village and requester (one GROUP BY)."""
        return (
            self.filter(division__code__startswith=code, requested_on__range=(start, end))
            .values("division_id", "division__name", "requester")
            .annotate(
                total=Count("id"),
                **{outcome.value: Count("id", filter=Q(outcome=outcome)) for outcome in AdmissionOutcome},
            )
            .order_by("division_id", "requester")
        )


class AssetTransactionQuerySet(RestrictedQuerySet):
    def awaiting_review_by(self, user) -> AssetTransactionQuerySet:
        """Filed transactions where `user` may review them, but not those they filed (four eyes)."""
        return self.restrict(user, "review").filter(state=TransactionState.FILED).exclude(filed_by_id=user.pk)

    def with_bidders(self) -> AssetTransactionQuerySet:
        """Each transaction's bidders with their person, in the order they were filed."""
        bidder = apps.get_model("rights_lists", "Bidder")
        return self.prefetch_related(
            Prefetch("bidders", queryset=bidder.objects.select_related("person").order_by("id"))
        )

    def with_files(self) -> AssetTransactionQuerySet:
        """Each transaction's documents, oldest first."""
        document = apps.get_model("rights_lists", "AssetTransactionFile")
        return self.prefetch_related(Prefetch("files", queryset=document.objects.order_by("uploaded_at", "id")))

    def for_register(self) -> AssetTransactionQuerySet:
        """What a row of the register and of the review queue shows: the division and the bidders
        (counted on the page)."""
        return self.select_related("division__parent").prefetch_related("bidders")


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
