"""Pages of covenants (村规民约): a covenant with its versions and the clauses in force."""

from django.views.generic import DetailView

from covenants.models import Clause, Covenant, CovenantVersion, VersionStatus
from governance.pages.mixins import ScopedQuerysetMixin


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
        )
        return context
