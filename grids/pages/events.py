"""An event's page (grids/events/<pk>/): what was reported, its due time and whether it is overdue,
its timeline (each step with who, when and what it recorded), its photos as thumbnails, and the
steps open to the visitor, each a small page posting to its service (assess or whistle, the
departments' arrival, handle with photos, evaluate, close by another: 查办分离).

Each step page finds the event among those the visitor may view (404 otherwise), needs the
step's right there (403), and is 404 when the event does not stand where the step may follow;
the service has the last word, its refusals shown on the form's fields in Chinese."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView

from governance.access.querysets import holds_in
from governance.guards import is_own_record
from governance.pages.actions import ServiceFormView
from governance.pages.files import private_file_url
from governance.pages.mixins import ScopedQuerysetMixin
from governance.uploads import UploadLimitMixin, human_size
from grids import services
from grids.choices import STEP_FROM, EventState, PhotoStage, Route, StepKind
from grids.forms import (
    ArrivalForm,
    AssessForm,
    CloseForm,
    EvaluateForm,
    EventPhotosForm,
    HandleForm,
    department_names,
)
from grids.models import EventPhoto, EventStep, GridEvent
from grids.services.events import HANDLER_MAY_NOT_CLOSE, district_of

EVENT_RELATED = ("category", "grid__worker", "division__parent", "reported_by", "handled_by", "closed_by")
# The photos every browser draws (HEIC/HEIF stay a link, as covenants' evidence does).
THUMBNAIL_CONTENT_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})


def photos_of(user, event: GridEvent) -> dict[str, list[dict]]:
    """The event's photos by stage (report, handling), each with its download link: one query."""
    rows = (
        EventPhoto.objects.restrict(user, "view")
        .filter(event=event)
        .select_related("uploaded_by")
        .order_by("uploaded_at", "id")
    )
    stages: dict[str, list[dict]] = {stage: [] for stage in PhotoStage.values}
    for row in rows:
        stages[row.stage].append(
            {
                "file": row,
                "url": private_file_url(row),
                "size": human_size(row.size),
                "thumbnail": row.content_type in THUMBNAIL_CONTENT_TYPES,
            }
        )
    return stages


def steps_open_to(user, event: GridEvent) -> dict[str, bool]:
    """The step pages the event's page offers the visitor (grids.services' may_* predicates; no query)."""
    return {
        "may_assess": services.may_assess(user, event),
        "may_record_arrival": services.may_record_arrival(user, event),
        "may_handle": services.may_handle(user, event),
        "may_evaluate": services.may_evaluate(user, event),
        "may_close": services.may_close(user, event),
        "may_add_photos": services.may_add_photos(user, event),
    }


class EventDetailView(ScopedQuerysetMixin, DetailView):
    model = GridEvent
    template_name = "grids/event_detail.html"
    context_object_name = "event"

    def get_queryset(self):
        return super().get_queryset().select_related(*EVENT_RELATED)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        event = self.object
        photos = photos_of(user, event)
        context.update(
            steps=list(
                EventStep.objects.restrict(user, "view").filter(event=event).select_related("by").order_by("id")
            ),
            report_photos=photos[PhotoStage.REPORT],
            handling_photos=photos[PhotoStage.HANDLING],
            overdue=event.is_overdue(timezone.now()),
            handler_may_not_close=(
                event.state in STEP_FROM[StepKind.CLOSE] and is_own_record(event.handled_by_id, user)
            ),
            **steps_open_to(user, event),
        )
        context["any_step"] = any(context[key] for key in steps_open_to(user, event))
        return context


class EventStepView(ServiceFormView):
    """One step of an event's flow: `kind` (grids.choices.StepKind) says where the event must stand."""

    queryset = GridEvent.objects.select_related(*EVENT_RELATED)
    template_name = "grids/event_step.html"
    kind = ""

    @property
    def event(self) -> GridEvent:
        return self.object

    def check_step(self, user, event):
        if event.state not in STEP_FROM[self.kind]:
            raise Http404  # nothing to act on: the step is done, or not yet due
        if not self.may(user, event):
            raise PermissionDenied(_("您无权办理该事件的这一环节。"))

    def may(self, user, event) -> bool:
        raise NotImplementedError

    def success_url_for(self, result) -> str:
        return reverse("grids:event", args=[self.object.pk])

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "event": self.object}


