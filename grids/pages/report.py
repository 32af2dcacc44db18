"""上报事件: the phone form with which a grid worker reports an event in under a minute: the grid
(their own preselected), the category, what happened and where, photos with the rear camera, one
button. It posts to grids.services.report_event, which checks the right in the grid's village and
refuses the whole report for one bad photo."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView

from governance.access.querysets import holds_anywhere, holds_in
from governance.uploads import UploadLimitMixin
from grids import services
from grids.forms import EventReportForm
from grids.models import EventCategory, Grid
from grids.services.events import district_of


def may_report_events(user) -> bool:
    """The navigation's item: for those who report events somewhere (no query)."""
    return holds_anywhere(user, "grids.add_gridevent")


class EventReportView(LoginRequiredMixin, UploadLimitMixin, FormView):
    """grids/events/report/ (`?grid=<id>` preselects a grid): 404 for a grid outside the
    jurisdiction, 403 for a visitor who may not report there (or anywhere)."""

    form_class = EventReportForm
    template_name = "grids/event_report.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.find_grids(request.user)
        return super().dispatch(request, *args, **kwargs)

    def find_grids(self, user) -> None:
        self.chosen = None
        asked = self.request.GET.get("grid", "")
        if asked:
            if not asked.isdigit():
                raise PermissionDenied
            self.chosen = get_object_or_404(Grid.objects.restrict(user, "view"), pk=asked)
            if not holds_in(user, "grids.add_gridevent", self.chosen.division_id):
                raise PermissionDenied(_("您无权在该网格上报事件。"))
        elif not holds_anywhere(user, "grids.add_gridevent"):
            raise PermissionDenied(_("您无权上报网格事件。"))
        self.grids = (
            Grid.objects.restrict(user, "view")
            .where_held(user, "grids.add_gridevent", "division__code")
            .select_related("division")
            .order_by("division_id", "name", "id")
        )

    def categories(self):
        readable = EventCategory.objects.readable_by(self.request.user).filter(active=True).order_by("code")
        if self.chosen is not None:
            readable = readable.of_district_of(self.chosen.division_id)
        return readable

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "grids": self.grids, "categories": self.categories()}

    def get_initial(self):
        initial = super().get_initial()
        if self.chosen is not None:
            initial["grid"] = self.chosen.pk
        else:
            # A grid worker's own grid, when they walk exactly one (one query).
            own = list(self.grids.filter(worker=self.request.user).values_list("pk", flat=True)[:2])
            if len(own) == 1:
                initial["grid"] = own[0]
        return initial

    def get(self, request, *args, **kwargs):
        if self.chosen is not None and not self.categories().exists():
            # A district's first report: its default categories (created once, kept thereafter).
            services.ensure_categories(district_of(self.chosen.division_id))
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            event = services.report_event(
                acting_user=self.request.user,
                grid=data["grid"],
                category=data["category"],
                description=data["description"],
                location=data["location"],
                photos=data["photos"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("已上报事件，须在 %(due)s 前办结。")
            % {"due": timezone.localtime(event.due_at).strftime("%Y-%m-%d %H:%M")},
        )
        return HttpResponseRedirect(reverse("grids:event", args=[event.pk]))
