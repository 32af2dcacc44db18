"""Serializers of the grids API (docs/api.md, "Grids").

Reads are model serializers; a user is shown by their display name (governance.people_names).
Writes are small input serializers whose validated data the views hand to grids.services, which
re-check the step's order and the caller's right inside their transaction.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from governance.api.files import PRIVATE_FILE_FIELDS, PrivateFileSerializer
from governance.api.serializers import PortalModelSerializer
from governance.people_names import display_name, named
from governance.uploads import AcceptedFilesField
from grids.choices import EventState, PhotoStage, Route, Satisfaction, StepKind
from grids.models import EventCategory, EventPhoto, EventStep, Grid, GridEvent


class EventCategorySerializer(PortalModelSerializer):
    """A category of events of a district with its time limit in hours (办理时限)."""

    district = serializers.CharField(source="district_id", read_only=True)

    class Meta:
        model = EventCategory
        fields = ["id", "code", "name", "time_limit_hours", "district", "active"]
        read_only_fields = fields


class GridSerializer(PortalModelSerializer):
    """A grid of a village or community with its grid worker (by name)."""

    division = serializers.CharField(source="division_id", read_only=True)
    worker = serializers.SerializerMethodField(help_text=_("网格员姓名"))

    class Meta:
        model = Grid
        fields = ["id", "division", "name", "worker", "area", "households"]
        read_only_fields = fields

    def get_worker(self, grid) -> str:
        return display_name(grid.worker)


class GridEventSerializer(PortalModelSerializer):
    """An event where its flow stands. `overdue`: not handled by `due_at`, judged at the request."""

    division = serializers.CharField(source="division_id", read_only=True)
    grid_name = serializers.CharField(source="grid.name", read_only=True)
    category = serializers.CharField(source="category.code", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    state = serializers.ChoiceField(choices=EventState.choices, read_only=True)
    route = serializers.ChoiceField(choices=Route.choices, read_only=True, allow_blank=True)
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices, read_only=True, allow_blank=True)
    reported_by = serializers.SerializerMethodField()
    handled_by = serializers.SerializerMethodField()
    closed_by = serializers.SerializerMethodField()
    overdue = serializers.BooleanField(read_only=True, help_text=_("未在办理期限内办结（按请求时计算）"))

    class Meta:
        model = GridEvent
        fields = [
            "id",
            "division",
            "grid",
            "grid_name",
            "category",
            "category_name",
            "description",
            "location",
            "state",
            "reported_at",
            "reported_by",
            "due_at",
            "overdue",
            "route",
            "departments",
            "assessed_at",
            "handled_at",
            "handled_by",
            "summary",
            "satisfaction",
            "evaluated_at",
            "closed_at",
            "closed_by",
        ]
        read_only_fields = fields

    # The names come computed with the event (grids.api.views.EVENTS, display_name_of); an event
    # read otherwise is named from its users.
    def get_reported_by(self, event) -> str:
        return named(event, "reported_by")

    def get_handled_by(self, event) -> str | None:
        return named(event, "handled_by")

    def get_closed_by(self, event) -> str | None:
        return named(event, "closed_by")


class EventStepSerializer(PortalModelSerializer):
    """One step of an event's flow: what, when, by whom, and what it recorded."""

    kind = serializers.ChoiceField(choices=StepKind.choices, read_only=True)
    route = serializers.ChoiceField(choices=Route.choices, read_only=True, allow_blank=True)
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices, read_only=True, allow_blank=True)
    by = serializers.SerializerMethodField()

    class Meta:
        model = EventStep
        fields = ["id", "kind", "at", "by", "route", "departments", "satisfaction", "note"]
        read_only_fields = fields

    def get_by(self, step) -> str:
        return named(step, "by")


class GridEventDetailSerializer(GridEventSerializer):
    """An event with its steps, in the order they were recorded."""

    steps = EventStepSerializer(many=True, read_only=True)

    class Meta(GridEventSerializer.Meta):
        fields = [*GridEventSerializer.Meta.fields, "steps"]
        read_only_fields = fields


# --- writes ------------------------------------------------------------------------------------------


class ReportEventSerializer(serializers.Serializer):
    grid = serializers.IntegerField(label=_("网格"), min_value=1)
    category = serializers.SlugField(label=_("事件类别代码"), max_length=40)
    description = serializers.CharField(label=_("事件描述"), max_length=4000)
    location = serializers.CharField(label=_("地点"), max_length=200, required=False, allow_blank=True, default="")
    reported_at = serializers.DateTimeField(label=_("上报时间"), required=False, help_text=_("默认为现在"))


class AssessEventSerializer(serializers.Serializer):
    route = serializers.ChoiceField(choices=Route.choices, label=_("研判结果"))
    departments = serializers.ListField(
        child=serializers.CharField(max_length=60),
        label=_("吹哨部门"),
        required=False,
        default=list,
        help_text=_("吹哨报到时召集的职能部门名称"),
    )
    note = serializers.CharField(label=_("说明"), max_length=4000, required=False, allow_blank=True, default="")


class ArrivalSerializer(serializers.Serializer):
    departments = serializers.ListField(
        child=serializers.CharField(max_length=60), label=_("报到部门"), allow_empty=False
    )
    note = serializers.CharField(label=_("说明"), max_length=4000, required=False, allow_blank=True, default="")


class HandleEventSerializer(serializers.Serializer):
    handled_at = serializers.DateTimeField(label=_("办结时间"))
    summary = serializers.CharField(label=_("处置情况"), max_length=4000)


class EvaluateEventSerializer(serializers.Serializer):
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices, label=_("评价"))
    note = serializers.CharField(label=_("说明"), max_length=4000, required=False, allow_blank=True, default="")


class CloseEventSerializer(serializers.Serializer):
    note = serializers.CharField(label=_("说明"), max_length=4000, required=False, allow_blank=True, default="")


# --- photos ------------------------------------------------------------------------------------------


class EventPhotoSerializer(PrivateFileSerializer):
    """A photo of an event, taken at its report or at its handling, with where to download it."""

    event = serializers.IntegerField(source="event_id", read_only=True)
    stage = serializers.ChoiceField(choices=PhotoStage.choices, read_only=True)

    api_download_route = "api:eventphoto-download"

    class Meta:
        model = EventPhoto
        fields = [*PRIVATE_FILE_FIELDS, "event", "stage"]
        read_only_fields = fields

    def api_download_kwargs(self, photo) -> dict:
        return {"event_pk": photo.event_id, "pk": photo.pk}


class AddPhotosSerializer(serializers.Serializer):
    files = AcceptedFilesField(label=_("照片"), help_text=_("一张或多张照片（multipart，字段名 files）"))
    stage = serializers.ChoiceField(choices=PhotoStage.choices, label=_("环节"), default=PhotoStage.REPORT)
