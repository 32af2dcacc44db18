"""Pages of divisions (行政区划): one division with its children and counts, and the villages of
a subtree short of reserve cadres (后备干部)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404
from django.views.generic import ListView

from governance import clock
from governance.access.querysets import holds_in, jurisdiction_codes
from governance.pages.mixins import ScopedQuerysetMixin
from governance.registry import registry
from villages.choices import COMMITTEE_TERM_YEARS, MIN_RESERVE_CADRES_PER_VILLAGE, PERSON_LEVELS, Level
from villages.models import Division
from villages.pages.merges import may_merge
from villages.querysets import term_ends_on
from villages.rolls import ROLL_KINDS
from villages.services import may_import_roll

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
            Division.objects.restrict(request.user, "view").with_counts().select_related("parent"), code=kwargs["code"]
        )
        # Its area: itself and the divisions merged into it (撤并), whose people, posts and
        # children (撤村不撤社: a merged village's cooperatives) count as its own.
        self.area = Division.objects.area_codes(self.division.code)
        self.absorbed = absorbed_into(self.division, self.area[1:])
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return super().get_queryset().filter(parent_id__in=self.area).with_counts().order_by("code")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        in_scope = Division.objects.restrict(self.request.user, "view")
        division = self.division
        context["division"] = division
        # Only the ancestors the user may see: a village clerk's trail starts at the village.
        context["ancestors"] = list(in_scope.ancestors_of(division))
        # The division a merged one went into is named only when it is in scope too.
        context["merged_into"] = (
            in_scope.select_related("parent").filter(code=division.merged_into_id).first()
            if division.merged_into_id
            else None
        )
        # The village's (or cooperative's) hub: what each app keeps of it (registry.division_links).
        context["hub_sections"] = hub_sections(division, self.request.user)
        context["absorbed"] = self.absorbed
        context["may_merge"] = may_merge(self.request.user, division)
        context["village"] = parent_village(context["ancestors"], division)
        context.update(reserve_cadre_notes(in_scope, division))
        context.update(committee_term_notes(in_scope, division))
        for record in ("person", "household"):
            context[f"may_add_{record}"] = (
                division.level in PERSON_LEVELS
                and division.is_active
                and holds_in(self.request.user, f"villages.add_{record}", division.code)
            )
        # The lists of people and cadres, linked only for who may read them (a report reader or a
        # grid worker sees the counts, not a list that would come up empty). No query: the grants
        # are cached on the user.
        user = self.request.user
        context["may_view_people"] = holds_anywhere_below(user, "villages.view_person", division.code)
        context["may_view_cadres"] = holds_anywhere_below(user, "villages.view_position", division.code)
        for kind in ROLL_KINDS.values():
            context[f"may_import_{kind.slug}"] = division.level in PERSON_LEVELS and may_import_roll(
                self.request.user, kind, division.code
            )
        return context


def holds_anywhere_below(user, perm: str, code: str) -> bool:
    """Whether `user` holds `perm` over the division `code` or some division under it (a
    cooperative's clerk reads the people of their cooperative from the village's page)."""
    if getattr(user, "is_superuser", False):
        return True
    return any(code.startswith(held) or held.startswith(code) for held in jurisdiction_codes(user, perm))


def absorbed_into(division: Division, codes: list[str]) -> list[Division]:
    """The divisions merged into `division` (the rest of its area), each with its counts, which
    are added to the division's own (`people_count`, `cadres_count`, `children_count`): one query,
    none without any. Counts are aggregates of a division the visitor sees (count_related), so
    they are not restricted; each merged division's page stays its own to open (404 otherwise)."""
    if not codes:
        return []
    absorbed = list(Division.objects.filter(code__in=codes).with_counts().order_by("code"))
    for merged in absorbed:
        for count in ("people_count", "cadres_count", "children_count"):
            setattr(division, count, getattr(division, count) + getattr(merged, count))
    return absorbed


def hub_sections(division: Division, user) -> list[dict]:
    """The links the apps contribute to the page of a division of this level
    (governance.registry.division_links), grouped under their sections in the links' order; a
    link the user may not follow is left out, as is a section left empty. Each link pays one
    query at most, whatever the number of records."""
    sections: dict[str, dict] = {}
    for link in registry.ordered(registry.division_links):
        if division.level not in link.levels:
            continue
        target = link.resolve(division, user)
        if target is None:
            continue
        section = sections.setdefault(str(link.section), {"label": link.section, "links": []})
        section["links"].append({"key": link.key, "label": link.label, "target": target})
    return list(sections.values())


def parent_village(ancestors, division: Division) -> Division | None:
    """A cooperative's village, when the user may open its page (among the ancestors in scope)."""
    if division.level != Level.COOPERATIVE:
        return None
    return next((ancestor for ancestor in ancestors if ancestor.code == division.parent_id), None)


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


def committee_term_notes(in_scope, division: Division) -> dict:
    """What the division page says about the two committees' term (COMMITTEE_TERM_YEARS): a
    village whose committees are out of term says since when; above villages, how many villages of
    the subtree are (one query either way)."""
    notes: dict = {"term_years": COMMITTEE_TERM_YEARS}
    today = clock.today()
    if division.level == Level.VILLAGE:
        out = in_scope.filter(code=division.code).committees_out_of_term(today).first()
        if out is not None:
            notes.update(
                term_expired=True, last_elected_on=out.last_elected_on, term_ended_on=term_ends_on(out.last_elected_on)
            )
    elif division.level in ABOVE_VILLAGES:
        notes["villages_out_of_term"] = in_scope.subtree(division.code).committees_out_of_term(today).count()
    return notes


class ExpiredTermsView(LoginRequiredMixin, ListView):
    """村“两委”任期届满未换届: the villages whose committees' term has run out without a new
    election, among the divisions the visitor may view, where they watch the terms (the town and
    the district: Division.objects.committees_out_of_term_for, which the home page counts)."""

    template_name = "villages/expired_terms.html"
    paginate_by = 50
    context_object_name = "villages"

    def get_queryset(self):
        villages = (
            Division.objects.committees_out_of_term_for(self.request.user, clock.today())
            .select_related("parent")
            .order_by("code")
        )
        return villages

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for village in context["villages"]:
            village.term_ended_on = term_ends_on(village.last_elected_on)
        context["term_years"] = COMMITTEE_TERM_YEARS
        return context


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
        return {
            **super().get_context_data(**kwargs),
            "division": self.division,
            "required": MIN_RESERVE_CADRES_PER_VILLAGE,
        }
