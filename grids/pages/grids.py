"""Pages of grids (网格): the grids of the jurisdiction, the grid map of a village (its grids as a
list and as a schematic of tiles, each coloured by its open and overdue events), and drawing or
changing a grid with its worker (grids.services.create_grid, change_grid)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from governance.access.querysets import assigned_codes, holds_anywhere, holds_in
from governance.pages.actions import ServiceFormView
from governance.pages.mixins import ScopedFilterListView
from grids import services
from grids.filters import GridPageFilterSet
from grids.forms import GridForm
from grids.models import Grid
from villages.choices import Level
from villages.models import Division


def may_view_grids(user) -> bool:
    """The navigation's item: for those who view grids somewhere (no query)."""
    return holds_anywhere(user, "grids.view_grid")


def village_map_url(code: str) -> str:
    return reverse("grids:village_grids", args=[code])


def village_in_scope(user, code: str) -> Division:
    """The village (村/社区) `code`, for a visitor who views its grids (a grid worker, who views no
    division pages, included): 404 otherwise, so nothing of the grids leaks."""
    if not holds_in(user, "grids.view_grid", code):
        raise Http404
    return get_object_or_404(Division.objects.filter(level=Level.VILLAGE).select_related("parent"), code=code)


def village_in_jurisdiction(user, code: str) -> Division:
    """The village `code` when it lies in the visitor's jurisdiction, whatever their role (else
    404): a page that writes there then answers 403 to whoever may not."""
    if not any(code.startswith(assigned) for assigned in assigned_codes(user)) and not user.is_superuser:
        raise Http404
    return get_object_or_404(Division.objects.filter(level=Level.VILLAGE).select_related("parent"), code=code)


def tile_state(grid) -> str:
    """A tile's colour on the schematic: overdue events waiting, open events, or nothing open."""
    if grid.late_events:
        return "late"
    if grid.open_events:
        return "open"
    return "clear"


class GridListView(ScopedFilterListView):
    """网格: the grids of the jurisdiction with their worker and their open and overdue events
    (one GROUP BY for the page, whatever the number of grids)."""

    model = Grid
    filterset_class = GridPageFilterSet
    shown_filters = ("division",)
    template_name = "grids/grid_list.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("division__parent", "worker")
            .with_event_counts()
            .order_by("division_id", "name", "id")
        )


class VillageGridMapView(LoginRequiredMixin, TemplateView):
    """A village's grid map (divisions/<code>/grids/): its grids as a list and as tiles; the
    buttons to draw a grid and to report an event for who may."""

    template_name = "grids/village_grids.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        village = village_in_scope(user, self.kwargs["code"])
        grids = list(
            Grid.objects.restrict(user, "view")
            .filter(division=village)
            .select_related("worker")
            .with_event_counts()
            .order_by("name", "id")
        )
        for grid in grids:
            grid.tile_state = tile_state(grid)
        context.update(
            village=village,
            grids=grids,
            households=sum(grid.households or 0 for grid in grids),
            may_add_grid=holds_in(user, "grids.add_grid", village.code),
            may_change_grid=holds_in(user, "grids.change_grid", village.code),
            may_report=holds_in(user, "grids.add_gridevent", village.code),
        )
        return context


class GridCreateView(LoginRequiredMixin, FormView):
    """新建网格 (divisions/<code>/grids/new/): 404 outside the jurisdiction or for what is no village,
    403 without the right to draw grids there."""

    form_class = GridForm
    template_name = "grids/grid_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.village = village_in_jurisdiction(request.user, self.kwargs["code"])
            if not holds_in(request.user, "grids.add_grid", self.village.code):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "village_code": self.village.code}

    def form_valid(self, form):
        try:
            grid = services.create_grid(
                acting_user=self.request.user, village_code=self.village.code, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("已新建网格“%(name)s”。") % {"name": grid.name})
        return HttpResponseRedirect(village_map_url(self.village.code))

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "village": self.village, "heading": _("新建网格")}


class GridEditView(ServiceFormView):
    """修改网格 (grids/<pk>/edit/): its name, worker, area and households."""

    queryset = Grid.objects.select_related("division__parent", "worker")
    form_class = GridForm
    scope_action = "change"
    template_name = "grids/grid_form.html"

    @property
    def heading(self):
        return _("修改网格")

    @property
    def success_message(self):
        return _("已保存网格。")

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "village_code": self.object.division_id,
            "current_worker": self.object.worker,
        }

    def get_initial(self):
        grid = self.object
        return {"name": grid.name, "worker": grid.worker_id, "area": grid.area, "households": grid.households}

    def perform(self, form):
        return services.change_grid(self.object, acting_user=self.request.user, **form.cleaned_data)

    def success_url_for(self, result) -> str:
        return village_map_url(self.object.division_id)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "village": self.object.division}
