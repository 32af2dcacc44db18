"""The rights_lists API: lists, the items in force for a division, and decisions with their
steps, publications, implementation and withdrawal (docs/api.md, "Matters-power lists and
decisions"; DESIGN.md section 7).

Every queryset starts from `restrict(user, action)` (governance/api/viewsets.py). Lists and items
are read where restrict() allows and also below their owner (a district template by the villages
that adopt it: querysets.ReadableFromBelow); `?division=<code>` answers what is in force there
for a caller who may view lists in that division, and nothing for another. Writes go through
rights_lists.services, which re-check the acting user's right inside their transaction.
"""

from django.db.models import Count
from django.http import HttpResponse
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema
from rest_framework import exceptions, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from governance.access.permissions import OUT_OF_SCOPE, IsSignedIn
from governance.access.querysets import assigned_codes, holds_in
from governance.api.actions import record_action
from governance.api.serializers import related_columns
from governance.api.viewsets import FreshAnswerMixin as BaseFreshAnswerMixin
from governance.api.viewsets import HistoryMixin, ScopedReadOnlyViewSet, ScopedViewSetMixin, WorkflowRecordViewSet
from governance.uploads import file_response
from rights_lists import rules, services, xlsx
from rights_lists.api import serializers
from rights_lists.filters import DecisionFilterSet, ListItemFilterSet, RightsListFilterSet
from rights_lists.models import Decision, DecisionAttachment, ListItem, QuorumRule, RightsList

DIVISION_PARAMETER = OpenApiParameter(
    "division", OpenApiTypes.STR, description="区划代码：列出在该区划施行的清单（含采用的区级模板）"
)


def _refuse_outside_jurisdiction(user, code: str) -> None:
    """404 for a division outside every assignment of the caller, so nothing leaks."""
    if user.is_superuser:
        return
    if not any(code.startswith(home) for home in assigned_codes(user)):
        raise exceptions.NotFound(OUT_OF_SCOPE)


class ReadableFromBelowMixin:
    """GET reads lists (items) where restrict() allows and below their owner; `?division=` reads
    what is in force in a division where the caller may view them."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if self.scope_action == "view":
            self.queryset = type(self).queryset.readable_by(request.user)

    def in_force_in_requested_division(self, queryset):
        code = self.request.query_params.get("division")
        if not code or self.action != "list":
            return queryset
        perm = f"rights_lists.view_{queryset.model._meta.model_name}"
        if not holds_in(self.request.user, perm, code):
            return queryset.none()
        return type(self).queryset.in_force_for(code)


class FreshAnswerMixin(BaseFreshAnswerMixin):
    """governance's fresh answer, and `_answer` for create: the row as the viewset reads it."""

    def _answer(self, row, status_code=status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self.answer_instance(row)).data, status=status_code)


class RecordViewSet(FreshAnswerMixin, WorkflowRecordViewSet):
    """Records filed with POST, read, and changed only by their workflow's actions (services):
    never edited nor deleted."""


# --- lists ---------------------------------------------------------------------------------------


