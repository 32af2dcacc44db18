"""The supervision API (docs/api.md, "Assessment (supervision)"):

- `GET /api/v1/indicators/`: the indicators the portal computes;
- `GET|POST /api/v1/schemes/`, `GET /api/v1/schemes/<id>/`: schemes with their indicators;
- `POST /api/v1/schemes/<id>/entries/`: entered scores, all or none (400 naming each bad row);
- `POST /api/v1/schemes/<id>/runs/` → 202; `GET /api/v1/scoring-runs/<id>/`: its progress;
- `GET /api/v1/schemes/<id>/results/?division=<code>`: the stored results, one row per unit;
- `POST /api/v1/schemes/<id>/freeze/`: results frozen, entries and runs then refused (409);
- `GET|POST /api/v1/disclosure-items/`, `GET|POST /api/v1/disclosures/` (`?overdue_on=`).

Every object comes from `Model.objects.restrict(user, action)` (404 outside the jurisdiction,
403 inside it without the right); schemes are read with SchemeQuerySet.readable_by, so the
schemes above a caller whose results they read open too. Writes are supervision.services'
(scoring.py, disclosures.py).
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from governance.access.permissions import OUT_OF_SCOPE, IsSignedIn
from governance.api.actions import read_body, record_action
from governance.api.viewsets import HistoryMixin, ScopedViewSetMixin, division_in_scope
from supervision.api import serializers as s
from supervision.filters import DisclosureFilterSet, DisclosureItemFilterSet, SchemeFilterSet, ScoringRunFilterSet
from supervision.models import Disclosure, DisclosureItem, Result, Scheme, SchemeIndicator, ScoringRun
from supervision.services import disclosures, scoring
from supervision.services.actions import RowErrors
from supervision.services.indicators import computed_indicators


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def as_api_error(error: Exception) -> Exception:
    """This app's own service refusals in the API's shapes: a batch refused row by row (RowErrors)
    is a 400 naming each bad row, a frozen scheme a 409. Django's ValidationError and
    PermissionDenied need nothing: the portal's exception handler answers them (400, 403)."""
    if isinstance(error, RowErrors):
        return exceptions.ValidationError(error.as_detail())
    if isinstance(error, scoring.SchemeFrozen):
        return Conflict(str(error))
    return error


class IndicatorsView(APIView):
    permission_classes = [IsSignedIn]

    # The lists' shape, all in one page.
    @extend_schema(
        responses=inline_serializer(
            "IndicatorList",
            {
                "next": serializers.CharField(allow_null=True),
                "previous": serializers.CharField(allow_null=True),
                "count": serializers.IntegerField(),
                "results": s.IndicatorSerializer(many=True),
            },
        )
    )
    def get(self, request):
        rows = [
            {
                "code": i.code,
                "name": str(i.name),
                "level": str(i.level),
                "levels": [str(level) for level in i.levels],
                "description": str(i.description),
            }
            for i in computed_indicators().values()
        ]
        return Response({"next": None, "previous": None, "count": len(rows), "results": rows})


SCHEMES = Scheme.objects.select_related("division").prefetch_related(
    Prefetch("indicators", queryset=SchemeIndicator.objects.order_by("position", "id"))
)


