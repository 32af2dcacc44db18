"""Pages of covenants (村规民约): the list of covenants, a covenant with its versions and the
clauses in force."""

from django.db.models import OuterRef, Subquery
from django.views.generic import DetailView

from covenants import services
from covenants.filters import CovenantFilterSet
from covenants.models import Clause, Covenant, CovenantVersion, VersionStatus
from governance.access.querysets import holds_in, jurisdiction_codes
from governance.pages.mixins import ScopedFilterListView, ScopedQuerysetMixin
from villages.choices import CODE_LENGTH_BY_LEVEL, Level


class CovenantDetailView(ScopedQuerysetMixin, DetailView):
    model = Covenant
    template_name = "covenants/covenant_detail.html"
    context_object_name = "covenant"

    def get_queryset(self):
        return super().get_queryset().select_related("division__parent")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        versions = list(CovenantVersion.objects.restrict(user, "view").filter(covenant=self.object).order_by("-number"))
        in_force = next((version for version in versions if version.status == VersionStatus.PUBLISHED), None)
        context.update(
            versions=versions,
            in_force=in_force,
            clauses=(
                list(Clause.objects.restrict(user, "view").filter(version=in_force).order_by("number"))
                if in_force
                else []
            ),
            may_start_version=holds_in(user, "covenants.add_covenantversion", self.object.division_id)
            and not any(version.status in services.VERSIONS_IN_PROGRESS for version in versions),
        )
        return context


class CovenantListView(ScopedFilterListView):
    """公约: the covenants in the user's jurisdiction with the version in force, one query for the
    page (the version in force is a subquery, not a query per row)."""

    model = Covenant
    filterset_class = CovenantFilterSet
    shown_filters = ("division", "kind")
    template_name = "covenants/covenant_list.html"

    def get_queryset(self):
        in_force = CovenantVersion.objects.filter(covenant=OuterRef("pk"), status=VersionStatus.PUBLISHED)
        return (
            super()
            .get_queryset()
            .select_related("division__parent")
            .annotate(
                version_in_force=Subquery(in_force.values("number")[:1]),
                published_on=Subquery(in_force.values("published_on")[:1]),
            )
            .order_by("division_id", "kind")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["add_in"] = self.village_to_add_in()
        return context

    def village_to_add_in(self) -> str | None:
        """The village the "新建公约" button adds to: the one filtered by, or the user's only one."""
        codes = jurisdiction_codes(self.request.user, "covenants.add_covenant")
        village_length = CODE_LENGTH_BY_LEVEL[Level.VILLAGE]
        chosen = self.request.GET.get("division", "")
        if len(chosen) == village_length and chosen.isdigit() and any(chosen.startswith(code) for code in codes):
            return chosen
        if len(codes) == 1 and len(codes[0]) == village_length:
            return codes[0]
        return None
