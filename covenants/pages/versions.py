"""Pages of covenant versions (公约版本): a version's clauses and, when there is an earlier
version, what changed clause by clause (covenants.versions.compare_clauses)."""

from django.views.generic import DetailView

from covenants.models import Clause, CovenantVersion
from covenants.versions import compare_clauses
from governance.pages.mixins import ScopedQuerysetMixin


class VersionDetailView(ScopedQuerysetMixin, DetailView):
    model = CovenantVersion
    template_name = "covenants/version_detail.html"
    context_object_name = "version"

    def get_queryset(self):
        return super().get_queryset().select_related("covenant__division__parent")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        version = self.object
        earlier = (
            CovenantVersion.objects.restrict(user, "view")
            .filter(covenant_id=version.covenant_id, number__lt=version.number)
            .order_by("-number")
            .first()
        )
        shown = [version.pk] + ([earlier.pk] if earlier else [])
        clauses = list(Clause.objects.restrict(user, "view").filter(version_id__in=shown).order_by("number"))
        own = [clause for clause in clauses if clause.version_id == version.pk]
        context.update(clauses=own, earlier=earlier)
        if earlier is not None:
            before = [(c.number, c.text) for c in clauses if c.version_id == earlier.pk]
            changes = compare_clauses(before, [(c.number, c.text) for c in own])
            context["changes"] = changes
            context["changed_count"] = sum(1 for change in changes if change.kind != "same")
        return context
