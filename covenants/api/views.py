"""API views of the covenants app (docs/api.md, "Covenants" and "Eligibility").

All on governance's scoped bases: every object comes from `queryset.restrict(user, action)`.
Writes go through covenants.services, which re-check the acting user's right inside their
transaction (four eyes included).
"""

import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from covenants import services
from covenants.api import serializers
from covenants.choices import CovenantKind, Severity, VersionStatus
from covenants.models import Clause, Covenant, CovenantVersion, EligibilityQuery, Violation
from covenants.services import sanctions
from governance.access.permissions import OUT_OF_SCOPE, IsSignedIn
from governance.api.viewsets import HistoryMixin, ScopedReadOnlyViewSet, ScopedViewSetMixin
from governance.clock import today
from villages.models import Person

# --- filters ---------------------------------------------------------------------------------------


class ClauseFilterSet(django_filters.FilterSet):
    division = django_filters.CharFilter(
        field_name="version__covenant__division__code",
        lookup_expr="startswith",
        label=gettext_lazy("区划代码（含下级）"),
    )
    kind = django_filters.ChoiceFilter(
        field_name="version__covenant__kind", choices=CovenantKind.choices, label=gettext_lazy("公约类别")
    )
    covenant = django_filters.NumberFilter(field_name="version__covenant_id", label=gettext_lazy("公约"))

    class Meta:
        model = Clause
        fields = ["division", "kind", "covenant"]


class CovenantFilterSet(django_filters.FilterSet):
    division = django_filters.CharFilter(
        field_name="division__code", lookup_expr="startswith", label=gettext_lazy("区划代码（含下级）")
    )
    kind = django_filters.ChoiceFilter(choices=CovenantKind.choices, label=gettext_lazy("公约类别"))

    class Meta:
        model = Covenant
        fields = ["division", "kind"]


class CovenantVersionFilterSet(django_filters.FilterSet):
    covenant = django_filters.NumberFilter(field_name="covenant_id", label=gettext_lazy("公约"))
    status = django_filters.ChoiceFilter(choices=VersionStatus.choices, label=gettext_lazy("状态"))

    class Meta:
        model = CovenantVersion
        fields = ["covenant", "status"]


class ViolationFilterSet(django_filters.FilterSet):
    division = django_filters.CharFilter(
        field_name="division__code", lookup_expr="startswith", label=gettext_lazy("区划代码（含下级）")
    )
    person = django_filters.NumberFilter(field_name="person_id", label=gettext_lazy("人员"))
    severity = django_filters.ChoiceFilter(choices=Severity.choices, label=gettext_lazy("情节"))
    confirmed = django_filters.BooleanFilter(
        field_name="confirmed_on", lookup_expr="isnull", exclude=True, label=gettext_lazy("已认定")
    )

    class Meta:
        model = Violation
        fields = ["division", "person", "severity", "confirmed"]


class EligibilityQueryFilterSet(django_filters.FilterSet):
    person = django_filters.NumberFilter(field_name="person_id", label=gettext_lazy("人员"))
    eligible = django_filters.BooleanFilter(label=gettext_lazy("是否符合资格"))

    class Meta:
        model = EligibilityQuery
        fields = ["person", "action", "eligible"]


# --- covenants, versions, clauses ----------------------------------------------------------------


class ClauseViewSet(ScopedReadOnlyViewSet):
    """Clauses of the covenants in force (their published version) in the caller's jurisdiction;
    `?division=<code>` for one village, `?kind=` for one kind of covenant."""

    queryset = Clause.objects.filter(version__status=VersionStatus.PUBLISHED).select_related("version__covenant")
    serializer_class = serializers.ClauseSerializer
    filterset_class = ClauseFilterSet


class CovenantViewSet(ScopedReadOnlyViewSet):
    """A village's covenants, with the id of the version in force (null when none is)."""

    queryset = Covenant.objects.with_version_in_force()
    serializer_class = serializers.CovenantSerializer
    filterset_class = CovenantFilterSet


