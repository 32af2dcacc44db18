"""Pages of position filings (任职备案): the review list, one filing with its decision, and
submitting a position for filing. Every write goes through villages.services, which checks
the acting user's right inside its transaction (four eyes included) and records the audit trail.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView

from governance.pages.mixins import ScopedFilterListView, ScopedQuerysetMixin
from villages import services
from villages.choices import FilingStatus
from villages.filters import FilingFilterSet
from villages.forms import DecideFilingForm
from villages.models import Position, PositionFiling
from villages.pages.base import error_text


class FilingListView(ScopedFilterListView):
    """备案审核: filings in the user's jurisdiction, newest first; by default those waiting for a decision."""

    model = PositionFiling
    filterset_class = FilingFilterSet
    shown_filters = ("status", "division", "search")
    template_name = "villages/filing_list.html"
    default_filters = {"status": FilingStatus.SUBMITTED}

    def get_queryset(self):
        return super().get_queryset().with_names().order_by("-submitted_at", "-id")


class FilingDetailView(ScopedQuerysetMixin, DetailView):
    """One filing; those who may decide it see the decision form, which posts here.

    Not a ServiceFormView: the decision form is part of the filing's page and posts to its URL
    (filings/<pk>/), and a refused decision is told on that page after a redirect."""

    model = PositionFiling
    template_name = "villages/filing_detail.html"
    context_object_name = "filing"

    def get_queryset(self):
        return super().get_queryset().with_names()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["may_decide"] = services.may_decide_filing(self.request.user, self.object)
        context.setdefault("form", DecideFilingForm())
        return context

    def post(self, request, *args, **kwargs):
        """Decide: 404 outside the jurisdiction, 403 without the approval right over the
        receiving division (or for one's own submission); a refused decision shows why."""
        self.object = self.get_object()
        form = DecideFilingForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            filing = services.decide_filing(
                self.object,
                acting_user=request.user,
                accept=form.cleaned_data["decision"] == "accept",
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
            return HttpResponseRedirect(request.path)
        messages.success(
            request,
            _("已准予备案。") if filing.status == FilingStatus.ACCEPTED else _("已退回该备案。"),
        )
        return HttpResponseRedirect(request.path)


class FilingSubmitView(LoginRequiredMixin, View):
    """报备: POST on a position files it with the town or county (services.submit_filing)."""

    def post(self, request, pk: int):
        position = get_object_or_404(Position.objects.restrict(request.user, "view"), pk=pk)
        try:
            filing = services.submit_filing(position, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, error_text(error))
            return HttpResponseRedirect(reverse("villages:person", args=[position.person_id]))
        messages.success(request, _("已报备，等待审核。"))
        return HttpResponseRedirect(reverse("villages:filing", args=[filing.pk]))
