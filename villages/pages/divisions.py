"""Browser pages of the villages app: the division browser, people and cadres.

Every queryset starts from `restrict(user, "view")` (through ScopedQuerysetMixin or directly),
and related rows come in with select_related or annotations, so a page costs the same number of
queries whatever its number of rows.
"""

import datetime

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from governance.access.querysets import holds_in
from governance.pages.mixins import ScopedFilterListView, ScopedQuerysetMixin
from villages import services
from villages.filters import PersonFilterSet, PositionFilterSet
from villages.models import (
    MIN_RESERVE_CADRES_PER_VILLAGE,
    PERSON_LEVELS,
    Division,
    Level,
    Membership,
    PartyMembership,
    Person,
    Position,
    PositionFiling,
)


# The levels whose pages count the villages below them that fall short of reserve cadres.
ABOVE_VILLAGES = (Level.PROVINCE, Level.CITY, Level.DISTRICT, Level.TOWN)


class DivisionView(ScopedQuerysetMixin, ListView):
    """One division and a paginated table of its children, each with its counts.

    The division itself comes from the restricted queryset: out of scope or absent is a 404.
    """

    model = Division
    template_name = "villages/division.html"
    paginate_by = 50
    context_object_name = "children"

    def get(self, request, *args, **kwargs):
        self.division = get_object_or_404(
            Division.objects.restrict(request.user, "view").with_counts(), code=kwargs["code"]
        )
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return super().get_queryset().filter(parent_id=self.division.code).with_counts().order_by("code")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        in_scope = Division.objects.restrict(self.request.user, "view")
        division = self.division
        context["division"] = division
        # Only the ancestors the user may see: a village clerk's trail starts at the village.
        context["ancestors"] = in_scope.filter(code__in=division.ancestor_codes()).order_by("code")
        # The division a merged one went into is named only when it is in scope too.
        context["merged_into"] = (
            in_scope.filter(code=division.merged_into_id).first() if division.merged_into_id else None
        )
        context.update(reserve_cadre_notes(in_scope, division))
        for record in ("person", "household"):
            context[f"may_add_{record}"] = division.level in PERSON_LEVELS and holds_in(
                self.request.user, f"villages.add_{record}", division.code
            )
        return context


def reserve_cadre_notes(in_scope, division: Division) -> dict:
    """What the division page says about the rule of MIN_RESERVE_CADRES_PER_VILLAGE reserve
    cadres (后备干部): a village's own count when it falls short; above villages, how many
    villages of the subtree fall short (one query either way)."""
    notes = {"reserve_minimum": MIN_RESERVE_CADRES_PER_VILLAGE}
    if division.level == Level.VILLAGE:
        short = in_scope.filter(code=division.code).villages_short_of_reserve_cadres().first()
        notes.update(reserve_cadres_short=short is not None, reserve_cadres=getattr(short, "reserve_cadres", None))
    elif division.level in ABOVE_VILLAGES:
        notes["villages_short_of_reserve"] = in_scope.subtree(division.code).villages_short_of_reserve_cadres().count()
    return notes


class ReserveShortfallView(ScopedQuerysetMixin, ListView):
    """后备干部不足的村（社区）: the villages of a division's subtree short of reserve cadres."""

    model = Division
    template_name = "villages/reserve_shortfall.html"
    paginate_by = 50
    context_object_name = "villages"

    def get(self, request, *args, **kwargs):
        self.division = get_object_or_404(Division.objects.restrict(request.user, "view"), code=kwargs["code"])
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        # A village is named with its town: village names repeat across towns.
        return (
            super()
            .get_queryset()
            .subtree(self.division.code)
            .villages_short_of_reserve_cadres()
            .select_related("parent")
            .order_by("code")
        )

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "division": self.division, "required": MIN_RESERVE_CADRES_PER_VILLAGE}


class PersonListView(ScopedFilterListView):
    model = Person
    filterset_class = PersonFilterSet
    shown_filters = ("division", "search", "gender")
    template_name = "villages/person_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("division", "household").order_by("division_id", "name", "id")


class PersonDetailView(ScopedQuerysetMixin, DetailView):
    """A person with household, memberships, party membership and positions held.

    Each related list is restricted on its own: seeing a person does not by itself grant seeing
    their positions (a coop clerk may see a member's record but not every position held).
    """

    model = Person
    template_name = "villages/person_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("division", "household__head")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        person = self.object
        today = datetime.date.today()
        positions = list(
            Position.objects.restrict(user, "view")
            .filter(person=person)
            .select_related("division")
            .prefetch_related(
                Prefetch(
                    "filings",
                    queryset=PositionFiling.objects.restrict(user, "view").order_by("-submitted_at", "-id"),
                    to_attr="visible_filings",
                )
            )
            .order_by("-started_on", "id")
        )
        memberships = list(
            Membership.objects.restrict(user, "view").filter(person=person).select_related("cooperative").order_by("-joined_on")
        )
        for membership in memberships:
            membership.may_leave = membership.left_on is None and holds_in(
                user, "villages.change_membership", membership.cooperative_id
            )
        for position in positions:
            position.latest_filing = position.visible_filings[0] if position.visible_filings else None
            position.may_file = services.may_submit_filing(user, position, position.latest_filing)
            position.may_end = position.ended_on is None and holds_in(user, "villages.change_position", position.division_id)
        context.update(
            household_members=(
                Person.objects.restrict(user, "view")
                .filter(household_id=person.household_id)
                .exclude(pk=person.pk)
                .order_by("name", "id")
                if person.household_id
                else Person.objects.none()
            ),
            memberships=memberships,
            may_add_membership=holds_in(user, "villages.add_membership", person.division_id),
            # A party member belongs to the village's party organisation, the cooperative's too.
            may_add_party_membership=holds_in(user, "villages.add_partymembership", person.village_code()),
            party_membership=PartyMembership.objects.restrict(user, "view")
            .filter(person=person)
            .select_related("branch")
            .first(),
            current_positions=[position for position in positions if position.is_current_on(today)],
            past_positions=[position for position in positions if not position.is_current_on(today)],
            may_change=holds_in(user, "villages.change_person", person.division_id),
            # The person's own division or, for a cooperative's member, its village: the usual
            # places of their positions (the form offers the village's cooperatives too).
            may_add_position=any(
                holds_in(user, "villages.add_position", code) for code in (person.division_id, person.village_code())
            ),
        )
        return context


class PositionListView(ScopedFilterListView):
    """Positions held (任职), current ones unless the visitor asks otherwise."""

    model = Position
    filterset_class = PositionFilterSet
    shown_filters = ("division", "kind", "current", "search")
    template_name = "villages/position_list.html"
    default_filters = {"current": "true"}

    def get_queryset(self):
        # A cooperative is named with its village (第四经济社 alone is ambiguous in a town).
        return (
            super()
            .get_queryset()
            .select_related("person", "division__parent")
            .order_by("division_id", "kind", "started_on", "id")
        )
