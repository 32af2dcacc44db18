"""What the covenants viewsets share."""

from __future__ import annotations

from django.db.models import Model
from rest_framework import exceptions, mixins, viewsets

from governance.access.permissions import OUT_OF_SCOPE
from governance.api.viewsets import HistoryMixin, ScopedViewSetMixin
from villages.models import Division


def division_in_scope(user, code: str) -> Division:
    """The division `code` among those `user` may view (with its parent): 404 otherwise, worded as
    for any record out of scope (nothing leaks)."""
    division = Division.objects.restrict(user, "view").filter(code=code).select_related("parent").first()
    if division is None:
        raise exceptions.NotFound(OUT_OF_SCOPE)
    return division


class FreshAnswerMixin:
    """A workflow action answers the record as its list and detail show it: read afresh through
    the viewset's own queryset (its relations and annotations, one query) after the service's
    change (governance.api.actions.record_action's `answer_instance`)."""

    def answer_instance(self, record: Model) -> Model:
        return self.queryset.get(pk=record.pk)


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
