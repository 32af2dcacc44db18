"""API of supervision records (supervision/models/records.py), on governance's scoped bases.

    GET  conduct-negative-items/            the negative list items in the caller's jurisdiction
    POST conduct-negative-items/            {division, number, text, basis, valid_from}
    GET  disciplinary-sanctions/            ?division= ?person= ?standing= ?in_force_on=YYYY-MM-DD
    POST disciplinary-sanctions/            {person, kind, decided_on, decided_by, basis, facts, ...}
    GET  integrity-talks/  major-matter-reports/  economic-audits/   (?division= ?person= ?standing=)
    POST the same, each with its fields; `corrects` (an id) and `correction_reason` file a correction
    POST economic-audits/<id>/follow-up/    {done_on, result}
    GET  leadership-posts-without-talk/     current new two-committee posts and cooperative heads without a talk

Records are never edited nor deleted: no PUT, PATCH or DELETE. Every write is a service of
supervision.services.records, which re-checks the caller's right inside its transaction.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied as DRFPermissionDenied
from rest_framework.response import Response

from governance import clock
from governance.access.permissions import IsSignedIn
from governance.access.querysets import holds_anywhere
from governance.api.actions import read_body, record_action
from governance.api.fields import ScopedDivisionCodeField
from governance.api.serializers import PortalModelSerializer, ScopedPrimaryKeyRelatedField
from governance.api.viewsets import HistoryMixin, ScopedViewSetMixin, WorkflowRecordViewSet
from supervision.choices import TALK_PERMISSION, MajorMatterCategory
from supervision.filters import ConductNegativeItemFilterSet, SanctionFilterSet, record_filterset
from supervision.models import (
    ConductNegativeItem,
    DisciplinarySanction,
    EconomicAudit,
    IntegrityTalk,
    MajorMatterReport,
    SupervisionRecord,
)
from supervision.services import records as services
from villages.models import Person, Position

# --- serializers ----------------------------------------------------------------------------------

# The kinds are documented strings, checked by the services and models (the schema names one
# "kind" enum only, the covenants'; docs/api.md lists the values).
KIND_HELP = (
    "处分种类：warning、serious_warning、demerit、major_demerit、demotion、removal_from_party_post、"
    "removal_from_post、party_probation、expulsion。"
)
AUDIT_KIND_HELP = "审计类型：in_office（任中）、on_leaving（离任）。"

RECORD_FIELDS = [
    "id",
    "division",
    "division_name",
    "person",
    "person_name",
    "recorded_by",
    "recorded_at",
    "corrects",
    "correction_reason",
    "corrected_by",
    "standing",
]


class RecordSerializer(PortalModelSerializer):
    """What every supervision record shows: where, whom, who filed it, and its correction chain."""

    division_name = serializers.CharField(source="division.name", read_only=True)
    person_name = serializers.CharField(source="person.name", read_only=True)
    corrected_by = serializers.SerializerMethodField()
    standing = serializers.SerializerMethodField()

    def get_corrected_by(self, record) -> int | None:
        return None if record.is_standing else record.corrected_by.pk

    def get_standing(self, record) -> bool:
        return record.is_standing


class DisciplinarySanctionSerializer(RecordSerializer):
    kind = serializers.CharField(read_only=True, help_text=gettext_lazy(KIND_HELP))

    class Meta:
        model = DisciplinarySanction
        fields = [
            *RECORD_FIELDS,
            "position",
            "kind",
            "decided_on",
            "decided_by",
            "basis",
            "negative_item",
            "facts",
            "deduction_percent",
            "deduction_months",
            "ends_on",
        ]
        read_only_fields = fields


class IntegrityTalkSerializer(RecordSerializer):
    class Meta:
        model = IntegrityTalk
        fields = [*RECORD_FIELDS, "position", "held_on", "talked_by", "summary"]
        read_only_fields = fields


class MajorMatterReportSerializer(RecordSerializer):
    class Meta:
        model = MajorMatterReport
        fields = [*RECORD_FIELDS, "category", "reported_on", "matter"]
        read_only_fields = fields


class EconomicAuditSerializer(RecordSerializer):
    kind = serializers.CharField(read_only=True, help_text=gettext_lazy(AUDIT_KIND_HELP))
    follow_up_open = serializers.BooleanField(read_only=True)

    class Meta:
        model = EconomicAudit
        fields = [
            *RECORD_FIELDS,
            "position",
            "kind",
            "period_from",
            "period_to",
            "reported_on",
            "auditor",
            "findings",
            "follow_up",
            "follow_up_open",
            "follow_up_done_on",
            "follow_up_result",
        ]
        read_only_fields = fields


class NegativeItemSerializer(PortalModelSerializer):
    division_name = serializers.CharField(source="division.name", read_only=True)

    class Meta:
        model = ConductNegativeItem
        fields = ["id", "division", "division_name", "number", "text", "basis", "valid_from", "recorded_at"]
        read_only_fields = fields


class FileRecordSerializer(serializers.Serializer):
    """What filing any record takes: the person (an id among those the caller may view), the
    division it lies in (optional: the position's, else the person's), and what it corrects."""

    person = ScopedPrimaryKeyRelatedField(queryset=Person.objects.all())
    division = ScopedDivisionCodeField(required=False)
    corrects = serializers.IntegerField(required=False)
    correction_reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    model = None

    def validate_corrects(self, value):
        request = self.context["request"]
        record = self.model.objects.restrict(request.user, "view").filter(pk=value).first()
        if record is None:
            raise serializers.ValidationError(gettext_lazy("未找到该记录，或其不在您的辖区内。"))
        return record


class WithPositionMixin(serializers.Serializer):
    position = ScopedPrimaryKeyRelatedField(queryset=Position.objects.all(), required=False, allow_null=True)


class FileSanctionSerializer(WithPositionMixin, FileRecordSerializer):
    model = DisciplinarySanction
    kind = serializers.CharField(max_length=32, help_text=gettext_lazy(KIND_HELP))
    decided_on = serializers.DateField()
    decided_by = serializers.CharField(max_length=100)
    basis = serializers.CharField(max_length=4000)
    facts = serializers.CharField(max_length=4000)
    negative_item = ScopedPrimaryKeyRelatedField(
        queryset=ConductNegativeItem.objects.all(), required=False, allow_null=True
    )
    deduction_percent = serializers.IntegerField(required=False, min_value=0, max_value=100)
    deduction_months = serializers.IntegerField(required=False, min_value=1, max_value=600)


class FileIntegrityTalkSerializer(WithPositionMixin, FileRecordSerializer):
    model = IntegrityTalk
    held_on = serializers.DateField()
    talked_by = serializers.CharField(max_length=100)
    summary = serializers.CharField(max_length=4000)


class FileMajorMatterReportSerializer(FileRecordSerializer):
    model = MajorMatterReport
    category = serializers.ChoiceField(choices=MajorMatterCategory.choices)
    reported_on = serializers.DateField()
    matter = serializers.CharField(max_length=4000)


class FileEconomicAuditSerializer(WithPositionMixin, FileRecordSerializer):
    model = EconomicAudit
    kind = serializers.CharField(max_length=16, help_text=gettext_lazy(AUDIT_KIND_HELP))
    period_from = serializers.DateField()
    period_to = serializers.DateField()
    reported_on = serializers.DateField()
    auditor = serializers.CharField(max_length=100)
    findings = serializers.CharField(max_length=4000)
    follow_up = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)


class FollowUpSerializer(serializers.Serializer):
    done_on = serializers.DateField()
    result = serializers.CharField(max_length=4000)


class NegativeItemInputSerializer(serializers.Serializer):
    division = ScopedDivisionCodeField()
    number = serializers.IntegerField(min_value=1, max_value=32767)
    text = serializers.CharField(max_length=4000)
    basis = serializers.CharField(max_length=4000)
    valid_from = serializers.DateField()


class LeadershipPostSerializer(PortalModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)
    division_name = serializers.CharField(source="division.name", read_only=True)

    class Meta:
        model = Position
        fields = ["id", "division", "division_name", "person", "person_name", "kind", "started_on"]
        read_only_fields = fields


# --- viewsets -----------------------------------------------------------------------------------


class RecordViewSet(WorkflowRecordViewSet):
    """Records filed with POST through their service; never edited nor deleted."""

    input_serializer_class: type[serializers.Serializer]
    # The service filing this kind of record: file_record(acting_user=..., **the body's fields).
    file_record: Callable[..., SupervisionRecord]
    related = ("division", "person", "corrected_by")

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # Each kind's POST declares the body it reads and the record it answers.
        extend_schema_view(
            create=extend_schema(request=cls.input_serializer_class, responses={201: cls.serializer_class})
        )(cls)

    def get_queryset(self):
        return super().get_queryset().select_related(*self.related)

    def answer_instance(self, record):
        """The record read afresh with what its answer shows (record_action's hook, and create's)."""
        return self.queryset.model.objects.select_related(*self.related).get(pk=record.pk)

    def create(self, request, *args, **kwargs):
        record = self.file_record(acting_user=request.user, **read_body(self, self.input_serializer_class))
        return Response(self.get_serializer(self.answer_instance(record)).data, status=status.HTTP_201_CREATED)


class DisciplinarySanctionViewSet(RecordViewSet):
    """Disciplinary sanctions (处分) with their deduction; `?in_force_on=` keeps those in force that day."""

    queryset = DisciplinarySanction.objects.all()
    serializer_class = DisciplinarySanctionSerializer
    input_serializer_class = FileSanctionSerializer
    filterset_class = SanctionFilterSet

    file_record = staticmethod(services.file_sanction)


class IntegrityTalkViewSet(RecordViewSet):
    """Pre-appointment integrity talks (任前廉洁谈话)."""

    queryset = IntegrityTalk.objects.all()
    serializer_class = IntegrityTalkSerializer
    input_serializer_class = FileIntegrityTalkSerializer
    filterset_class = record_filterset(IntegrityTalk)

    file_record = staticmethod(services.file_integrity_talk)


class MajorMatterReportViewSet(RecordViewSet):
    """Major matter reports (重大事项报告)."""

    queryset = MajorMatterReport.objects.all()
    serializer_class = MajorMatterReportSerializer
    input_serializer_class = FileMajorMatterReportSerializer
    filterset_class = record_filterset(MajorMatterReport)

    file_record = staticmethod(services.file_major_matter_report)


class EconomicAuditViewSet(RecordViewSet):
    """Economic responsibility audits (经济责任审计), with `POST .../follow-up/` once the follow-up is done."""

    queryset = EconomicAudit.objects.all()
    serializer_class = EconomicAuditSerializer
    input_serializer_class = FileEconomicAuditSerializer
    filterset_class = record_filterset(EconomicAudit)
    action_permissions = {"follow_up": "change"}

    file_record = staticmethod(services.file_economic_audit)

    @record_action(body=FollowUpSerializer, answer=EconomicAuditSerializer, url_path="follow-up")
    def follow_up(self, audit, data, *, acting_user):
        return services.record_audit_follow_up(audit, acting_user=acting_user, **data)


class ConductNegativeItemViewSet(
    ScopedViewSetMixin,
    HistoryMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """The cadre conduct negative list (干部职务行为负面清单): items with their basis."""

    queryset = ConductNegativeItem.objects.select_related("division")
    serializer_class = NegativeItemSerializer
    filterset_class = ConductNegativeItemFilterSet

    @extend_schema(request=NegativeItemInputSerializer, responses={201: NegativeItemSerializer})
    def create(self, request, *args, **kwargs):
        item = services.add_negative_item(acting_user=request.user, **read_body(self, NegativeItemInputSerializer))
        fresh = ConductNegativeItem.objects.select_related("division").get(pk=item.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("on", OpenApiTypes.DATE, description="the day the posts are current on; default today")
        ]
    )
)
class LeadershipPostsWithoutTalkViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Current new posts of supervision.choices.INTEGRITY_TALK_POSTS (the two committees and
    cooperative heads) recorded without a pre-appointment integrity talk, where the caller may
    view both the positions and the talks.
    `?on=YYYY-MM-DD` (default today) says which posts are current."""

    permission_classes = [IsSignedIn]
    serializer_class = LeadershipPostSerializer
    queryset = Position.objects.none()

    def get_queryset(self):
        user = self.request.user
        if not holds_anywhere(user, TALK_PERMISSION):
            raise DRFPermissionDenied()
        on = serializers.DateField().run_validation(self.request.query_params.get("on") or clock.today())
        return (
            IntegrityTalk.objects.talkless_posts_for(user, on)
            .select_related("person", "division")
            .order_by("division_id", "id")
        )


def register_record_routes(router) -> None:
    """The records' routes, added to the app's router (supervision/api/urls.py) with one call."""
    router.register("conduct-negative-items", ConductNegativeItemViewSet, basename="conductnegativeitem")
    router.register("disciplinary-sanctions", DisciplinarySanctionViewSet, basename="disciplinarysanction")
    router.register("integrity-talks", IntegrityTalkViewSet, basename="integritytalk")
    router.register("major-matter-reports", MajorMatterReportViewSet, basename="majormatterreport")
    router.register("economic-audits", EconomicAuditViewSet, basename="economicaudit")
    router.register(
        "leadership-posts-without-talk", LeadershipPostsWithoutTalkViewSet, basename="leadershippostwithouttalk"
    )
