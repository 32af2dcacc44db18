"""API views of the covenants app (docs/api.md, "Covenants" and "Eligibility").

All on governance's scoped bases: every object comes from `queryset.restrict(user, action)`.
Writes go through covenants.services, which re-check the acting user's right inside their
transaction (four eyes included).
"""

from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response

from covenants import services
from covenants.api import serializers
from covenants.choices import VersionStatus
from covenants.filters import (
    ClauseFilterSet,
    CovenantFilterSet,
    CovenantVersionFilterSet,
    EligibilityQueryFilterSet,
    ViolationFilterSet,
)
from covenants.models import Clause, Covenant, CovenantVersion, EligibilityQuery, Violation
from covenants.services import sanctions
from governance.access.permissions import OUT_OF_SCOPE, IsSignedIn
from governance.api.actions import record_action
from governance.api.serializers import column_through, related_columns
from governance.api.throttling import SharedScopedRateThrottle
from governance.api.viewsets import FreshAnswerMixin, ScopedReadOnlyViewSet, WorkflowRecordViewSet
from governance.clock import today
from villages.models import Person

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


class CovenantVersionViewSet(FreshAnswerMixin, ScopedReadOnlyViewSet):
    """Versions of covenants with their clauses; `POST .../move/` moves one along its review."""

    queryset = CovenantVersion.objects.select_related("covenant").prefetch_related("clauses")
    serializer_class = serializers.CovenantVersionSerializer
    filterset_class = CovenantVersionFilterSet
    # Who may submit, review, file or publish is the service's to say (rights, grants, four eyes).
    action_permissions = {"move": "view"}

    @record_action(body=serializers.MoveVersionSerializer, answer=serializers.CovenantVersionSerializer)
    def move(self, version, data, *, acting_user):
        """Move a version to its next status: submitted, under_review, returned, filed, published."""
        return services.move_version(
            version, acting_user=acting_user, to=data["to"], on=data.get("on") or today(), comment=data["comment"]
        )


# --- violations -------------------------------------------------------------------------------------


class ViolationViewSet(WorkflowRecordViewSet):
    """Violations of covenant clauses. Recorded with POST; never edited nor deleted: confirming,
    the appeal and its decision, and rectification are actions (covenants.services)."""

    # A read takes the person's, the clause's and the covenant's columns with the violation's row
    # (related_columns): no person, clause, version and covenant built per violation.
    queryset = Violation.objects.annotate(
        **related_columns(serializers.ViolationSerializer),
        **{serializers.PERSON_DIVISION: column_through(Violation, "person.division_id")},
    )
    serializer_class = serializers.ViolationSerializer
    filterset_class = ViolationFilterSet
    joined_for_writes = ("person", "clause__version__covenant")  # covenants.services reads them
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
        if args and kwargs.get("many"):
            # A page of violations: their repeats judged in one query (one alone judges itself).
            repeated = sanctions.repeats_among({violation.person_id for violation in args[0]})
            kwargs["context"] = {**self.get_serializer_context(), "repeated": repeated}
        return super().get_serializer(*args, **kwargs)

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
        return Response(self.get_serializer(self.answer_instance(violation)).data, status=status.HTTP_201_CREATED)

    @record_action(body=serializers.ConfirmViolationSerializer, answer=serializers.ViolationSerializer)
    def confirm(self, violation, data, *, acting_user):
        """Confirm a violation (someone other than who recorded it); its sanctions run from that day."""
        return services.confirm_violation(
            violation, acting_user=acting_user, confirmed_on=data["confirmed_on"], severity=data.get("severity")
        )

    @record_action(body=serializers.AppealSerializer, answer=serializers.ViolationSerializer)
    def appeal(self, violation, data, *, acting_user):
        """File the person's appeal against a confirmed violation (on `filed_on`, today when absent)."""
        return services.file_appeal(violation, acting_user=acting_user, **data)

    @record_action(
        body=serializers.DecideAppealSerializer, answer=serializers.ViolationSerializer, url_path="decide-appeal"
    )
    def decide_appeal(self, violation, data, *, acting_user):
        """Decide an appeal; upheld, it lifts everything the violation caused."""
        return services.decide_appeal(violation, acting_user=acting_user, **data)

    @record_action(body=serializers.RectifySerializer, answer=serializers.ViolationSerializer)
    def rectify(self, violation, data, *, acting_user):
        """Record that the violation was put right: restrictions until rectification end that day."""
        return services.mark_rectified(violation, acting_user=acting_user, **data)

    @record_action(body=serializers.ReferSerializer, answer=serializers.ViolationSerializer)
    def refer(self, violation, data, *, acting_user):
        """Refer a confirmed serious violation to a department (移送)."""
        return services.refer_violation(violation, acting_user=acting_user, **data)


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
        people = Violation.objects.standing().people_among(self.get_queryset())
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


class EligibilityThrottle(SharedScopedRateThrottle):
    """The eligibility question's rate (settings: DEFAULT_THROTTLE_RATES["eligibility"]), one count
    per user for every web worker (governance.api.throttling)."""


class EligibilityViewSet(viewsets.GenericViewSet):
    """POST /api/v1/eligibility/: may the person with this ID number do `action` on `on`?

    A malformed ID number (length, birth date, check digit) is 400 with the field's message; a
    well-formed one is looked up among the people the caller may view (else 404, so nothing leaks);
    every question is logged (EligibilityQuery). POST, so that ID numbers stay out of URLs and logs."""

    permission_classes = [IsSignedIn]
    throttle_classes = [EligibilityThrottle]
    throttle_scope = "eligibility"
    serializer_class = serializers.EligibilityQuestionSerializer

    @extend_schema(
        request=serializers.EligibilityQuestionSerializer,
        responses={200: serializers.EligibilityAnswerSerializer},
        description=(
            'May the person with this ID number do `action` on `on`? 400 `{"id_number": [message]}` for a '
            "malformed ID number (length, birth date, check digit; GB 11643); 404 for a well-formed one of "
            "nobody in the caller's jurisdiction. Each reason names the tier that applied and why (`tier`: "
            "`violation`, `serious`, `repeat`; `text`). `eligible_from` is null when eligible, or when a bar "
            "lasts until the violation is rectified (`homestead_allocation`)."
        ),
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
