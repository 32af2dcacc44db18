"""The flow of an event (DESIGN.md §3, Guangxi §12 §17, Nanhai task 10): report, assess (handle
in the village, or whistle to departments, who report to the scene), handle, evaluate
(dissatisfied sends it back to be handled again), close by someone other than the handler.

Each action is atomic: it locks the event, checks that the step comes in order (a step out of
order is a ValidationError on `state`: 400), re-checks the acting user's right where the event
lies (PermissionDenied: 403), writes the event and one EventStep under the audit context naming
it (GridsAction). The `may_*` predicates are what pages ask before offering a step; the service
has the last word, inside its transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from governance.access.querysets import holds_in
from governance.audit import acting_as
from governance.departments import Department, ensure_departments
from governance.guards import is_own_record
from governance.uploads import AcceptedFile, accept_uploads, attach_files
from grids.choices import STEP_FROM, EventState, PhotoStage, Route, Satisfaction, StepKind
from grids.models import EventCategory, EventPhoto, EventStep, Grid, GridEvent
from grids.services.actions import GridsAction
from villages.choices import CODE_LENGTH_BY_LEVEL, Level

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser
    from django.core.files import File

# A moment a little ahead of the server's clock is a phone's clock, not the future.
CLOCK_SKEW = datetime.timedelta(minutes=5)
# 查办分离 (Nanhai task 10): the one message of the refusal.
HANDLER_MAY_NOT_CLOSE = gettext_lazy("查办分离：登记处置的人不能关闭该事件，须由另一人核查后关闭。")


def district_of(division_code: str) -> str:
    return division_code[: CODE_LENGTH_BY_LEVEL[Level.DISTRICT]]


def require_step_in_order(event: GridEvent, step: str) -> None:
    """ValidationError on `state` unless the event stands where `step` may follow."""
    if event.state not in STEP_FROM[step]:
        raise ValidationError(
            {
                "state": [
                    _("该事件当前状态为“%(state)s”，不能进行“%(step)s”。")
                    % {"state": EventState(event.state).label, "step": StepKind(step).label}
                ]
            }
        )


def require_event_permission(user, action: str, event: GridEvent) -> None:
    if not holds_in(user, f"grids.{action}_gridevent", event.division_id):
        raise PermissionDenied(_("您无权在该村（社区）办理网格事件的这一环节。"))


def not_ahead_of_now(field: str, moment: datetime.datetime, now: datetime.datetime) -> None:
    if moment > now + CLOCK_SKEW:
        raise ValidationError({field: [_("时间不能晚于现在。")]})


def may_assess(user, event: GridEvent) -> bool:
    return event.state in STEP_FROM[StepKind.ASSESS] and holds_in(user, "grids.assess_gridevent", event.division_id)


def may_record_arrival(user, event: GridEvent) -> bool:
    return (
        event.route == Route.WHISTLE
        and event.state in STEP_FROM[StepKind.ARRIVE]
        and holds_in(user, "grids.assess_gridevent", event.division_id)
    )


def may_handle(user, event: GridEvent) -> bool:
    return event.state in STEP_FROM[StepKind.HANDLE] and holds_in(user, "grids.handle_gridevent", event.division_id)


def may_evaluate(user, event: GridEvent) -> bool:
    return event.state in STEP_FROM[StepKind.EVALUATE] and holds_in(user, "grids.evaluate_gridevent", event.division_id)


def may_close(user, event: GridEvent) -> bool:
    return (
        event.state in STEP_FROM[StepKind.CLOSE]
        and not is_own_record(event.handled_by_id, user)
        and holds_in(user, "grids.close_gridevent", event.division_id)
    )


def may_add_photos(user, event: GridEvent) -> bool:
    """Its reporter while it is open, or whoever may handle it."""
    if event.state == EventState.CLOSED:
        return False
    return holds_in(user, "grids.handle_gridevent", event.division_id) or (
        is_own_record(event.reported_by_id, user) and holds_in(user, "grids.add_gridevent", event.division_id)
    )


def _step(event: GridEvent, kind: str, user, at: datetime.datetime, **fields) -> EventStep:
    return EventStep.objects.create(event=event, kind=kind, by=user, at=at, **fields)


def report_event(
    *,
    acting_user: AbstractBaseUser,
    grid: Grid,
    category: EventCategory,
    description: str,
    reported_at: datetime.datetime | None = None,
    location: str = "",
    photos: Sequence[File | AcceptedFile] = (),
) -> GridEvent:
    """Report an event in a grid, with photos taken on the spot: due at `reported_at` plus the
    category's time limit. One bad photo refuses the whole report (nothing is written)."""
    with transaction.atomic(), acting_as(acting_user, action=GridsAction.REPORT_EVENT):
        if not holds_in(acting_user, "grids.add_gridevent", grid.division_id):
            raise PermissionDenied(_("您无权在该网格上报事件。"))
        now = timezone.now()
        reported_at = reported_at or now
        not_ahead_of_now("reported_at", reported_at, now)
        if category.district_id != district_of(grid.division_id):
            raise ValidationError({"category": [_("该事件类别不属于本区。")]})
        if not category.active:
            raise ValidationError({"category": [_("该事件类别已停用。")]})
        if not description.strip():
            raise ValidationError({"description": [_("请填写事件描述。")]})
        photos = accept_uploads(photos, field_name="photos")
        event = GridEvent(
            division_id=grid.division_id,
            grid=grid,
            category=category,
            description=description.strip(),
            location=location,
            reported_at=reported_at,
            reported_by=acting_user,
            due_at=reported_at + datetime.timedelta(hours=category.time_limit_hours),
        )
        event.full_clean()
        event.save()
        _step(event, StepKind.REPORT, acting_user, reported_at)
        attach_files(EventPhoto, record=event, files=photos, acting_user=acting_user)
        return event


