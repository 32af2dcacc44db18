"""Village matter admission requests in the API (docs/api.md, "Village matter admission"):

- `GET /api/v1/admission-requests/` lists them (filtered by `division`, a code with everything
  below it, `outcome`, `list_kind`, `requester`), `GET .../<id>/` one, `.../<id>/history/` its trail;
- `POST /api/v1/admission-requests/` with `division` (a village's code), `requester`, `matter`,
  `requested_on` and optionally `item` (the id of the item of the village's three lists the
  matter is on) files one, judged at once (rights_lists.services.admission.file_request) → 201;
- `POST /api/v1/admission-requests/<id>/exception/` with `reason` (and `excepted_on`) admits a
  refused request anyway: a town official who did not file it (403 for its filer).

Scoped like the rest: 404 outside the caller's jurisdiction, 403 inside it without the right.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status

from governance.api.actions import record_action
from governance.api.fields import ChoiceLabelField, DivisionCodeField
from governance.api.serializers import PortalModelSerializer, ReadablePrimaryKeyRelatedField
from rights_lists.api.views import RecordViewSet, _refuse_outside_jurisdiction
from rights_lists.filters import AdmissionRequestFilterSet
from rights_lists.models import AdmissionRequest, ListItem
from rights_lists.services import admission


class AdmissionRequestSerializer(PortalModelSerializer):
    """A request with its outcome, the item and list it was judged on, and its exception."""

    division = serializers.CharField(source="division_id", read_only=True)
    division_name = serializers.CharField(source="division.name", read_only=True)
    item_number = serializers.CharField(source="item.number", read_only=True, default=None, allow_null=True)
    item_title = serializers.CharField(source="item.title", read_only=True, default=None, allow_null=True)
    list_kind = serializers.CharField(read_only=True, help_text="duties_by_law | assisted_duties | negative | (blank)")
    outcome_display = ChoiceLabelField("outcome")
    filed_by_name = serializers.CharField(source="filed_by.username", read_only=True)
    excepted_by_name = serializers.CharField(
        source="excepted_by.username", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = AdmissionRequest
        fields = [
            "id",
            "division",
            "division_name",
            "requester",
            "matter",
            "requested_on",
            "item",
            "item_number",
            "item_title",
            "list_kind",
            "outcome",
            "outcome_display",
            "filed_by",
            "filed_by_name",
            "filed_at",
            "exception_reason",
            "excepted_by",
            "excepted_by_name",
            "excepted_on",
        ]
        read_only_fields = fields


class FileAdmissionRequestSerializer(serializers.Serializer):
    division = DivisionCodeField(label=_("村（社区）"))
    requester = serializers.CharField(label=_("提出单位"), max_length=100)
    matter = serializers.CharField(label=_("事项"), max_length=200)
    requested_on = serializers.DateField(label=_("提出日期"))
    item = ReadablePrimaryKeyRelatedField(
        queryset=ListItem.objects.all(), label=_("对应清单事项"), required=False, allow_null=True
    )


class ExceptionSerializer(serializers.Serializer):
    reason = serializers.CharField(label=_("例外准入理由"), max_length=4000)
    excepted_on = serializers.DateField(label=_("例外准入日期"), required=False)


class AdmissionRequestViewSet(RecordViewSet):
    """Admission requests: filed with POST, judged at once; never edited nor deleted."""

    queryset = AdmissionRequest.objects.select_related("division", "item", "filed_by", "excepted_by").order_by(
        "-requested_on", "-id"
    )
    serializer_class = AdmissionRequestSerializer
    filterset_class = AdmissionRequestFilterSet
    action_permissions = {"exception": "change"}

    @extend_schema(request=FileAdmissionRequestSerializer, responses={201: AdmissionRequestSerializer})
    def create(self, request, *args, **kwargs):
        """File a request that a village take on a matter; its outcome is judged at once."""
        form = FileAdmissionRequestSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        data = form.validated_data
        _refuse_outside_jurisdiction(request.user, data["division"].code)
        filed = admission.file_request(acting_user=request.user, **data)
        return self._answer(filed, status.HTTP_201_CREATED)

    @record_action(body=ExceptionSerializer, answer=AdmissionRequestSerializer)
    def exception(self, row, data, *, acting_user):
        """Admit a refused request anyway, with a reason (not by its filer)."""
        admission.grant_exception(row, acting_user=acting_user, **data)
        return row
