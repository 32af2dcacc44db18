"""What the covenants pages share: finding the village a violation is recorded in, the small
pages of a violation's workflow (confirm, appeal, decide, rectify), each posting to its service,
the buttons of a record's page (approve, discard...), and what a sanction looks like on a page."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse

from covenants.models import Violation
from covenants.texts import describe_bar, describe_tier
from governance.access.querysets import holds_in, jurisdiction_codes
from governance.pages.actions import ServiceFormView
from villages.choices import CODE_LENGTH_BY_LEVEL, Level
from villages.models import Division

VIOLATION_RELATED = ("person__division__parent", "division__parent", "clause__version__covenant")


def village_to_record_in(user, code: str) -> Division:
    """The village (村/社区) `code`, where `user` is about to record a violation: 404 when it is
    not a village in their jurisdiction, 403 when they may not record violations there."""
    village = get_object_or_404(
        Division.objects.restrict(user, "view").filter(level=Level.VILLAGE).select_related("parent"), code=code
    )
    if not holds_in(user, "covenants.add_violation", village.code):
        raise PermissionDenied
    return village


def village_of_the_add_button(request, perm: str) -> str | None:
    """The village a list page's "add" button adds to: the one filtered by (`?division=`), or the
    user's only one, when they hold `perm` there (no query: the grants are cached on the user)."""
    codes = jurisdiction_codes(request.user, perm)
    village_length = CODE_LENGTH_BY_LEVEL[Level.VILLAGE]
    chosen = request.GET.get("division", "")
    if len(chosen) == village_length and chosen.isdigit() and any(chosen.startswith(code) for code in codes):
        return chosen
    if len(codes) == 1 and len(codes[0]) == village_length:
        return codes[0]
    return None


def sanction_text(sanction) -> str:
    """A sanction in a line: which tier applied and why, the consequence (and amount), the clause
    and violation behind it, until when (covenants.texts.describe_bar)."""
    return describe_bar(sanction)


def tier_texts(violations, sanctions) -> None:
    """Set `tier_text` on each violation: its sanctions in a line by their tier
    (covenants.texts.describe_tier; empty when it causes none)."""
    by_violation: dict[int, list] = {}
    for sanction in sanctions:
        by_violation.setdefault(sanction.violation_id, []).append(sanction)
    for violation in violations:
        violation.tier_text = describe_tier(by_violation.get(violation.pk, []))


class ViolationActionView(ServiceFormView):
    """One step of a violation's workflow: a small form page whose POST calls `perform`.

    The violation is found before any form is read: 404 outside the jurisdiction, 403 without
    the step's right (`scope_action`, as restrict() names it) and, for what `check_step` says, 404
    when the step has nothing to act on (already confirmed, say) or 403 when the user may not take
    it. A service's PermissionDenied is a 403; its ValidationError, the form's errors."""

    queryset = Violation.objects.select_related(*VIOLATION_RELATED)
    template_name = "covenants/violation_action.html"

    @property
    def violation(self) -> Violation:
        return self.object

    def get_initial(self):
        return {**super().get_initial(), **self.initial_values()}

    def initial_values(self) -> dict:
        return {}

    def success_url_for(self, result) -> str:
        return reverse("covenants:violation", args=[self.object.pk])

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "violation": self.object}


class RecordButtonView(ServiceFormView):
    """The POST of a button on a record's page: one service call on the record, no form.

    The record is found among those on which the user holds `scope_action` (404 outside the
    jurisdiction, 403 in it without the right); `step` is the service, called with the record and
    the acting user. Its refusal (a ValidationError) is shown as messages on the page
    `success_url_for` names, as its success is."""

    http_method_names = ["post"]
    form_class = forms.Form
    step: Callable | None = None

    def perform(self, form):
        return type(self).step(self.object, acting_user=self.request.user)

    def form_valid(self, form):
        try:
            self.perform(form)
        except ValidationError as error:
            for message in error.messages:
                messages.error(self.request, message)
        else:
            messages.success(self.request, self.success_message)
        return HttpResponseRedirect(self.success_url_for(self.object))
