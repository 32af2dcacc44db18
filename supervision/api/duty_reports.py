"""GET|POST /api/v1/duty-reports/: the votes on a village's or cooperative's duty report (述职评议)
per period, which the computed indicator duty_report scores. A cooperative's is recorded for its
village party organisation by the village clerk, a village's by the town
(supervision.services.duty_reports.record_duty_report, Nanhai task 09), each with
`evaluated_by_body`; a second record for the same unit and period replaces the votes."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from governance.api.actions import read_body
from governance.api.serializers import PortalModelSerializer
from governance.api.viewsets import HistoryMixin, ScopedViewSetMixin, division_in_scope
from supervision.filters import DutyReportFilterSet
from supervision.models import DutyReportEvaluation
from supervision.services.duty_reports import record_duty_report


class DutyReportSerializer(PortalModelSerializer):
    unit = serializers.CharField(source="unit_id", read_only=True)

    class Meta:
        model = DutyReportEvaluation
        fields = [
            "id",
            "unit",
            "period",
            "satisfied",
            "basically_satisfied",
            "dissatisfied",
            "evaluated_by_body",
            "recorded_at",
        ]


class RecordDutyReportSerializer(serializers.Serializer):
    unit = serializers.RegexField(r"^\d{6,15}$", label=_("述职单位"))
    period = serializers.CharField(label=_("考核期间"), max_length=7)
    satisfied = serializers.IntegerField(label=_("满意票"), min_value=0)
    basically_satisfied = serializers.IntegerField(label=_("基本满意票"), min_value=0)
    dissatisfied = serializers.IntegerField(label=_("不满意票"), min_value=0)


class DutyReportViewSet(
    ScopedViewSetMixin,
    HistoryMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """Duty report evaluations in the caller's jurisdiction."""

    queryset = DutyReportEvaluation.objects.order_by("unit_id", "-period", "id")
    serializer_class = DutyReportSerializer
    filterset_class = DutyReportFilterSet

    @extend_schema(request=RecordDutyReportSerializer, responses={201: DutyReportSerializer})
    def create(self, request, *args, **kwargs):
        data = read_body(self, RecordDutyReportSerializer)
        unit = division_in_scope(request.user, data.pop("unit"))
        evaluation = record_duty_report(unit, acting_user=request.user, **data)
        return Response(DutyReportSerializer(evaluation).data, status=status.HTTP_201_CREATED)
