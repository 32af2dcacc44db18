"""API views of the grids app (docs/api.md, "Grids"; DESIGN.md section 7):

- `GET /api/v1/grid-event-categories/`: the categories of the districts the caller's jurisdiction
  lies in (EventCategoryQuerySet.readable_by: categories are the district's data);
- `GET /api/v1/grids/?division=<code>`: grids with their worker's name;
- `GET|POST /api/v1/grid-events/` (`?division=&state=&overdue=true`), `GET .../<id>/` with its
  steps, and the steps as POSTs: `assess/`, `arrive/`, `handle/`, `evaluate/`, `close/`.

All on governance's scoped bases: every object comes from `queryset.restrict(user, action)` (404
outside the jurisdiction, 403 inside it without the right). The steps are grids.services', which
refuse a step out of order (400, on `state`) and a handler closing (403, 查办分离).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response

from governance.access.permissions import OUT_OF_SCOPE
from governance.access.querysets import lies_in_jurisdiction
from governance.api.actions import record_action
from governance.api.serializers import related_columns
from governance.api.viewsets import ScopedReadOnlyViewSet, WorkflowRecordViewSet
from governance.people_names import display_name_of
from grids import services
from grids.api import serializers as s
from grids.filters import EventCategoryFilterSet, GridEventFilterSet, GridFilterSet
from grids.models import EventCategory, EventStep, Grid, GridEvent


class EventCategoryViewSet(ScopedReadOnlyViewSet):
    """Categories of events with their time limits (hours), of the districts the caller works in
    (a town official or a grid worker reads their district's, which lie above their subtree)."""

    queryset = EventCategory.objects.order_by("district_id", "code")
    serializer_class = s.EventCategorySerializer
    filterset_class = EventCategoryFilterSet

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # Read from above: the district's data, for everyone who works in the district.
        self.queryset = EventCategory.objects.readable_by(request.user).order_by("district_id", "code")


class GridViewSet(ScopedReadOnlyViewSet):
    """Grids of villages and communities, each with its grid worker; `?division=<code>`."""

    queryset = Grid.objects.select_related("worker")
    serializer_class = s.GridSerializer
    filterset_class = GridFilterSet


# The users' names computed in the statement (display_name_of), the grid's and the category's
# columns read with the event's row (related_columns): no user, grid or category built per event.
EVENTS = GridEvent.objects.annotate(
    reported_by_name=display_name_of("reported_by_id"),
    handled_by_name=display_name_of("handled_by_id"),
    closed_by_name=display_name_of("closed_by_id"),
    **related_columns(s.GridEventSerializer),
)
STEPS = Prefetch("steps", queryset=EventStep.objects.annotate(by_name=display_name_of("by_id")).order_by("id"))


class GridEventViewSet(WorkflowRecordViewSet):
    """Events reported in grids. Reported with POST; never edited nor deleted: what happens next
    are the steps (grids.services). `overdue` is judged at the request (not stored)."""

    queryset = EVENTS
    serializer_class = s.GridEventSerializer
    filterset_class = GridEventFilterSet
    joined_for_writes = ("grid", "category")  # grids.services reads them
    action_permissions = {
        "assess": "assess",
        "arrive": "assess",
        "handle": "handle",
        "evaluate": "evaluate",
        "close": "close",
    }

    def get_queryset(self):
        events = super().get_queryset().with_overdue(timezone.now())
        return events.prefetch_related(STEPS) if self.action == "retrieve" else events

    def get_serializer_class(self):
        return s.GridEventDetailSerializer if self.action == "retrieve" else s.GridEventSerializer

    def answer_instance(self, result):
        """The event as its detail shows it, read afresh after the step (its steps included)."""
        return EVENTS.with_overdue(timezone.now()).prefetch_related(STEPS).get(pk=result.pk)

    @extend_schema(request=s.ReportEventSerializer, responses={201: s.GridEventDetailSerializer})
    def create(self, request, *args, **kwargs):
        """Report an event in a grid: due at `reported_at` (now by default) plus its category's
        time limit. The grid must lie in the caller's jurisdiction (else 404); the category is a
        code of the grid's district."""
        form = s.ReportEventSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        data = form.validated_data
        grid = Grid.objects.filter(pk=data["grid"]).first()
        if grid is None or not lies_in_jurisdiction(request.user, Grid, pk=grid.pk):
            raise exceptions.NotFound(OUT_OF_SCOPE)
        event = services.report_event(
            acting_user=request.user,
            grid=grid,
            category=category_of(grid, data["category"]),
            description=data["description"],
            reported_at=data.get("reported_at"),
            location=data["location"],
        )
        return Response(s.GridEventDetailSerializer(self.answer_instance(event)).data, status=status.HTTP_201_CREATED)

    @record_action(body=s.AssessEventSerializer, answer=s.GridEventDetailSerializer)
    def assess(self, event, data, *, acting_user):
        """研判: `route` `village` (the village handles it) or `whistle` with `departments` (names of
        the district's departments, called to the scene: 吹哨报到) → `assessed`."""
        return services.assess_event(event, acting_user=acting_user, **data)

    @record_action(body=s.ArrivalSerializer, answer=s.GridEventDetailSerializer)
    def arrive(self, event, data, *, acting_user):
        """报到: departments whistled to the event reported to the scene (a step in its history)."""
        return services.record_arrival(event, acting_user=acting_user, **data)

    @record_action(body=s.HandleEventSerializer, answer=s.GridEventDetailSerializer)
    def handle(self, event, data, *, acting_user):
        """办结: when and how it was handled → `handled`."""
        return services.handle_event(event, acting_user=acting_user, **data)

    @record_action(body=s.EvaluateEventSerializer, answer=s.GridEventDetailSerializer)
    def evaluate(self, event, data, *, acting_user):
        """评价 (回访): the reporter's evaluation → `evaluated`; `dissatisfied` sends it back to
        `assessed`, to be handled again (the evaluation is kept)."""
        return services.evaluate_event(event, acting_user=acting_user, **data)

    @record_action(body=s.CloseEventSerializer, answer=s.GridEventDetailSerializer)
    def close(self, event, data, *, acting_user):
        """关闭 → `closed`; refused (403) to the user who recorded its handling (查办分离)."""
        return services.close_event(event, acting_user=acting_user, **data)


def category_of(grid: Grid, code: str) -> EventCategory:
    """The category of the grid's district with this code (services.category_of_district); 400
    on `category` when it has none."""
    found = services.category_of_district(grid.division_id, code)
    if found is None:
        raise ValidationError({"category": [_("本区没有代码为 %(code)s 的事件类别。") % {"code": code}]})
    return found
