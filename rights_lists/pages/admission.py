"""Pages of village matter admission (村级事项准入): the requests (filtered by outcome and village),
filing a request for a village (judged at once against its three lists), and the exception a
town official who did not file a refused request grants with a reason. Every rule is
rights_lists.services.admission's; the pages call it and show its refusals as field errors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from governance.access.querysets import jurisdiction_codes
from governance.clock import today
from governance.pages.actions import ServiceFormView
from governance.pages.mixins import ScopedFilterListView
from rights_lists.choices import VILLAGE_CODE_LENGTH, AdmissionOutcome
from rights_lists.filters import AdmissionRequestFilterSet
from rights_lists.forms.admission import AdmissionRequestForm, ExceptionForm
from rights_lists.models import AdmissionRequest
from rights_lists.pages.base import on_form_fields
from rights_lists.services import admission
from villages.choices import Level
from villages.models import Division

OUTCOME_BADGES = {
    AdmissionOutcome.ADMITTED: "text-bg-success",
    AdmissionOutcome.REFUSED: "text-bg-danger",
    AdmissionOutcome.EXCEPTED: "text-bg-warning",
}


def filing_village(user, chosen: str = "") -> str | None:
    """The village a request is filed for from the list: the one filtered by, or a clerk's only one."""
    codes = jurisdiction_codes(user, "rights_lists.add_admissionrequest")
    if len(chosen) == VILLAGE_CODE_LENGTH and admission.may_file(user, chosen):
        return chosen
    if len(codes) == 1 and len(codes[0]) == VILLAGE_CODE_LENGTH:
        return codes[0]
    return None


class AdmissionListView(ScopedFilterListView):
    """事项准入: the requests in the visitor's jurisdiction, newest first, each with its outcome."""

    model = AdmissionRequest
    filterset_class = AdmissionRequestFilterSet
    shown_filters = ("outcome", "division")
    template_name = "rights_lists/admission_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("division__parent", "item__list").order_by("-requested_on", "-id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        rows = list(context["object_list"])
        for row in rows:
            row.badge = OUTCOME_BADGES[row.outcome]
            row.may_except = admission.may_grant_exception(user, row)
        context["object_list"] = rows
        context["file_code"] = filing_village(user, self.request.GET.get("division", ""))
        return context


class AdmissionFileView(LoginRequiredMixin, FormView):
    """登记事项准入申请 for a village (divisions/<code>/admission-requests/new/): 404 outside the
    visitor's jurisdiction or for a division that is not a village, 403 without the right."""

    form_class = AdmissionRequestForm
    template_name = "rights_lists/admission_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.division = get_object_or_404(
                Division.objects.restrict(request.user, "view").filter(level=Level.VILLAGE).select_related("parent"),
                code=self.kwargs["code"],
            )
            if not admission.may_file(request.user, self.division.code):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "division": self.division}

    def get_initial(self):
        return {"requested_on": today()}

    def form_valid(self, form):
        try:
            filed = admission.file_request(acting_user=self.request.user, division=self.division, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, on_form_fields(error, form))
            return self.form_invalid(form)
        messages.success(self.request, _("已登记，结果：%(outcome)s。") % {"outcome": filed.get_outcome_display()})
        listed = reverse("rights_lists:admission_requests")
        return HttpResponseRedirect(f"{listed}?division={self.division.code}")

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "division": self.division,
            "heading": _("登记事项准入申请"),
        }


class AdmissionExceptionView(ServiceFormView):
    """例外准入 of a refused request (admission-requests/<pk>/exception/): 404 when no exception
    may admit it (not refused, or its matter on the negative list), 403 for its filer or a viewer
    who may not grant it."""

    queryset = AdmissionRequest.objects.select_related("division__parent", "item__list")
    form_class = ExceptionForm
    template_name = "rights_lists/admission_exception.html"
    heading = gettext_lazy("例外准入")
    success_message = gettext_lazy("已批准例外准入。")

    def check_step(self, user, row) -> None:
        if not admission.exceptable(row):
            raise Http404
        if not admission.may_grant_exception(user, row):
            raise PermissionDenied

    def get_initial(self):
        return {"excepted_on": today()}

    def perform(self, form):
        return admission.grant_exception(self.object, acting_user=self.request.user, **form.cleaned_data)

    def success_url_for(self, result) -> str:
        return reverse("rights_lists:admission_requests") + f"?division={result.division_id}"