def _departments_named(district_code: str, names: Sequence[str]) -> list[str]:
    """The names, each a department of the district (the standard ones created where missing)."""
    cleaned = list(dict.fromkeys(name.strip() for name in names if name and name.strip()))
    if not cleaned:
        raise ValidationError({"departments": [_("吹哨报到须指定至少一个职能部门。")]})
    ensure_departments(district_code)
    known = set(Department.objects.filter(district_id=district_code).values_list("name", flat=True))
    unknown = [name for name in cleaned if name not in known]
    if unknown:
        raise ValidationError(
            {
                "departments": [
                    _("本区没有这些职能部门：%(unknown)s。可选：%(known)s。")
                    % {"unknown": "、".join(unknown), "known": "、".join(sorted(known))}
                ]
            }
        )
    return cleaned


def assess_event(
    event: GridEvent,
    *,
    acting_user: AbstractBaseUser,
    route: str,
    departments: Sequence[str] = (),
    note: str = "",
) -> GridEvent:
    """研判: the town decides the village handles the event, or whistles departments to the scene
    (吹哨报到: the departments named are called, and report to the scene, record_arrival)."""
    with transaction.atomic(), acting_as(acting_user, action=GridsAction.ASSESS_EVENT):
        event = GridEvent.objects.select_for_update().get(pk=event.pk)
        require_step_in_order(event, StepKind.ASSESS)
        require_event_permission(acting_user, "assess", event)
        if route not in Route.values:
            raise ValidationError({"route": [_("研判结果须为村（社区）自行处置或吹哨报到。")]})
        names = _departments_named(district_of(event.division_id), departments) if route == Route.WHISTLE else []
        if route == Route.VILLAGE and any(name.strip() for name in departments):
            raise ValidationError({"departments": [_("自行处置的事件不吹哨，不能指定部门。")]})
        now = timezone.now()
        event.state = EventState.ASSESSED
        event.route = route
        event.departments = names
        event.assessed_at = now
        event.save()
        _step(event, StepKind.ASSESS, acting_user, now, route=route, departments=names, note=note)
        return event


def record_arrival(
    event: GridEvent, *, acting_user: AbstractBaseUser, departments: Sequence[str], note: str = ""
) -> GridEvent:
    """报到: departments whistled to the event reported to the scene."""
    with transaction.atomic(), acting_as(acting_user, action=GridsAction.RECORD_ARRIVAL):
        event = GridEvent.objects.select_for_update().get(pk=event.pk)
        require_step_in_order(event, StepKind.ARRIVE)
        require_event_permission(acting_user, "assess", event)
        if event.route != Route.WHISTLE:
            raise ValidationError({"state": [_("该事件未吹哨，无部门报到。")]})
        names = list(dict.fromkeys(name.strip() for name in departments if name and name.strip()))
        strangers = [name for name in names if name not in event.departments]
        if not names or strangers:
            raise ValidationError(
                {
                    "departments": [
                        _("报到的部门须是吹哨召集的部门：%(called)s。") % {"called": "、".join(event.departments)}
                    ]
                }
            )
        _step(event, StepKind.ARRIVE, acting_user, timezone.now(), departments=names, note=note)
        return event


