"""Writing covenant texts in the browser: a new covenant, its next version, the version's clauses
(added, changed, removed while it is a draft or returned), the reviewer's notes per clause, the
version's moves through review, filing and publication, and the reviewers' queue.

Each page finds its record in the user's scope (404 outside), offers the step only when the
service's `may_*` predicate allows it (403 otherwise), and calls the service, which re-checks
everything inside its transaction."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, ListView

from covenants import services
from covenants.choices import VERSION_TRANSITIONS, VersionStatus
from covenants.forms import (
    ClauseForm,
    ClauseReviewForm,
    CovenantForm,
    MoveVersionForm,
    VersionForm,
)
from covenants.models import Clause, Covenant, CovenantVersion
from covenants.pages.base import RecordButtonView
from governance.access.querysets import holds_in
from governance.pages.actions import ServiceFormView
from governance.pages.mixins import object_for
from villages.choices import Level
from villages.models import Division

VERSION_RELATED = ("covenant__division__parent", "submitted_by")
REVIEW_STEPS = (VersionStatus.UNDER_REVIEW, VersionStatus.RETURNED, VersionStatus.FILED)


def version_url(version_id: int) -> str:
    return reverse("covenants:version", args=[version_id])


def moves_open_to(user, version: CovenantVersion) -> list[tuple[str, str]]:
    """The statuses `user` may move `version` to now, as (value, label): submitting and publishing
    for who may change it, the review steps for its reviewer (services.move_version decides)."""
    moves = []
    for status in VERSION_TRANSITIONS[version.status]:
        if status in REVIEW_STEPS:
            allowed = services.may_review_version(user, version)
        elif status in (VersionStatus.SUBMITTED, VersionStatus.PUBLISHED):
            allowed = holds_in(user, "covenants.change_covenantversion", version.covenant.division_id)
        else:
            allowed = False
        if allowed:
            moves.append((status, VersionStatus(status).label))
    return moves


class CovenantCreateView(LoginRequiredMixin, FormView):
    """新建公约 in a village: 404 outside the jurisdiction, 403 without the right to add covenants."""

    form_class = CovenantForm
    template_name = "covenants/text_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.village = get_object_or_404(
                Division.objects.restrict(request.user, "view").filter(level=Level.VILLAGE).select_related("parent"),
                code=self.kwargs["code"],
            )
            if not holds_in(request.user, "covenants.add_covenant", self.village.code):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            covenant = services.create_covenant(
                acting_user=self.request.user, division=self.village, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("已新建公约“%(title)s”，请新建第一版并填写条款。") % {"title": covenant.title})
        return HttpResponseRedirect(reverse("covenants:covenant", args=[covenant.pk]))

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "heading": _("新建公约"),
            "subheading": self.village.qualified_name,
            "cancel_url": reverse("villages:division", args=[self.village.code]),
        }


class VersionStartView(LoginRequiredMixin, View):
    """POST: start the covenant's next version as a draft from its latest text."""

    def post(self, request, pk):
        covenant = object_for(request.user, Covenant.objects.all(), "view", pk=pk)
        if not holds_in(request.user, "covenants.add_covenantversion", covenant.division_id):
            raise PermissionDenied
        try:
            version = services.start_version(covenant, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(reverse("covenants:covenant", args=[covenant.pk]))
        messages.success(request, _("已新建第%(number)s版草稿。") % {"number": version.number})
        return HttpResponseRedirect(version_url(version.pk))


class VersionStepView(ServiceFormView):
    """A form page about one version (its record found in scope)."""

    queryset = CovenantVersion.objects.select_related(*VERSION_RELATED)
    template_name = "covenants/text_form.html"

    def success_url_for(self, result) -> str:
        return version_url(self.object.pk)

    def get_context_data(self, **kwargs):
        version = self.object
        return {
            **super().get_context_data(**kwargs),
            "subheading": f"{version.covenant.title} · " + _("第%(number)s版") % {"number": version.number},
            "cancel_url": version_url(version.pk),
        }


class EditableVersionMixin:
    def check_step(self, user, version) -> None:
        if not services.may_edit_version(user, version):
            raise PermissionDenied


class VersionEditView(EditableVersionMixin, VersionStepView):
    form_class = VersionForm
    heading = gettext_lazy("填写通过日期")
    success_message = gettext_lazy("已保存。")

    def get_initial(self):
        return {"adopted_on": self.object.adopted_on}

    def perform(self, form):
        return services.edit_version(self.object, acting_user=self.request.user, **form.cleaned_data)


class ClauseCreateView(EditableVersionMixin, VersionStepView):
    form_class = ClauseForm
    heading = gettext_lazy("新增条款")
    success_message = gettext_lazy("已新增条款。")

    def get_initial(self):
        return {"number": services.next_clause_number(self.object), "withholds_award": True}

    def perform(self, form):
        return services.save_clause(
            self.object, acting_user=self.request.user, number=form.cleaned_data["number"], **form.clause_fields()
        )


def clause_for(user, pk: int) -> Clause:
    """A clause is part of its version: whoever may view the version (in their subtree, or as a
    member of the department reviewing its kind) finds its clauses; 404 for the others."""
    return get_object_or_404(
        Clause.objects.filter(version__in=CovenantVersion.objects.restrict(user, "view")).select_related(
            "version__covenant__division", "version__submitted_by"
        ),
        pk=pk,
    )


class ClauseStepView(ServiceFormView):
    """A form page about one clause; the visitor goes back to its version."""

    template_name = "covenants/text_form.html"

    def find_record(self, user):
        return clause_for(user, self.kwargs["pk"])

    def success_url_for(self, result) -> str:
        return version_url(self.object.version_id) + f"#clause-{self.object.pk}"

    def get_context_data(self, **kwargs):
        clause = self.object
        return {
            **super().get_context_data(**kwargs),
            "subheading": f"{clause.version.covenant.title} · "
            + _("第%(number)s版") % {"number": clause.version.number}
            + " · "
            + str(clause),
            "clause_text": clause.text,
            "cancel_url": version_url(clause.version_id),
        }


class ClauseEditView(ClauseStepView):
    form_class = ClauseForm
    heading = gettext_lazy("修改条款")
    success_message = gettext_lazy("已保存条款。")

    def check_step(self, user, clause) -> None:
        if not services.may_edit_version(user, clause.version):
            raise PermissionDenied

    def get_initial(self):
        return ClauseForm.initial_from(self.object)

    def perform(self, form):
        return services.save_clause(
            self.object.version,
            acting_user=self.request.user,
            clause=self.object,
            number=form.cleaned_data["number"],
            **form.clause_fields(),
        )


class ClauseRemoveView(RecordButtonView):
    """POST: take a clause out of an editable version."""

    step = services.remove_clause

    def find_record(self, user):
        return clause_for(user, self.kwargs["pk"])

    def check_step(self, user, clause) -> None:
        if not services.may_edit_version(user, clause.version):
            raise PermissionDenied

    @property
    def success_message(self):
        return _("已删除%(clause)s。") % {"clause": self.object}

    def success_url_for(self, result) -> str:
        return version_url(self.object.version_id)


class ClauseReviewView(ClauseStepView):
    """The reviewer's note on a clause: a comment, and the flags the opinions exclude."""

    form_class = ClauseReviewForm
    heading = gettext_lazy("条款审查意见")
    success_message = gettext_lazy("已保存审查意见。")

    def check_step(self, user, clause) -> None:
        if not services.may_review_version(user, clause.version):
            raise PermissionDenied

    def get_initial(self):
        clause = self.object
        return {
            "comment": clause.review_comment,
            "repeats_law": clause.repeats_law,
            "empty_slogan": clause.empty_slogan,
        }

    def perform(self, form):
        return services.review_clause(self.object, acting_user=self.request.user, **form.cleaned_data)


class VersionMoveView(VersionStepView):
    """Submit, review, return, file or publish a version: only the moves open to the visitor."""

    form_class = MoveVersionForm
    heading = gettext_lazy("变更版本状态")
    success_message = gettext_lazy("版本状态已变更。")

    def check_step(self, user, version) -> None:
        self.moves = moves_open_to(user, version)
        if not self.moves:
            raise PermissionDenied

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["to"].choices = self.moves
        wanted = self.request.GET.get("to")
        if wanted in dict(self.moves):
            form.initial["to"] = wanted
        return form

    def perform(self, form):
        return services.move_version(self.object, acting_user=self.request.user, **form.cleaned_data)


class ReviewQueueView(LoginRequiredMixin, ListView):
    """待审查的公约版本: versions submitted or under review that the visitor may review (as a
    member of the department of the covenant's kind in its district, or in their subtree), never
    their own submissions."""

    template_name = "covenants/review_queue.html"
    context_object_name = "versions"
    paginate_by = 50

    def get_queryset(self):
        return (
            CovenantVersion.objects.awaiting_review_by(self.request.user)
            .select_related(*VERSION_RELATED)
            .order_by("covenant__division_id", "covenant_id", "number")
        )