class SchemeViewSet(
    ScopedViewSetMixin,
    HistoryMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """Assessment schemes; never edited nor deleted through the API (a new version instead)."""

    queryset = SCHEMES.order_by("division_id", "-period", "level", "-version")
    serializer_class = s.SchemeSerializer
    filterset_class = SchemeFilterSet
    action_permissions = {"entries": "view", "results": "view", "runs": "score", "freeze": "freeze"}

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if self.scope_action == "view":
            # Schemes above the caller whose results they read open too (entries are judged by
            # unit in the service).
            self.queryset = SCHEMES.readable_by(request.user).order_by("division_id", "-period", "level", "-version")

    def filter_queryset(self, queryset):
        # The list's filters are not the detail routes' (results take their own `division`).
        return queryset if self.detail else super().filter_queryset(queryset)

    def check_permissions(self, request):
        try:
            super().check_permissions(request)
        except exceptions.NotFound:
            self._refuse_a_readable_scheme()
            raise

    def _refuse_a_readable_scheme(self) -> None:
        pk = self.kwargs.get("pk")
        if pk and str(pk).isdigit() and Scheme.objects.readable_by(self.request.user).filter(pk=pk).exists():
            raise exceptions.PermissionDenied(_("您无权对该考核方案执行此操作。"))

    def get_object(self):
        """As the base's, a scheme the caller may read (one above them whose results they read
        included) but not act on is a 403; one they may not read, a 404."""
        try:
            return super().get_object()
        except exceptions.NotFound:
            self._refuse_a_readable_scheme()
            raise

    def handle_exception(self, exc):
        return super().handle_exception(as_api_error(exc))

    @extend_schema(request=s.CreateSchemeSerializer, responses={201: s.SchemeSerializer})
    def create(self, request, *args, **kwargs):
        data = read_body(self, s.CreateSchemeSerializer)
        scheme = scoring.create_scheme(
            acting_user=request.user, **{**data, "division": division_in_scope(request.user, data["division"])}
        )
        return Response(s.SchemeSerializer(SCHEMES.get(pk=scheme.pk)).data, status=status.HTTP_201_CREATED)

    @record_action(body=s.EntriesSerializer, answer=s.EntriesAnswerSerializer)
    def entries(self, scheme, data, *, acting_user):
        """Save entered scores, all or none."""
        return {"saved": len(scoring.save_entries(scheme, data["entries"], acting_user=acting_user))}

    @record_action(body=None, answer=s.RunStartedSerializer, answer_status=status.HTTP_202_ACCEPTED)
    def runs(self, scheme, data, *, acting_user):
        """Queue a scoring run; its progress is at /scoring-runs/<id>/."""
        run = scoring.request_run(scheme, acting_user=acting_user)
        # The task may have run already (eagerly, without a broker): answer the state it left.
        run.refresh_from_db(fields=["state"])
        return run

    @record_action(body=None, answer=s.SchemeSerializer)
    def freeze(self, scheme, data, *, acting_user):
        """Approve and freeze the scheme's results."""
        return SCHEMES.get(pk=scoring.freeze_scheme(scheme, acting_user=acting_user).pk)

    @extend_schema(responses=s.ResultSerializer(many=True))
    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        """The scheme's stored results the caller may read, one row per unit, by town and rank."""
        scheme = self.get_object()
        division = request.query_params.get("division")
        if division and not (division.isascii() and division.isdigit()):
            raise exceptions.ValidationError({"division": [gettext_lazy("区划代码应为数字。")]})
        rows = Result.objects.restrict(request.user, "view").of_scheme(scheme, division)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(s.ResultSerializer(page, many=True).data)


class ScoringRunViewSet(ScopedViewSetMixin, mixins.RetrieveModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Scoring runs and their progress: `done` counts the units of the chunks finished."""

    queryset = ScoringRun.objects.with_progress().order_by("-id")
    serializer_class = s.ScoringRunSerializer
    filterset_class = ScoringRunFilterSet


class DisclosureItemViewSet(
    ScopedViewSetMixin,
    HistoryMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """A village's disclosure catalogue (公开目录)."""

    queryset = DisclosureItem.objects.order_by("division_id", "title", "id")
    serializer_class = s.DisclosureItemSerializer
    filterset_class = DisclosureItemFilterSet

    @extend_schema(request=s.CreateDisclosureItemSerializer, responses={201: s.DisclosureItemSerializer})
    def create(self, request, *args, **kwargs):
        data = read_body(self, s.CreateDisclosureItemSerializer)
        item = disclosures.add_disclosure_item(
            acting_user=request.user, **{**data, "division": division_in_scope(request.user, data["division"])}
        )
        return Response(s.DisclosureItemSerializer(item).data, status=status.HTTP_201_CREATED)


class DisclosureViewSet(
    ScopedViewSetMixin,
    HistoryMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """Filed (or recorded) disclosures; filing a period again replaces its filing."""

    queryset = Disclosure.objects.select_related("item").order_by("item_id", "period_start", "id")
    serializer_class = s.DisclosureSerializer
    filterset_class = DisclosureFilterSet

    @extend_schema(request=s.FileDisclosureSerializer, responses={201: s.DisclosureSerializer})
    def create(self, request, *args, **kwargs):
        data = read_body(self, s.FileDisclosureSerializer)
        item = DisclosureItem.objects.restrict(request.user, "view").filter(pk=data["item"]).first()
        if item is None:
            raise exceptions.NotFound(OUT_OF_SCOPE)
        disclosure = disclosures.file_disclosure(
            item,
            acting_user=request.user,
            period_day=data["period_day"],
            filed_on=data.get("filed_on"),
            content=data.get("content", ""),
        )
        return Response(
            s.DisclosureSerializer(Disclosure.objects.select_related("item").get(pk=disclosure.pk)).data,
            status=status.HTTP_201_CREATED,
        )
