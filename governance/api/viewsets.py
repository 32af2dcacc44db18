"""The base viewset: the queryset is restricted once, in initial(), from the HTTP method.

As in NetBox's BaseViewSet, every object a request reaches comes from
`queryset.restrict(user, action)`. Writes are re-checked against the restricted queryset inside
their transaction: a record created or moved outside the caller's scope is rolled back.
"""

from django.db import transaction
from django.db.models import Model
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS

from governance.access.permissions import HTTP_ACTIONS, OUT_OF_SCOPE, lookup_of
from governance.access.querysets import FORBIDDEN, lies_in_jurisdiction, write_target_refusal
from governance.api.serializers import AuditEventSerializer
from governance.audit import history_of
from governance.privacy import may_see_personal_data
from governance.registry import get_division_model


class ScopedViewSetMixin:
    """Restricts `queryset` to the caller's jurisdiction for the action the method needs."""

    # Viewset actions whose HTTP method is not what they need: {"decide": "approve"} makes
    # POST .../decide/ need the approve permission instead of add.
    action_permissions: dict[str, str] = {}

    # Relations a write's validation or service reads from the record it acts on, joined for
    # writes only: a read answers their columns from its own row (related_columns) and would
    # build an instance per row for nothing.
    joined_for_writes: tuple[str, ...] = ()

    @property
    def required_action(self) -> str:
        """The permission action this request needs (read by ScopedActionPermission too)."""
        return self.action_permissions.get(getattr(self, "action", None), "") or HTTP_ACTIONS.get(
            self.request.method, "view"
        )

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.scope_action = self.required_action
        self.queryset = self.queryset.restrict(request.user, self.scope_action)

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.joined_for_writes and self.request.method not in SAFE_METHODS:
            return queryset.select_related(*self.joined_for_writes)
        return queryset

    def filter_queryset(self, queryset):
        """The filter backends, unless the request has no query parameter at all: then every
        filter of a FilterSet lets every row through (django-filter skips empty values), and
        building the FilterSet and its form was a millisecond of each detail and bare list."""
        if not self.request.query_params:
            return queryset
        return super().filter_queryset(queryset)

    def get_object(self):
        """404 when the object lies outside the caller's jurisdiction (or does not exist); 403
        when it lies inside it but the caller may not do this to it."""
        try:
            return super().get_object()
        except Http404:  # what DRF's get_object raises (through get_object_or_404)
            lookup = lookup_of(self)
            if lookup is not None and lies_in_jurisdiction(self.request.user, self.queryset.model, **lookup):
                raise exceptions.PermissionDenied(_("您无权对该记录执行此操作。")) from None
            raise exceptions.NotFound(OUT_OF_SCOPE) from None

    def check_write_target(self, instance, action: str) -> None:
        """Raise (rolling the transaction back) unless `instance` lies where the caller may `action`."""
        refusal = write_target_refusal(self.request.user, instance, action)
        if refusal == FORBIDDEN:
            raise exceptions.PermissionDenied(_("您无权在该区划登记此记录。"))
        if refusal is not None:
            raise exceptions.NotFound(OUT_OF_SCOPE)

    def perform_create(self, serializer):
        with transaction.atomic():
            instance = serializer.save()
            self.check_write_target(instance, "add")

    def perform_update(self, serializer):
        with transaction.atomic():
            instance = serializer.save()
            self.check_write_target(instance, "change")

    def perform_destroy(self, instance):
        with transaction.atomic():
            instance.delete()


class HistoryMixin:
    """GET <object>/history/: the object's audit trail, for those who may view the object."""

    # A page of events, not the record; the viewset's list filters do not apply.
    @extend_schema(
        responses=AuditEventSerializer(many=True), filters=False, description="The record's audit trail, newest first."
    )
    @action(detail=True, methods=["get"], url_path="history")
    def history(self, request, *args, **kwargs):
        instance = self.get_object()
        # Newest first; events written in one transaction share their time, the id breaks the tie.
        events = history_of(instance)
        page = self.paginate_queryset(events)
        context = {
            **self.get_serializer_context(),
            # Snapshots carry the personal data of the record: masked like the record itself.
            "personal_data_visible": may_see_personal_data(request.user, instance.scope_code()),
        }
        return self.get_paginated_response(AuditEventSerializer(page, many=True, context=context).data)


class ScopedReadOnlyViewSet(ScopedViewSetMixin, HistoryMixin, viewsets.ReadOnlyModelViewSet):
    pass


class ScopedModelViewSet(ScopedViewSetMixin, HistoryMixin, viewsets.ModelViewSet):
    pass


class ScopedCreateReadUpdateViewSet(
    ScopedViewSetMixin,
    HistoryMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """Records that are never deleted through the API (people, positions: lifelong accountability)."""


class FreshAnswerMixin:
    """A workflow action answers the record as its list and detail show it: read afresh through
    the viewset's own queryset (its relations and annotations, one query) after the service's
    change (governance.api.actions.record_action's `answer_instance`). An answer that is not a
    record (a count) is answered as it is."""

    def answer_instance(self, result):
        if isinstance(result, Model):
            # The class's queryset: the record was found in the caller's scope before the action.
            return type(self).queryset.get(pk=result.pk)
        return result


class WorkflowRecordViewSet(
    FreshAnswerMixin,
    ScopedViewSetMixin,
    HistoryMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """Records created with POST, listed and read in scope (with their history), never edited nor
    deleted: what happens to them next are the workflow actions (record_action)."""


def division_in_scope(user, code: str):
    """The division `code` among those `user` may view (with its parent): 404 otherwise, worded as
    for any record out of scope (nothing leaks)."""
    division = get_division_model().objects.restrict(user, "view").filter(code=code).select_related("parent").first()
    if division is None:
        raise exceptions.NotFound(OUT_OF_SCOPE)
    return division
