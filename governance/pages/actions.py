"""A page whose form is one service call: a workflow step or an edit of a record found in scope.

    class ClauseReviewView(ServiceFormView):
        queryset = Clause.objects.select_related("version__covenant")
        form_class = ClauseReviewForm

        def check_step(self, user, clause):        # 403 / 404 before any form is shown or read
            if not may_review_version(user, clause.version):
                raise PermissionDenied

        def perform(self, form):                  # the service has the last word
            return review_clause(self.object, acting_user=self.request.user, **form.cleaned_data)

The record is found among the rows the user may view (404 otherwise: nothing leaks), then
`check_step` says whether the step is open to them. A service's PermissionDenied is a 403, its
ValidationError the form's errors (on the fields it names, form-wide for the others).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.views.generic import FormView

from governance.pages.mixins import object_for


class ServiceFormView(LoginRequiredMixin, FormView):
    queryset = None
    # The right restrict() must grant on the record for the page to open; the service re-checks.
    scope_action = "view"
    template_name = "form_page.html"
    heading = ""
    success_message = ""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.object = self.find_record(request.user)
            self.check_step(request.user, self.object)
        return super().dispatch(request, *args, **kwargs)

    def find_record(self, user):
        """The record the URL names, among those `user` may view (404 otherwise)."""
        return object_for(user, self.queryset, self.scope_action, pk=self.kwargs["pk"])

    def check_step(self, user, record) -> None:
        """Raise Http404 or PermissionDenied when this step is not open to `user`."""

    def perform(self, form):
        """Call the service with the form's data; return what the visitor is sent to afterwards."""
        raise NotImplementedError

    def form_valid(self, form):
        try:
            result = self.perform(form)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        if self.success_message:
            messages.success(self.request, self.success_message)
        return HttpResponseRedirect(self.success_url_for(result))

    def success_url_for(self, result) -> str:
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "object": self.object, "heading": self.heading}
