"""Pages of covenant versions (公约版本): a version's clauses and, when there is an earlier
version, what changed clause by clause (covenants.versions.compare_clauses)."""

from django.views.generic import DetailView

from covenants import services
from covenants.models import Clause, CovenantVersion, VersionStatus
from covenants.pages.editor import moves_open_to
from covenants.versions import compare_clauses
from governance.access.querysets import holds_in
from governance.money import yuan_input
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
        # The clauses are part of the versions found in scope above (a department's reviewer sees them too).
        clauses = list(Clause.objects.filter(version_id__in=shown).order_by("number"))
        own = [clause for clause in clauses if clause.version_id == version.pk]
        for clause in own:
            clause.compensation_yuan = yuan_input(clause.compensation_fen) if clause.compensation_fen else None
        context.update(
            clauses=own,
            earlier=earlier,
            may_edit=services.may_edit_version(user, version),
            may_review=services.may_review_version(user, version),
            moves=moves_open_to(user, version),
            # Nobody chooses the reviewer: a version waits for the department of its kind, and
            # the village and the district are told when that department has nobody yet.
            missing_reviewers=services.missing_reviewers(version.covenant)
            if version.status in (VersionStatus.SUBMITTED, VersionStatus.UNDER_REVIEW)
            and holds_in(user, "covenants.change_covenantversion", version.covenant.division_id)
            else None,
        )
        if earlier is not None:
            before = [(c.number, c.text) for c in clauses if c.version_id == earlier.pk]
            changes = compare_clauses(before, [(c.number, c.text) for c in own])
            context["changes"] = changes
            context["changed_count"] = sum(1 for change in changes if change.kind != "same")
        return context
