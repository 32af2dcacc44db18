"""Compliance award runs in the API (docs/api.md, "Compliance award runs"):

- `GET /api/v1/award-runs/` (filters `division`, a code with its subtree, `period`, `status`) and
  `GET /api/v1/award-runs/<id>/`: runs with their totals, the amount paid and the amount kept in
  the fund (the withheld members' entitlements: paid + kept = fund);
- `POST /api/v1/award-runs/` with `division` (a village or cooperative code), `period` (`2025`),
  `fund_yuan` (e.g. `"10000.00"`, or `fund_fen`) and `rule` (`equal`, `by_shares`) previews a run;
- `POST .../<id>/recompute/`, `.../approve/` (another user: four eyes), `.../discard/`;
- `GET .../<id>/payouts/`: the members' lines (entitlement and amount paid), paginated, names and
  ID numbers masked unless the caller may see personal data where the person is registered;
- `GET .../<id>/payouts.xlsx/`: the bank's sheet of an approved run (序号, 姓名, 身份证号, 股份,
  金额（元）, a total row of what is paid, then the amount kept in the fund and the fund), masked
  the same way.

Every run comes from `AwardRun.objects.restrict(user, action)` (404 outside the jurisdiction, 403
inside it without the right); the writes are covenants.services.awards.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiTypes, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from covenants import services
from covenants.choices import AwardRule, AwardRunStatus
from covenants.filters import AwardRunFilterSet
from covenants.models import AwardPayout, AwardRun
from covenants.payouts import bank_sheet, payee_as_seen
from governance.access.querysets import holds_in
from governance.api.actions import record_action
from governance.api.serializers import PortalModelSerializer
from governance.api.viewsets import WorkflowRecordViewSet, division_in_scope
from governance.money import fen_to_yuan

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class AwardRunSerializer(PortalModelSerializer):
    """A run with its fund (fen and yuan), rule, state and totals."""

    division = serializers.CharField(source="division_id", read_only=True)
    division_name = serializers.CharField(source="division.qualified_name", read_only=True)
    fund_yuan = serializers.SerializerMethodField()
    members = serializers.IntegerField(read_only=True)
    paid_members = serializers.IntegerField(read_only=True)
    withheld_members = serializers.IntegerField(read_only=True)
    paid_fen = serializers.IntegerField(read_only=True)
    paid_yuan = serializers.SerializerMethodField()
    kept_fen = serializers.IntegerField(
        read_only=True, help_text=gettext_lazy("留存奖励资金（分）：不予发放成员的应得部分，发放总额 + 留存 = 奖励资金")
    )
    kept_yuan = serializers.SerializerMethodField()
    created_by = serializers.CharField(source="created_by.username", read_only=True)
    approved_by = serializers.CharField(source="approved_by.username", read_only=True, allow_null=True)

    class Meta:
        model = AwardRun
        fields = [
            "id",
            "division",
            "division_name",
            "period",
            "fund_fen",
            "fund_yuan",
            "rule",
            "status",
            "computed_on",
            "members",
            "paid_members",
            "withheld_members",
            "paid_fen",
            "paid_yuan",
            "kept_fen",
            "kept_yuan",
            "created_by",
            "created_at",
            "approved_by",
            "approved_at",
        ]
        read_only_fields = fields

    def get_fund_yuan(self, run) -> str:
        return str(fen_to_yuan(run.fund_fen))

    def get_paid_yuan(self, run) -> str:
        return str(fen_to_yuan(run.paid_fen))

    def get_kept_yuan(self, run) -> str:
        return str(fen_to_yuan(run.kept_fen))


class PreviewAwardRunSerializer(serializers.Serializer):
    """What a preview takes; the amounts and the period are judged by the service (field errors)."""

    division = serializers.CharField(help_text=gettext_lazy("村（社区）或经济社代码"))
    period = serializers.CharField(help_text=gettext_lazy("奖励期间，如 2025"))
    fund_yuan = serializers.CharField(required=False, help_text=gettext_lazy("奖励资金（元，最多两位小数）"))
    fund_fen = serializers.IntegerField(required=False, min_value=1, help_text=gettext_lazy("奖励资金（分）"))
    rule = serializers.ChoiceField(choices=AwardRule.choices, default=AwardRule.EQUAL)

    def validate(self, data):
        if ("fund_yuan" in data) == ("fund_fen" in data):
            raise serializers.ValidationError({"fund_yuan": [_("请填写奖励资金（fund_yuan 或 fund_fen 二选一）。")]})
        return data


class AwardPayoutSerializer(PortalModelSerializer):
    """One member's line: the entitlement (fixed over the whole membership) and the amount paid (the
    entitlement, or 0 when withheld); name and ID number masked unless the caller may see personal
    data."""

    name = serializers.CharField(source="person.name", read_only=True)
    id_number = serializers.CharField(source="person.id_number", read_only=True)
    entitlement_yuan = serializers.SerializerMethodField()
    amount_yuan = serializers.SerializerMethodField()

    class Meta:
        model = AwardPayout
        fields = [
            "id",
            "person",
            "name",
            "id_number",
            "shares",
            "eligible",
            "withheld_reason",
            "entitlement_fen",
            "entitlement_yuan",
            "amount_fen",
            "amount_yuan",
        ]
        read_only_fields = fields

    def get_entitlement_yuan(self, payout) -> str:
        return str(fen_to_yuan(payout.entitlement_fen))

    def get_amount_yuan(self, payout) -> str:
        return str(fen_to_yuan(payout.amount_fen))

    def to_representation(self, payout):
        data = super().to_representation(payout)
        request = self.context.get("request")
        data["name"], data["id_number"] = payee_as_seen(request.user if request else None, payout.person)
        return data


class AwardRunViewSet(WorkflowRecordViewSet):
    """Compliance award runs. Created as a preview with POST; recomputed, approved (four eyes) or
    discarded by actions; never edited nor deleted (an approved run is frozen)."""

    # Aggregating queries drop Meta.ordering: the list's order is said again.
    queryset = (
        AwardRun.objects.with_totals()
        .select_related("division__parent", "created_by", "approved_by")
        .order_by("division_id", "-period", "-id")
    )
    serializer_class = AwardRunSerializer
    filterset_class = AwardRunFilterSet
    action_permissions = {
        "recompute": "change",
        "discard": "change",
        "approve": "approve",
        "payouts": "view",
        "payouts_xlsx": "view",
    }

    @extend_schema(request=PreviewAwardRunSerializer, responses={201: AwardRunSerializer})
    def create(self, request, *args, **kwargs):
        """Preview a run: the division's members on the period's last day share the fund."""
        form = PreviewAwardRunSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        run = services.preview_award_run(
            acting_user=request.user,
            division=division_in_scope(request.user, data["division"]),
            period=data["period"],
            rule=data["rule"],
            fund_yuan=data.get("fund_yuan"),
            fund_fen=data.get("fund_fen"),
        )
        return Response(self.get_serializer(self.answer_instance(run)).data, status=status.HTTP_201_CREATED)

    @record_action(body=None, answer=AwardRunSerializer)
    def recompute(self, run, data, *, acting_user):
        """Compute a preview's payouts again (a frozen run: 400)."""
        return services.recompute_award_run(run, acting_user=acting_user)

    @record_action(body=None, answer=AwardRunSerializer)
    def approve(self, run, data, *, acting_user):
        """Approve and freeze a preview as it stands: another user than its creator."""
        return services.approve_award_run(run, acting_user=acting_user)

    @record_action(body=None, answer=AwardRunSerializer)
    def discard(self, run, data, *, acting_user):
        """Set a preview aside."""
        return services.discard_award_run(run, acting_user=acting_user)

    def _run_with_payouts(self) -> AwardRun:
        run = self.get_object()
        if not holds_in(self.request.user, "covenants.view_awardpayout", run.division_id):
            raise exceptions.PermissionDenied(_("您无权查看该批次的发放明细。"))
        return run

    @extend_schema(responses=AwardPayoutSerializer(many=True))
    @action(detail=True, methods=["get"])
    def payouts(self, request, pk=None):
        """The run's lines, in person order, paginated."""
        run = self._run_with_payouts()
        page = self.paginate_queryset(AwardPayout.objects.restrict(request.user, "view").lines_of(run))
        return self.get_paginated_response(AwardPayoutSerializer(page, many=True, context={"request": request}).data)

    @extend_schema(responses={(200, XLSX_TYPE): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path=r"payouts\.xlsx", url_name="payouts-xlsx")
    def payouts_xlsx(self, request, pk=None):
        """The bank's sheet of an approved run (a preview is not paid: 400)."""
        run = self._run_with_payouts()
        if run.status != AwardRunStatus.APPROVED:
            raise exceptions.ValidationError({"status": [_("只有已批准的发放批次才能导出银行发放表。")]})
        response = HttpResponse(bank_sheet(request.user, run), content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="award-{run.division_id}-{run.period}.xlsx"'
        return response