class CovenantVersionViewSet(ScopedReadOnlyViewSet):
    """Versions of covenants with their clauses; `POST .../move/` moves one along its review."""

    queryset = CovenantVersion.objects.select_related("covenant").prefetch_related("clauses")
    serializer_class = serializers.CovenantVersionSerializer
    filterset_class = CovenantVersionFilterSet
    # Who may submit, review, file or publish is the service's to say (rights, grants, four eyes).
    action_permissions = {"move": "view"}

    @extend_schema(request=serializers.MoveVersionSerializer, responses=serializers.CovenantVersionSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """Move a version to its next status: submitted, under_review, returned, filed, published."""
        version = self.get_object()
        form = serializers.MoveVersionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        version = services.move_version(
            version,
            acting_user=request.user,
            to=data["to"],
            on=data.get("on") or today(),
            comment=data["comment"],
        )
        fresh = CovenantVersion.objects.select_related("covenant").prefetch_related("clauses").get(pk=version.pk)
        return Response(self.get_serializer(fresh).data)


# --- violations -------------------------------------------------------------------------------------


class ViolationViewSet(
    ScopedViewSetMixin,
    HistoryMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """Violations of covenant clauses. Recorded with POST; never edited nor deleted: confirming,
    the appeal and its decision, and rectification are actions (covenants.services)."""

    queryset = Violation.objects.select_related("person", "clause__version__covenant")
    serializer_class = serializers.ViolationSerializer
    filterset_class = ViolationFilterSet
    # Recording may carry evidence files (multipart); the schema declares multipart only there.
    parser_classes = [JSONParser, MultiPartParser]
    action_permissions = {
        "confirm": "confirm",
        "decide_appeal": "decide_appeal",
        "appeal": "change",
        "rectify": "change",
        "refer": "change",
    }

    def get_serializer(self, *args, **kwargs):
        if args and "data" not in kwargs:
            rows = args[0] if kwargs.get("many") else [args[0]]
            repeated = sanctions.repeats_among({violation.person_id for violation in rows})
            kwargs["context"] = {**self.get_serializer_context(), "repeated": repeated}
        return super().get_serializer(*args, **kwargs)

    def _answer(self, violation, status_code=status.HTTP_200_OK) -> Response:
        fresh = Violation.objects.select_related("person", "clause__version__covenant").get(pk=violation.pk)
        return Response(self.get_serializer(fresh).data, status=status_code)

    @extend_schema(request=serializers.RecordViolationSerializer, responses={201: serializers.ViolationSerializer})
    def create(self, request, *args, **kwargs):
        """Record a violation by a person (found by ID number among those the caller may view)
        of a clause in force in the person's village."""
        form = serializers.RecordViolationSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        data = form.validated_data
        violation = services.record_violation(
            acting_user=request.user,
            person=data["id_number"],
            clause=data["clause"],
            occurred_on=data["occurred_on"],
            facts=data["facts"],
            severity=data["severity"],
            evidence=data.get("evidence", ()),
        )
        return self._answer(violation, status.HTTP_201_CREATED)

    @extend_schema(request=serializers.ConfirmViolationSerializer, responses=serializers.ViolationSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        """Confirm a violation (someone other than who recorded it); its sanctions run from that day."""
        violation = self.get_object()
        form = serializers.ConfirmViolationSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        violation = services.confirm_violation(
            violation,
            acting_user=request.user,
            confirmed_on=form.validated_data["confirmed_on"],
            severity=form.validated_data.get("severity"),
        )
        return self._answer(violation)

    @extend_schema(request=serializers.AppealSerializer, responses=serializers.ViolationSerializer)
    @action(detail=True, methods=["post"])
    def appeal(self, request, pk=None):
        """File the person's appeal against a confirmed violation."""
        violation = self.get_object()
        form = serializers.AppealSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        violation = services.file_appeal(
            violation,
            acting_user=request.user,
            filed_on=form.validated_data["filed_on"],
            reason=form.validated_data["reason"],
        )
        return self._answer(violation)

    @extend_schema(request=serializers.DecideAppealSerializer, responses=serializers.ViolationSerializer)
    @action(detail=True, methods=["post"], url_path="decide-appeal")
    def decide_appeal(self, request, pk=None):
        """Decide an appeal; upheld, it lifts everything the violation caused."""
        violation = self.get_object()
        form = serializers.DecideAppealSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        violation = services.decide_appeal(
            violation,
            acting_user=request.user,
            upheld=form.validated_data["upheld"],
            decided_on=form.validated_data.get("decided_on"),
        )
        return self._answer(violation)

    @extend_schema(request=serializers.RectifySerializer, responses=serializers.ViolationSerializer)
    @action(detail=True, methods=["post"])
    def rectify(self, request, pk=None):
        """Record that the violation was put right: restrictions until rectification end that day."""
        violation = self.get_object()
        form = serializers.RectifySerializer(data=request.data)
        form.is_valid(raise_exception=True)
        violation = services.mark_rectified(
            violation, acting_user=request.user, rectified_on=form.validated_data["rectified_on"]
        )
        return self._answer(violation)

    @extend_schema(request=serializers.ReferSerializer, responses=serializers.ViolationSerializer)
    @action(detail=True, methods=["post"])
    def refer(self, request, pk=None):
        """Refer a confirmed serious violation to a department (移送)."""
        violation = self.get_object()
        form = serializers.ReferSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        violation = services.refer_violation(violation, acting_user=request.user, **form.validated_data)
        return self._answer(violation)


# --- sanctions -------------------------------------------------------------------------------------


class SanctionViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Sanctions derived from standing violations (nothing stored), per person the caller may
    view who has any: `?person=<id>` or `?division=<code>`, judged on `?on=` (default today).
    One query for the page of people, one for all their violations."""

    queryset = Person.objects.all()
    serializer_class = serializers.PersonSanctionsSerializer
    filter_backends: list = []  # the query parameters are read by SanctionsQuerySerializer

    def get_queryset(self):
        return self.queryset.restrict(self.request.user, "view")

    @extend_schema(
        parameters=[
            OpenApiParameter("person", OpenApiTypes.INT, description="人员 id"),
            OpenApiParameter("division", OpenApiTypes.STR, description="区划代码（含下级）"),
            OpenApiParameter("on", OpenApiTypes.DATE, description="判断是否施行中的日期，默认今天"),
        ]
    )
    def list(self, request, *args, **kwargs):
        form = serializers.SanctionsQuerySerializer(data=request.query_params)
        form.is_valid(raise_exception=True)
        query = form.validated_data
        people = self.get_queryset().filter(Exists(Violation.objects.standing().filter(person_id=OuterRef("pk"))))
        if "person" in query:
            people = people.filter(pk=query["person"])
        if query.get("division"):
            people = people.filter(division__code__startswith=query["division"])
        page = self.paginate_queryset(people.only("pk", "name", "division_id").order_by("division_id", "pk"))
        context = {
            **self.get_serializer_context(),
            "on": query.get("on") or today(),
            "sanctions": sanctions.sanctions_of([person.pk for person in page]),
        }
        return self.get_paginated_response(serializers.PersonSanctionsSerializer(page, many=True, context=context).data)


# --- eligibility -----------------------------------------------------------------------------------


class EligibilityThrottle(ScopedRateThrottle):
    """The eligibility question's rate (settings: DEFAULT_THROTTLE_RATES["eligibility"])."""


class EligibilityViewSet(viewsets.GenericViewSet):
    """POST /api/v1/eligibility/: may the person with this ID number do `action` on `on`?

    The person is looked up among those the caller may view (else 404, so nothing leaks); every
    question is logged (EligibilityQuery). POST, so that ID numbers stay out of URLs and logs."""

    permission_classes = [IsSignedIn]
    throttle_classes = [EligibilityThrottle]
    throttle_scope = "eligibility"
    serializer_class = serializers.EligibilityQuestionSerializer

    @extend_schema(
        request=serializers.EligibilityQuestionSerializer,
        responses={200: serializers.EligibilityAnswerSerializer},
    )
    def create(self, request, *args, **kwargs):
        form = serializers.EligibilityQuestionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        person = Person.objects.restrict(request.user, "view").with_id_number(data["id_number"]).first()
        if person is None:
            raise exceptions.NotFound(OUT_OF_SCOPE)
        answer = services.ask_eligibility(person, acting_user=request.user, action=data["action"], on=data["on"])
        return Response(serializers.EligibilityAnswerSerializer(answer).data)


class EligibilityQueryViewSet(ScopedReadOnlyViewSet):
    """The log of eligibility questions, read where the person is registered."""

    queryset = EligibilityQuery.objects.select_related("person", "asked_by")
    serializer_class = serializers.EligibilityQuerySerializer
    filterset_class = EligibilityQueryFilterSet