class RightsListViewSet(
    FreshAnswerMixin, ReadableFromBelowMixin, ScopedViewSetMixin, HistoryMixin, viewsets.ReadOnlyModelViewSet
):
    """Lists (each version one row). POST creates a draft; `new-version/` copies one with its
    items; `publish/` puts a draft in force; `adopt/` adopts a template in every village of a town;
    `export/` and `import/` carry the items as XLSX (rights_lists.xlsx's template)."""

    queryset = RightsList.objects.annotate(item_count=Count("items")).order_by("owner_id", "kind", "version")
    serializer_class = serializers.RightsListSerializer
    filterset_class = RightsListFilterSet
    # Who may copy, publish, adopt or import is the service's to say, inside its transaction.
    action_permissions = {"new_version": "view", "publish": "view", "adopt": "view", "import_items": "view"}

    def get_queryset(self):
        return self.in_force_in_requested_division(super().get_queryset())

    @extend_schema(parameters=[DIVISION_PARAMETER])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=serializers.CreateListSerializer, responses={201: serializers.RightsListSerializer})
    def create(self, request, *args, **kwargs):
        """Create a draft list of a division (the next version number of its kind)."""
        form = serializers.CreateListSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        _refuse_outside_jurisdiction(request.user, data["owner"].code)
        rights_list = services.create_list(
            acting_user=request.user, owner=data["owner"], kind=data["kind"], title=data["title"]
        )
        return self._answer(rights_list, status.HTTP_201_CREATED)

    @record_action(
        body=None,
        answer=serializers.RightsListSerializer,
        url_path="new-version",
        answer_status=status.HTTP_201_CREATED,
    )
    def new_version(self, rights_list, data, *, acting_user):
        """A draft of the next version, with a copy of every item."""
        return services.new_version(rights_list, acting_user=acting_user)

    @record_action(body=serializers.PublishListSerializer, answer=serializers.RightsListSerializer)
    def publish(self, rights_list, data, *, acting_user):
        return services.publish_list(rights_list, acting_user=acting_user, **data)

    @record_action(body=serializers.AdoptSerializer, answer=serializers.AdoptedSerializer)
    def adopt(self, template, data, *, acting_user):
        """Every village of the town adopts this district template (one INSERT)."""
        _refuse_outside_jurisdiction(acting_user, data["town"].code)
        count = services.adopt_template(
            template, acting_user=acting_user, town=data["town"], adopted_on=data.get("adopted_on")
        )
        return {"adopted": count}

    @extend_schema(responses={(200, xlsx.CONTENT_TYPE): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def export(self, request, pk=None):
        """The list's items as XLSX, in the import template."""
        rights_list = self.get_object()
        response = HttpResponse(xlsx.export_items(rights_list), content_type=xlsx.CONTENT_TYPE)
        filename = f"rights-list-{rights_list.pk}-v{rights_list.version}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    @extend_schema(
        request={"multipart/form-data": serializers.ImportSerializer}, responses={201: serializers.ImportedSerializer}
    )
    @action(detail=True, methods=["post"], url_path="import", parser_classes=[MultiPartParser, FormParser])
    def import_items(self, request, pk=None):
        """Add the rows of an XLSX file to a draft list: all of them, or none with every row's error."""
        rights_list = self.get_object()
        form = serializers.ImportSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        items = services.import_items(rights_list, acting_user=request.user, file=form.validated_data["file"])
        return Response({"imported": len(items)}, status=status.HTTP_201_CREATED)


class ListItemViewSet(ReadableFromBelowMixin, ScopedReadOnlyViewSet):
    """Items of lists. `?division=<code>`: the items in force for that division (its own lists,
    its village's for a cooperative, and the templates it adopted), filterable by `procedure`."""

    queryset = ListItem.objects.select_related("list").order_by("list__kind", "list_id", "id")
    serializer_class = serializers.ListItemSerializer
    filterset_class = ListItemFilterSet

    def get_queryset(self):
        queryset = self.in_force_in_requested_division(super().get_queryset())
        return queryset.select_related("list").order_by("list__kind", "list_id", "id")

    @extend_schema(parameters=[DIVISION_PARAMETER])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


# --- decisions -----------------------------------------------------------------------------------


class DecisionViewSet(RecordViewSet):
    """Decisions with their timeline. Opened with POST; never edited nor deleted: steps,
    publications, implementation and withdrawal are actions (rights_lists.services)."""

    # A read takes the item's and its list's columns with the decision's row (related_columns):
    # no item and list built per decision. A write (its service reads them) joins them.
    queryset = (
        Decision.objects.with_timeline()
        .annotate(**related_columns(serializers.DecisionSerializer))
        .order_by("division_id", "-opened_at", "-id")
    )
    serializer_class = serializers.DecisionSerializer
    filterset_class = DecisionFilterSet
    joined_for_writes = ("item__list",)  # rights_lists.services reads them
    # Whether the caller may record this step (the town's review needs review_decision), publish,
    # implement or withdraw is the service's to say; the decision must be visible to them.
    action_permissions = {
        "steps": "view",
        "publications": "view",
        "implementation": "view",
        "withdraw": "view",
        "attachments": "view",
    }

    def get_serializer_class(self):
        if self.action in ("retrieve", "attachments"):
            return serializers.DecisionDetailSerializer
        return super().get_serializer_class()

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve":
            return queryset.with_attachments()
        return queryset

    @extend_schema(request=serializers.OpenDecisionSerializer, responses={201: serializers.DecisionSerializer})
    def create(self, request, *args, **kwargs):
        """Open a decision in a village or cooperative on an item in force there."""
        form = serializers.OpenDecisionSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        data = form.validated_data
        _refuse_outside_jurisdiction(request.user, data["division"].code)
        decision = services.open_decision(
            acting_user=request.user,
            division=data["division"],
            item=data["item"],
            title=data["title"],
            amount_fen=data.get("amount_fen"),
        )
        return self._answer(decision, status.HTTP_201_CREATED)

    @record_action(
        body=serializers.StepSerializer,
        answer=serializers.DecisionSerializer,
        answer_status=status.HTTP_201_CREATED,
    )
    def steps(self, decision, data, *, acting_user):
        """Record a meeting: refused (400, naming the rule and the numbers) when out of order,
        repeated, dated before the step before, inquorate, or with more votes than present."""
        services.record_step(decision, acting_user=acting_user, **data)
        return decision

    @record_action(
        body=serializers.PublishDecisionSerializer,
        answer=serializers.DecisionSerializer,
        answer_status=status.HTTP_201_CREATED,
    )
    def publications(self, decision, data, *, acting_user):
        """Publish the resolution (after adoption) or the outcome (after implementation)."""
        services.publish_decision(decision, acting_user=acting_user, **data)
        return decision

    @record_action(
        body=serializers.ImplementSerializer,
        answer=serializers.DecisionSerializer,
        answer_status=status.HTTP_201_CREATED,
    )
    def implementation(self, decision, data, *, acting_user):
        services.record_implementation(decision, acting_user=acting_user, **data)
        return decision

    @extend_schema(
        request={"multipart/form-data": serializers.AddAttachmentsSerializer},
        responses={201: serializers.DecisionDetailSerializer},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser, JSONParser])
    def attachments(self, request, pk=None):
        """Add minutes or other files (JPEG, PNG, WebP, HEIC/HEIF or PDF, judged by content, at most
        UPLOAD_MAX_MB each), to a meeting of the decision when `step` names it: all or none."""
        decision = self.get_object()
        if not services.may_add_attachment(request.user, decision):
            raise exceptions.PermissionDenied(gettext_lazy("您无权为该决策添加附件。"))
        form = serializers.AddAttachmentsSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        step = None
        if form.validated_data.get("step") is not None:
            step = decision.steps.filter(pk=form.validated_data["step"]).first()
            if step is None:
                raise exceptions.ValidationError({"step": [gettext_lazy("所选会议不属于该决策。")]})
        services.add_attachments(decision, acting_user=request.user, files=form.validated_data["files"], step=step)
        fresh = type(self).queryset.with_attachments().get(pk=decision.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    @action(
        detail=True,
        methods=["get"],
        url_path=r"attachments/(?P<attachment_pk>[0-9]+)/download",
        url_name="attachment-download",
    )
    def attachment_download(self, request, pk=None, attachment_pk=None):
        """One attachment itself, as a download under its original name (for token clients; the
        browser's link is the portal's /files/ page, which needs the session)."""
        decision = self.get_object()
        attachment = (
            DecisionAttachment.objects.restrict(request.user, "view")
            .filter(decision=decision, pk=attachment_pk)
            .first()
        )
        if attachment is None:
            raise exceptions.NotFound(OUT_OF_SCOPE)
        return file_response(attachment)

    @record_action(body=serializers.WithdrawSerializer, answer=serializers.DecisionSerializer)
    def withdraw(self, decision, data, *, acting_user):
        """Withdraw a decision not yet carried out, with a reason (it is kept)."""
        services.withdraw_decision(decision, acting_user=acting_user, **data)
        return decision


# --- meeting rules -------------------------------------------------------------------------------


class MeetingRuleViewSet(viewsets.GenericViewSet):
    """GET /api/v1/meeting-rules/?division=<code>: the quorum and majority each body follows in
    the division's district (the defaults with their sources, or the district's own), so that a
    form can say which rule a number breaks before it is submitted. Rules are law, not records:
    any signed-in user reads them."""

    permission_classes = [IsSignedIn]
    serializer_class = serializers.MeetingRuleSerializer
    pagination_class = None
    filter_backends: list = []  # the query parameter is read by MeetingRulesQuerySerializer
    queryset = QuorumRule.objects.none()  # for the schema only: the rules are data, not rows

    @extend_schema(
        parameters=[OpenApiParameter("division", OpenApiTypes.STR, required=True, description="区划代码")],
        responses=serializers.MeetingRuleSerializer(many=True),
    )
    def list(self, request, *args, **kwargs):
        form = serializers.MeetingRulesQuerySerializer(data=request.query_params)
        form.is_valid(raise_exception=True)
        in_force = rules.rules_in(form.validated_data["division"])
        overridden = {body for body, (_rule, by_district) in in_force.items() if by_district}
        rows = [rule for rule, _by_district in in_force.values()]
        return Response(serializers.MeetingRuleSerializer(rows, many=True, context={"overridden": overridden}).data)
