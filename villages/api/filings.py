"""API of position filings (备案): submit, list, decide. Writes go through villages.services."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from governance.api.actions import record_action
from governance.api.serializers import ScopedPrimaryKeyRelatedField
from governance.api.viewsets import HistoryMixin, ScopedViewSetMixin
from villages import services
from villages.api.serializers import PositionFilingSerializer
from villages.models import Position, PositionFiling


class SubmitFilingSerializer(serializers.Serializer):
    position = ScopedPrimaryKeyRelatedField(queryset=Position.objects.all(), label=_("任职"))


class DecideFilingSerializer(serializers.Serializer):
    accept = serializers.BooleanField(label=_("是否准予备案"))
    note = serializers.CharField(label=_("意见"), required=False, allow_blank=True, max_length=2000, default="")


class PositionFilingViewSet(
    ScopedViewSetMixin, HistoryMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Filings of positions with the town or county. A clerk submits; someone else decides."""

    queryset = PositionFiling.objects.select_related("position")
    serializer_class = PositionFilingSerializer
    filterset_fields = ["status", "filed_with"]

    action_permissions = {"decide": "approve"}

    # A POST on the collection (the position is in the body), not an action on one record:
    # record_action does not apply.
    @extend_schema(request=SubmitFilingSerializer, responses={201: PositionFilingSerializer})
    def create(self, request, *args, **kwargs):
        """Submit a position for filing with the division its kind is filed with."""
        form = SubmitFilingSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        filing = services.submit_filing(form.validated_data["position"], acting_user=request.user)
        return Response(PositionFilingSerializer(filing).data, status=status.HTTP_201_CREATED)

    @record_action(body=DecideFilingSerializer, answer=PositionFilingSerializer)
    def decide(self, filing, data, *, acting_user):
        """Accept or return a submitted filing (never one's own submission)."""
        return services.decide_filing(filing, acting_user=acting_user, **data)