class EventAssessView(EventStepView):
    """研判: handled in the village, or whistled to the district's departments (吹哨报到)."""

    form_class = AssessForm
    scope_action = "assess"
    kind = StepKind.ASSESS

    @property
    def heading(self):
        return _("研判")

    @property
    def success_message(self):
        return _("已研判。")

    def may(self, user, event):
        return services.may_assess(user, event)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "departments": department_names(district_of(self.event.division_id))}

    def perform(self, form):
        data = form.cleaned_data
        return services.assess_event(
            self.event,
            acting_user=self.request.user,
            route=data["route"],
            departments=data["departments"] if data["route"] == Route.WHISTLE else [],
            note=data["note"],
        )


class EventArrivalView(EventStepView):
    """报到: the departments whistled to the event reported to the scene."""

    form_class = ArrivalForm
    scope_action = "assess"
    kind = StepKind.ARRIVE

    @property
    def heading(self):
        return _("部门报到")

    @property
    def success_message(self):
        return _("已登记部门报到。")

    def check_step(self, user, event):
        if event.route != Route.WHISTLE:
            raise Http404
        super().check_step(user, event)

    def may(self, user, event):
        return services.may_record_arrival(user, event)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "event": self.event}

    def perform(self, form):
        return services.record_arrival(self.event, acting_user=self.request.user, **form.cleaned_data)


class EventHandleView(UploadLimitMixin, EventStepView):
    """办结: when and how it was handled, with photos of the result."""

    form_class = HandleForm
    scope_action = "handle"
    kind = StepKind.HANDLE

    @property
    def heading(self):
        return _("登记办结")

    @property
    def success_message(self):
        return _("已登记办结，等待回访评价。")

    def may(self, user, event):
        return services.may_handle(user, event)

    def perform(self, form):
        return services.handle_event(self.event, acting_user=self.request.user, **form.cleaned_data)


class EventEvaluateView(EventStepView):
    """评价 (回访): the reporter's evaluation; dissatisfied sends the event back to be handled again."""

    form_class = EvaluateForm
    scope_action = "evaluate"
    kind = StepKind.EVALUATE

    @property
    def heading(self):
        return _("登记评价")

    @property
    def success_message(self):
        return _("已登记评价。")

    def may(self, user, event):
        return services.may_evaluate(user, event)

    def perform(self, form):
        return services.evaluate_event(self.event, acting_user=self.request.user, **form.cleaned_data)


class EventCloseView(EventStepView):
    """关闭: never by whoever recorded the handling (查办分离)."""

    form_class = CloseForm
    scope_action = "close"
    kind = StepKind.CLOSE

    @property
    def heading(self):
        return _("关闭事件")

    @property
    def success_message(self):
        return _("已关闭事件。")

    def check_step(self, user, event):
        if event.state in STEP_FROM[self.kind] and is_own_record(event.handled_by_id, user):
            raise PermissionDenied(HANDLER_MAY_NOT_CLOSE)
        super().check_step(user, event)

    def may(self, user, event):
        return services.may_close(user, event)

    def perform(self, form):
        return services.close_event(self.event, acting_user=self.request.user, **form.cleaned_data)


def photo_stage(user, event: GridEvent) -> str:
    """The stage photos added now belong to: the report's while the event awaits its assessment,
    or for its reporter who does not handle events; the handling's afterwards."""
    if event.state == EventState.REPORTED or not holds_in(user, "grids.handle_gridevent", event.division_id):
        return PhotoStage.REPORT
    return PhotoStage.HANDLING


class EventPhotosView(UploadLimitMixin, ServiceFormView):
    """添加照片 (grids/events/<pk>/photos/): for the reporter while the event is open, or whoever may
    handle it (grids.services.may_add_photos); never to a closed event (404)."""

    queryset = GridEvent.objects.select_related(*EVENT_RELATED)
    form_class = EventPhotosForm
    template_name = "grids/event_step.html"

    @property
    def heading(self):
        return _("添加照片")

    @property
    def success_message(self):
        return _("已添加照片。")

    def check_step(self, user, event):
        if event.state == EventState.CLOSED:
            raise Http404
        if not services.may_add_photos(user, event):
            raise PermissionDenied(_("您无权为该事件添加照片。"))

    def perform(self, form):
        return services.add_photos(
            self.object,
            acting_user=self.request.user,
            files=form.chosen_files(),
            stage=photo_stage(self.request.user, self.object),
        )

    def success_url_for(self, result) -> str:
        return reverse("grids:event", args=[self.object.pk])

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "event": self.object}