def handle_event(
    event: GridEvent,
    *,
    acting_user: AbstractBaseUser,
    handled_at: datetime.datetime,
    summary: str,
    photos: Sequence[File | AcceptedFile] = (),
) -> GridEvent:
    """办结: record how the event was handled and when, with photos of the result."""
    with transaction.atomic(), acting_as(acting_user, action=GridsAction.HANDLE_EVENT):
        event = GridEvent.objects.select_for_update().get(pk=event.pk)
        require_step_in_order(event, StepKind.HANDLE)
        require_event_permission(acting_user, "handle", event)
        not_ahead_of_now("handled_at", handled_at, timezone.now())
        if handled_at < event.reported_at:
            raise ValidationError({"handled_at": [_("办结时间不能早于上报时间。")]})
        if not summary.strip():
            raise ValidationError({"summary": [_("请填写处置情况。")]})
        photos = accept_uploads(photos, field_name="photos")
        event.state = EventState.HANDLED
        event.handled_at = handled_at
        event.handled_by = acting_user
        event.summary = summary.strip()
        event.save()
        _step(event, StepKind.HANDLE, acting_user, handled_at, note=event.summary)
        attach_files(
            EventPhoto, record=event, files=photos, acting_user=acting_user, fields={"stage": PhotoStage.HANDLING}
        )
        return event


def evaluate_event(event: GridEvent, *, acting_user: AbstractBaseUser, satisfaction: str, note: str = "") -> GridEvent:
    """评价 (回访): the reporter's evaluation, recorded by whoever called them back. Dissatisfied
    sends the event back to assessed, to be handled again (its handling is cleared, kept in the
    steps); the evaluation stays the event's last until another is recorded."""
    with transaction.atomic(), acting_as(acting_user, action=GridsAction.EVALUATE_EVENT):
        event = GridEvent.objects.select_for_update().get(pk=event.pk)
        require_step_in_order(event, StepKind.EVALUATE)
        require_event_permission(acting_user, "evaluate", event)
        if satisfaction not in Satisfaction.values:
            raise ValidationError({"satisfaction": [_("评价须为满意、基本满意或不满意。")]})
        now = timezone.now()
        event.satisfaction = satisfaction
        event.evaluated_at = now
        if satisfaction == Satisfaction.DISSATISFIED:
            event.state = EventState.ASSESSED
            event.handled_at = None
            event.handled_by = None
        else:
            event.state = EventState.EVALUATED
        event.save()
        _step(event, StepKind.EVALUATE, acting_user, now, satisfaction=satisfaction, note=note)
        return event


def close_event(event: GridEvent, *, acting_user: AbstractBaseUser, note: str = "") -> GridEvent:
    """关闭: someone other than the user who recorded the handling closes the event (查办分离)."""
    with transaction.atomic(), acting_as(acting_user, action=GridsAction.CLOSE_EVENT):
        event = GridEvent.objects.select_for_update().get(pk=event.pk)
        require_step_in_order(event, StepKind.CLOSE)
        require_event_permission(acting_user, "close", event)
        if is_own_record(event.handled_by_id, acting_user):
            raise PermissionDenied(HANDLER_MAY_NOT_CLOSE)
        now = timezone.now()
        event.state = EventState.CLOSED
        event.closed_at = now
        event.closed_by = acting_user
        event.save()
        _step(event, StepKind.CLOSE, acting_user, now, note=note)
        return event


def add_photos(
    event: GridEvent, *, acting_user: AbstractBaseUser, files: Sequence[File | AcceptedFile], stage: str
) -> list[EventPhoto]:
    """Add photos to an open event (all or none), at the report or at its handling."""
    with transaction.atomic(), acting_as(acting_user, action=GridsAction.ADD_EVENT_PHOTOS):
        event = GridEvent.objects.select_for_update().get(pk=event.pk)
        if not may_add_photos(acting_user, event):
            raise PermissionDenied(_("您无权为该事件添加照片。"))
        if stage not in PhotoStage.values:
            raise ValidationError({"stage": [_("照片环节无效。")]})
        return attach_files(EventPhoto, record=event, files=files, acting_user=acting_user, fields={"stage": stage})
