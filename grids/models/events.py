"""Events (事件) reported in a grid, the steps of their flow, the departments whistled to, and the
photos taken at report and at handling."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from governance.audit import track_history
from governance.base_models import ScopedModel
from governance.files import PrivateFile
from grids.choices import EventState, PhotoStage, Route, Satisfaction, StepKind
from grids.models.grids import EventCategory, Grid
from grids.querysets import GridEventQuerySet


@track_history
class GridEvent(ScopedModel):
    """An event reported in a grid, where its flow stands, and what its last steps recorded.

    `due_at` is fixed at report time (reported_at plus the category's time limit then), so that a
    later change of the limit does not move an event's deadline. Whether it is overdue is
    computed when asked (GridEventQuerySet.with_overdue, `is_overdue`)."""

    division = models.ForeignKey(
        "villages.Division", verbose_name=_("村（社区）"), on_delete=models.PROTECT, related_name="grid_events"
    )
    grid = models.ForeignKey(Grid, verbose_name=_("网格"), on_delete=models.PROTECT, related_name="grid_events")
    category = models.ForeignKey(
        EventCategory, verbose_name=_("事件类别"), on_delete=models.PROTECT, related_name="grid_events"
    )
    description = models.TextField(_("事件描述"))
    location = models.CharField(_("地点"), max_length=200, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=EventState.choices, default=EventState.REPORTED)
    reported_at = models.DateTimeField(_("上报时间"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上报人"), on_delete=models.PROTECT, related_name="+"
    )
    due_at = models.DateTimeField(_("办理期限"))
    route = models.CharField(_("研判结果"), max_length=8, choices=Route.choices, blank=True)
    departments = ArrayField(models.CharField(max_length=60), verbose_name=_("吹哨部门"), default=list, blank=True)
    assessed_at = models.DateTimeField(_("研判时间"), null=True, blank=True)
    handled_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处置登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    summary = models.TextField(_("处置情况"), blank=True)
    satisfaction = models.CharField(_("评价"), max_length=20, choices=Satisfaction.choices, blank=True)
    evaluated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("关闭人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = GridEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("网格事件")
        verbose_name_plural = _("网格事件")
        ordering = ["-reported_at", "-id"]
        permissions = [
            ("assess_gridevent", _("可研判网格事件")),
            ("handle_gridevent", _("可处置网格事件")),
            ("evaluate_gridevent", _("可登记网格事件评价")),
            ("close_gridevent", _("可关闭网格事件")),
        ]
        indexes = [
            # The per-unit report of a period (satisfaction, overdue, on time), the indicators
            # grid_satisfaction and events_on_time, and the event centre's tab counts and pages of
            # ids read this index alone (index-only scans): a district's events lie scattered over
            # the table's pages (bench/README.md, grid_events).
            models.Index(
                fields=["division", "reported_at"],
                include=["id", "state", "route", "satisfaction", "evaluated_at", "due_at", "handled_at"],
                name="grid_event_division_reported",
            ),
            # The event centre's overdue tab: a town's events not handled yet (a few in a hundred),
            # by due time.
            models.Index(
                fields=["division", "due_at"],
                include=["id"],
                condition=Q(handled_at__isnull=True),
                name="grid_event_unhandled_division",
            ),
            # The event centre: a town's open events and the counts of its tabs, without reading
            # the closed ones (most of them).
            models.Index(
                fields=["division", "reported_at"],
                include=["id", "state", "route", "due_at", "handled_at"],
                condition=~Q(state=EventState.CLOSED),
                name="grid_event_open_division",
            ),
            # The newest events of a time window, whatever their division (Open311's requests.json,
            # a district's or the public's lists): read backwards, LIMIT stops early. Without it,
            # 3 million events took 1.3 s to sort; with it, 15 ms (docs/api.md, "Open311").
            # The division rides along so that the API's list of a town or a district (its code
            # range, which the list's order by time cannot lead with) keeps or skips each entry
            # from the index alone: a page is an index-only backward walk that stops after 50
            # events of the scope, not a heap fetch per event passed over.
            models.Index(fields=["reported_at", "id"], include=["division"], name="grid_event_reported"),
            models.Index(fields=["state", "due_at"], name="grid_event_state_due"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(due_at__gt=F("reported_at")), name="grid_event_due_after_report"),
            # 查办分离 (Nanhai task 10): whoever recorded the handling does not close the event.
            models.CheckConstraint(
                condition=Q(closed_by__isnull=True) | ~Q(closed_by=F("handled_by")),
                name="grid_event_closer_is_not_handler",
            ),
            models.CheckConstraint(
                condition=~Q(route=Route.WHISTLE) | ~Q(departments=[]), name="grid_event_whistle_names_departments"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} · {self.reported_at:%Y-%m-%d}"

    def is_overdue(self, at: datetime.datetime) -> bool:
        """Not handled by its due time: still unhandled after it, or handled after it."""
        return (self.handled_at or at) > self.due_at

    @property
    def is_open(self) -> bool:
        """Open311's status: an event is open until it is closed."""
        return self.state != EventState.CLOSED


@track_history
class EventStep(ScopedModel):
    """One step of an event's flow, by a user, with what the step recorded."""

    scope_field = "event__division__code"

    event = models.ForeignKey(GridEvent, verbose_name=_("事件"), on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("环节"), max_length=10, choices=StepKind.choices)
    at = models.DateTimeField(_("时间"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("办理人"), on_delete=models.PROTECT, related_name="+"
    )
    route = models.CharField(_("研判结果"), max_length=8, choices=Route.choices, blank=True)
    departments = ArrayField(models.CharField(max_length=60), verbose_name=_("部门"), default=list, blank=True)
    satisfaction = models.CharField(_("评价"), max_length=20, choices=Satisfaction.choices, blank=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("事件办理环节")
        verbose_name_plural = _("事件办理环节")
        ordering = ["event_id", "id"]  # the order the steps were recorded in (a handling may be backdated)
        indexes = [models.Index(fields=["event", "kind"], name="event_step_event_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.at:%Y-%m-%d %H:%M}"


@track_history
class EventPhoto(PrivateFile):
    """A photo of an event, taken when it was reported or when it was handled."""

    scope_field = "event__division__code"

    event = models.ForeignKey(GridEvent, verbose_name=_("事件"), on_delete=models.PROTECT, related_name="photos")
    stage = models.CharField(_("环节"), max_length=10, choices=PhotoStage.choices, default=PhotoStage.REPORT)

    class Meta(PrivateFile.Meta):
        verbose_name = _("事件照片")
        verbose_name_plural = _("事件照片")
