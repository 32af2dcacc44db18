"""Pages of covenants (村规民约): the list of covenants, a covenant with its versions and the
clauses in force."""

from django.views.generic import DetailView

from covenants.choices import VERSIONS_IN_PROGRESS
from covenants.filters import CovenantPageFilterSet
from covenants.models import Clause, Covenant, CovenantVersion, VersionStatus
from covenants.pages.base import village_of_the_add_button
from governance.access.querysets import holds_in
from governance.pages.mixins import ScopedFilterListView, ScopedQuerysetMixin


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
            and not any(version.status in VERSIONS_IN_PROGRESS for version in versions),
        )
        return context


class CovenantListView(ScopedFilterListView):
    """公约: the covenants in the user's jurisdiction with the version in force, one query for the
    page (the version in force is a subquery, not a query per row)."""

    model = Covenant
    filterset_class = CovenantPageFilterSet
    shown_filters = ("division", "kind")
    template_name = "covenants/covenant_list.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .with_version_in_force()
            .select_related("division__parent")
            .order_by("division_id", "kind")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["add_in"] = village_of_the_add_button(self.request, "covenants.add_covenant")
        return context
