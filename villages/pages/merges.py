"""撤并 in the browser: /divisions/<code>/merge/, where whoever may change divisions (the district)
retires a village (or a cooperative) into another of the same parent.

The page previews what the merger carries over (each app's lines, governance.registry.merge_counts,
counted in the retired division's subtree) and what the service would refuse, before anything is
written: the preview runs retire_division and rolls it back. Confirming runs it for good and leads
to the successor's page. Nothing moves in the database: the retired division's records keep its
code and count as the successor's from the day (Division.objects.area_codes,
governance.reporting.per_unit).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView

from governance import clock
from governance.access.querysets import holds_in
from governance.registry import registry
from villages.choices import Level
from villages.forms import MergeForm
from villages.models import Division
from villages.services import retire_division
from villages.services.divisions import already_retired

# The levels whose pages offer a merger: villages into villages of their town, cooperatives into
# cooperatives of their village (the service takes any level below the province).
MERGE_PAGE_LEVELS = (Level.VILLAGE, Level.COOPERATIVE)
MERGE_PERMISSION = "villages.change_division"


def may_merge(user, division: Division) -> bool:
    """Whether the division's page offers `user` to merge it away: an active division of a level
    the page merges, where they may change divisions (the service's own right; no query)."""
    return (
        division.level in MERGE_PAGE_LEVELS
        and division.retired_on is None
        and holds_in(user, MERGE_PERMISSION, division.code)
    )


class PreviewOnly(Exception):
    """Rolls back the preview's run of the service."""


def carried_over(division: Division) -> list[dict]:
    """Each app's line of what merging `division` away carries over: its label and the count of
    its records in the division's subtree (one query a line, whatever the records)."""
    return [
        {"key": line.key, "label": line.label, "count": line.count(division.code)}
        for line in registry.ordered(registry.merge_counts)
    ]


class DivisionMergeView(LoginRequiredMixin, FormView):
    """撤并: the form (successor, day), its preview (what moves, what the service refuses), the
    confirmation. Out of the visitor's view is 404; in view without the right to change it, 403."""

    form_class = MergeForm
    template_name = "villages/division_merge.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.division = get_object_or_404(
                Division.objects.restrict(request.user, "view").select_related("parent", "merged_into"),
                code=kwargs["code"],
            )
            if self.division.level not in MERGE_PAGE_LEVELS or not holds_in(
                request.user, MERGE_PERMISSION, self.division.code
            ):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def successors(self):
        """The divisions it may go into: active, of its level and parent, that the user may
        change (retire_division's rules; the service checks them again)."""
        return (
            Division.objects.restrict(self.request.user, "change")
            .filter(parent_id=self.division.parent_id, level=self.division.level, retired_on__isnull=True)
            .exclude(code=self.division.code)
            .order_by("code")
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "successors": self.successors()}

    def get_initial(self):
        return {"on": clock.today()}

    def form_valid(self, form):
        into, on = form.cleaned_data["into"], form.cleaned_data["on"]
        confirmed = "confirm" in self.request.POST
        try:
            if confirmed:
                retire_division(self.division, into=into, on=on, acting_user=self.request.user)
            else:
                self.try_out(into, on)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        if not confirmed:
            preview = {"into": into, "on": on, "lines": carried_over(self.division)}
            return self.render_to_response(self.get_context_data(form=form, preview=preview))
        messages.success(
            self.request,
            _("%(name)s已撤并入%(into)s，其人员和记录自 %(day)s 起计入%(into)s。")
            % {"name": self.division.name, "into": into.name, "day": on.isoformat()},
        )
        return HttpResponseRedirect(reverse("villages:division", args=[into.code]))

    def try_out(self, into: Division, on) -> None:
        """Run the service and roll it back: its refusals show before anything is written."""
        try:
            with transaction.atomic():
                retire_division(self.division, into=into, on=on, acting_user=self.request.user)
                raise PreviewOnly
        except PreviewOnly:
            pass

    def get_context_data(self, **kwargs):
        division = self.division
        return {
            **super().get_context_data(**kwargs),
            "division": division,
            "refusal": already_retired(division) if division.retired_on is not None else None,
        }
