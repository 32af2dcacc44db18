"""The red and black lists (红黑榜) in the API (docs/api.md, "Red and black lists"):

- `GET /api/v1/honour-lists/?division=<code>&period=<p>`: both lists of a village for a period
  (default: the calendar year containing today), derived by covenants.services.honour_lists in a fixed
  number of queries; names masked (family name + `*`) unless the caller may see personal data
  where the village lies, never an ID number or a phone;
- `GET /api/v1/red-list-nominations/` (filters `division`, a code with its subtree, `period`,
  `status`) and `.../<id>/`, `.../<id>/history/`; `POST /api/v1/red-list-nominations/` with
  `division` (a village code), `person` (an id), `period` and `reason` nominates;
  `POST .../<id>/approve/` and `.../reject/` (optional `decided_on`; another user than the
  nominator: four eyes) decide; `POST .../<id>/withdraw/` takes it back (204).

Nominations come from `RedListNomination.objects.restrict(user, action)` (404 outside the
jurisdiction, 403 inside it without the right); the writes are covenants.services.honour_lists.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema, extend_schema_serializer
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from covenants import services
from covenants.choices import SanctionKind, Tier
from covenants.filters import RedListNominationFilterSet
from covenants.models import RedListNomination
from covenants.services.honour_lists import honour_lists, period_or_default
from covenants.texts import public_line
from governance import clock
from governance.access.querysets import holds_in
from governance.api.actions import record_action
from governance.api.serializers import PortalModelSerializer
from governance.api.viewsets import ScopedViewSetMixin, WorkflowRecordViewSet, division_in_scope
from governance.privacy import may_see_personal_data, name_as_seen
from villages.choices import Level
from villages.models import Division, Person

NOMINATION_RELATED = ("division__parent", "person", "nominated_by", "decided_by")


# --- the lists ---------------------------------------------------------------------------------


class HonourListsQuerySerializer(serializers.Serializer):
    division = serializers.CharField(label=gettext_lazy("村（社区）代码"), max_length=20)
    period = serializers.CharField(label=gettext_lazy("期间"), required=False, allow_blank=True, max_length=10)


class BlackListSanctionSerializer(serializers.Serializer):
    """A sanction in force on the counting day: `ends_on` is the first day it no longer applies
    (null: until rectified)."""

    kind = serializers.ChoiceField(choices=SanctionKind.choices)
    kind_display = serializers.SerializerMethodField()
    tier = serializers.ChoiceField(choices=Tier.choices)
    covenant_title = serializers.CharField()
    clause_number = serializers.IntegerField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(allow_null=True)
    text = serializers.SerializerMethodField()

    def get_kind_display(self, sanction) -> str:
        return str(SanctionKind(sanction.kind).label)

    def get_text(self, sanction) -> str:
        return public_line(sanction)


class BlackListEntrySerializer(serializers.Serializer):
    person = serializers.IntegerField(source="person_id")
    name = serializers.SerializerMethodField()
    sanctions = BlackListSanctionSerializer(many=True)

    def get_name(self, entry) -> str:
        return name_as_seen(entry.name, visible=self.context["names_visible"])


class RedListEntrySerializer(serializers.Serializer):
    person = serializers.IntegerField(source="person_id")
    name = serializers.SerializerMethodField()
    reason = serializers.CharField()
    nomination = serializers.IntegerField(source="nomination_id")
    decided_on = serializers.DateField(allow_null=True)

    def get_name(self, entry) -> str:
        return name_as_seen(entry.name, visible=self.context["names_visible"])


@extend_schema_serializer(many=False)  # the `list` route answers one board, not an array
class HonourListsSerializer(serializers.Serializer):
    division = serializers.CharField(source="division_code")
    period = serializers.CharField(source="period.label")
    starts_on = serializers.DateField(source="period.start")
    ends_on = serializers.DateField(source="period.end")
    counted_on = serializers.DateField()
    red_list = RedListEntrySerializer(source="red", many=True)
    black_list = BlackListEntrySerializer(source="black", many=True)


def village_of_lists(user, code: str) -> Division:
    """The village `code` whose lists `user` may read: 404 outside the jurisdiction, 403 inside it
    without the right, 400 for a division that has no lists (a town, a cooperative)."""
    division = division_in_scope(user, code)
    if not holds_in(user, "covenants.view_redlistnomination", division.code):
        raise exceptions.PermissionDenied(_("您无权查看该村（社区）的红黑榜。"))
    if division.level != Level.VILLAGE:
        raise exceptions.ValidationError({"division": [_("红黑榜由村（社区）公布，请选择村（社区）。")]})
    return division


class HonourListViewSet(ScopedViewSetMixin, viewsets.GenericViewSet):
    """Both lists of a village for a period (nothing paginated: a village's board)."""

    queryset = RedListNomination.objects.all()  # whose view right the permission class asks for
    serializer_class = HonourListsSerializer
    filter_backends: list = []
    pagination_class = None

    @extend_schema(
        parameters=[
            OpenApiParameter("division", OpenApiTypes.STR, required=True, description="村（社区）代码"),
            OpenApiParameter("period", OpenApiTypes.STR, description="期间，如 2026、2026-Q3；默认今天所在年度"),
        ],
        responses=HonourListsSerializer,
    )
    def list(self, request, *args, **kwargs):
        form = HonourListsQuerySerializer(data=request.query_params)
        form.is_valid(raise_exception=True)
        village = village_of_lists(request.user, form.validated_data["division"])
        try:
            period = period_or_default(form.validated_data.get("period"), clock.today())
        except DjangoValidationError as error:
            raise exceptions.ValidationError({"period": error.messages}) from None
        lists = honour_lists(village.code, period, clock.today())
        context = {"names_visible": may_see_personal_data(request.user, village.code)}
        return Response(HonourListsSerializer(lists, context=context).data)


# --- nominations -------------------------------------------------------------------------------


class RedListNominationSerializer(PortalModelSerializer):
    """A nomination; the nominee's name masked unless the caller may see personal data."""

    division = serializers.CharField(source="division_id", read_only=True)
    division_name = serializers.CharField(source="division.qualified_name", read_only=True)
    name = serializers.CharField(source="person.name", read_only=True)
    nominated_by = serializers.CharField(source="nominated_by.username", read_only=True)
    decided_by = serializers.CharField(source="decided_by.username", read_only=True, allow_null=True)

    class Meta:
        model = RedListNomination
        fields = [
            "id",
            "division",
            "division_name",
            "person",
            "name",
            "period",
            "reason",
            "status",
            "nominated_by",
            "nominated_at",
            "decided_by",
            "decided_on",
        ]
        read_only_fields = fields

    def to_representation(self, nomination):
        data = super().to_representation(nomination)
        request = self.context.get("request")
        visible = bool(request and may_see_personal_data(request.user, nomination.person.division_id))
        data["name"] = name_as_seen(data["name"], visible=visible)
        return data


class NominateSerializer(serializers.Serializer):
    """What a nomination takes; the service judges the period, the person and the reason."""

    division = serializers.CharField(help_text=gettext_lazy("村（社区）代码"), max_length=20)
    person = serializers.IntegerField(help_text=gettext_lazy("被提名人 id"))
    period = serializers.CharField(help_text=gettext_lazy("期间，如 2026"), max_length=10)
    reason = serializers.CharField(help_text=gettext_lazy("事迹"), max_length=4000)


class DecideSerializer(serializers.Serializer):
    decided_on = serializers.DateField(required=False, help_text=gettext_lazy("审批日期，默认今天"))


class RedListNominationViewSet(WorkflowRecordViewSet):
    """Red list nominations: created with POST, decided or withdrawn by actions, never edited."""

    queryset = RedListNomination.objects.select_related(*NOMINATION_RELATED).order_by("division_id", "-period", "id")
    serializer_class = RedListNominationSerializer
    filterset_class = RedListNominationFilterSet
    action_permissions = {"approve": "approve", "reject": "approve", "withdraw": "change"}

    @extend_schema(request=NominateSerializer, responses={201: RedListNominationSerializer})
    def create(self, request, *args, **kwargs):
        """Nominate a person registered in the village for its red list of a period."""
        form = NominateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        division = division_in_scope(request.user, data["division"])
        person = Person.objects.restrict(request.user, "view").filter(pk=data["person"]).first()
        if person is None:
            raise exceptions.ValidationError({"person": [_("本村（社区）没有该人员。")]})
        nomination = services.nominate(
            acting_user=request.user, division=division, person=person, period=data["period"], reason=data["reason"]
        )
        return Response(self.get_serializer(self.answer_instance(nomination)).data, status=status.HTTP_201_CREATED)

    @record_action(body=DecideSerializer, answer=RedListNominationSerializer)
    def approve(self, nomination, data, *, acting_user):
        """Approve a proposed nomination: another user than the nominator (four eyes)."""
        return services.approve_nomination(nomination, acting_user=acting_user, **data)

    @record_action(body=DecideSerializer, answer=RedListNominationSerializer)
    def reject(self, nomination, data, *, acting_user):
        """Reject a proposed nomination: another user than the nominator (four eyes)."""
        return services.reject_nomination(nomination, acting_user=acting_user, **data)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Take a nomination back: a proposed one, or an approved one while its period runs."""
        services.withdraw_nomination(self.get_object(), acting_user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
