"""The API of service centres, operating funds, emergency plans and drills (docs/api.md, "Service
centres, funds and emergency plans"):

- `GET|POST /api/v1/service-centres/` (`?division=&level=`), `GET|PATCH .../<id>/`: each with
  `required_area_m2`, `meets_area`, `service_share`, `meets_service_share` (Jiangsu 六);
- `GET|POST /api/v1/operating-funds/` (`?division=&year=`), `GET|PATCH .../<id>/`: amounts in
  fen, with `county_topup_fen` (Jiangsu 十一);
- `GET|POST /api/v1/emergency-plans/` (`?division=&drill_due=`), `GET|PATCH .../<id>/`: with
  `last_drill_on` and `drill_due` judged at the request (Jiangsu 九);
- `GET|POST /api/v1/drills/` (`?division=&plan=&year=`), `GET .../<id>/`.

Nothing is deleted (records, as the audit keeps them). Every write goes through
engagement.services.centres; its target must lie in the caller's jurisdiction (404 otherwise,
403 inside it without the right), each refusal of a rule a 400 on its field in Chinese.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response

from engagement.api.serializers import centres as s
from engagement.filters.centres import (
    DrillFilterSet,
    EmergencyPlanFilterSet,
    OperatingFundFilterSet,
    ServiceCentreFilterSet,
)
from engagement.models import Drill, EmergencyPlan, OperatingFund, ServiceCentre
from engagement.services import centres as services
from governance import clock
from governance.access.permissions import OUT_OF_SCOPE
from governance.access.querysets import assigned_codes, lies_in_jurisdiction
from governance.api.viewsets import ScopedCreateReadUpdateViewSet, WorkflowRecordViewSet


def target_in_jurisdiction(user, code: str) -> None:
    """404 unless the division `code` lies in the caller's jurisdiction (whatever the role): the
    service then answers 403 inside it to a role that may not write there."""
    if not user.is_superuser and not any(code.startswith(assigned) for assigned in assigned_codes(user)):
        raise exceptions.NotFound(OUT_OF_SCOPE)


class ServiceRecordViewSet(ScopedCreateReadUpdateViewSet):
    """Created with POST, corrected with PATCH, through the theme's services; never deleted."""

    http_method_names = ["get", "post", "patch", "head", "options"]
    create_serializer_class = None
    change_serializer_class = None

    def created(self, data, *, acting_user):
        raise NotImplementedError

    def changed(self, instance, data, *, acting_user):
        raise NotImplementedError

    def answer(self, instance, status_code):
        fresh = self.get_queryset_for_answer().get(pk=instance.pk)
        return Response(
            self.get_serializer_class()(fresh, context=self.get_serializer_context()).data, status=status_code
        )

    def get_queryset_for_answer(self):
        return type(self).queryset

    def create(self, request, *args, **kwargs):
        form = self.create_serializer_class(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        target_in_jurisdiction(request.user, self.target_code(data))
        return self.answer(self.created(data, acting_user=request.user), status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        instance = self.get_object()
        form = self.change_serializer_class(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        return self.answer(
            self.changed(instance, dict(form.validated_data), acting_user=request.user), status.HTTP_200_OK
        )

    def target_code(self, data) -> str:
        return data["division"].code


CENTRES = ServiceCentre.objects.select_related("division").order_by("division_id")


class ServiceCentreViewSet(ServiceRecordViewSet):
    """党群服务中心 (1+7+N): a division's centre against 30 m² per 100 households and 70% of
    service and activity space (Jiangsu 六)."""

    queryset = CENTRES
    serializer_class = s.ServiceCentreSerializer
    filterset_class = ServiceCentreFilterSet
    create_serializer_class = s.CentreInputSerializer
    change_serializer_class = s.CentreChangeSerializer

    @extend_schema(request=s.CentreInputSerializer, responses={201: s.ServiceCentreSerializer})
    def create(self, request, *args, **kwargs):
        """Record a division's centre (one each: a second is a 400 on `division`; correct the first
        with PATCH)."""
        return super().create(request, *args, **kwargs)

    @extend_schema(request=s.CentreChangeSerializer, responses={200: s.ServiceCentreSerializer})
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)

    def created(self, data, *, acting_user):
        division = data.pop("division")
        return services.save_centre(acting_user=acting_user, division_code=division.code, new=True, **data)

    def changed(self, instance, data, *, acting_user):
        return services.change_centre(instance, acting_user=acting_user, **data)


class OperatingFundViewSet(ServiceRecordViewSet):
    """运转经费: a village's fund of a year in fen, with the county's top-up to 380,000 yuan."""

    queryset = OperatingFund.objects.order_by("division_id", "-year")
    serializer_class = s.OperatingFundSerializer
    filterset_class = OperatingFundFilterSet
    create_serializer_class = s.FundInputSerializer
    change_serializer_class = s.FundChangeSerializer

    @extend_schema(request=s.FundInputSerializer, responses={201: s.OperatingFundSerializer})
    def create(self, request, *args, **kwargs):
        """Record a village's fund of a year (once a year: a second is a 400 on `year`)."""
        return super().create(request, *args, **kwargs)

    @extend_schema(request=s.FundChangeSerializer, responses={200: s.OperatingFundSerializer})
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)

    def created(self, data, *, acting_user):
        division = data.pop("division")
        return services.record_fund(acting_user=acting_user, division_code=division.code, **data)

    def changed(self, instance, data, *, acting_user):
        return services.change_fund(instance, acting_user=acting_user, **data)


class EmergencyPlanViewSet(ServiceRecordViewSet):
    """应急预案: a community's plans, people trained, the latest drill and whether one is due."""

    queryset = EmergencyPlan.objects.order_by("division_id", "-adopted_on", "id")
    serializer_class = s.EmergencyPlanSerializer
    filterset_class = EmergencyPlanFilterSet
    create_serializer_class = s.PlanInputSerializer
    change_serializer_class = s.PlanChangeSerializer

    def get_queryset(self):
        return super().get_queryset().with_drill_due(clock.today())

    def get_queryset_for_answer(self):
        return type(self).queryset.with_drill_due(clock.today())

    @extend_schema(request=s.PlanInputSerializer, responses={201: s.EmergencyPlanSerializer})
    def create(self, request, *args, **kwargs):
        """Record a village's or community's emergency plan."""
        return super().create(request, *args, **kwargs)

    @extend_schema(request=s.PlanChangeSerializer, responses={200: s.EmergencyPlanSerializer})
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)

    def created(self, data, *, acting_user):
        division = data.pop("division")
        return services.adopt_plan(acting_user=acting_user, division_code=division.code, **data)

    def changed(self, instance, data, *, acting_user):
        return services.change_plan(instance, acting_user=acting_user, **data)


class DrillViewSet(WorkflowRecordViewSet):
    """演练: drills of the plans in the caller's jurisdiction; recorded with POST, never changed."""

    queryset = Drill.objects.select_related("plan").order_by("-held_on", "-id")
    serializer_class = s.DrillSerializer
    filterset_class = DrillFilterSet

    @extend_schema(request=s.DrillInputSerializer, responses={201: s.DrillSerializer})
    def create(self, request, *args, **kwargs):
        """Record a drill of a plan: not after today, not before the plan's adoption (400 on
        `held_on`); a plan outside the jurisdiction is 404."""
        form = s.DrillInputSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        plan = EmergencyPlan.objects.filter(pk=data.pop("plan")).first()
        if plan is None or not lies_in_jurisdiction(request.user, EmergencyPlan, pk=plan.pk):
            raise exceptions.NotFound(OUT_OF_SCOPE)
        drill = services.record_drill(plan, acting_user=request.user, **data)
        fresh = type(self).queryset.get(pk=drill.pk)
        return Response(s.DrillSerializer(fresh).data, status=status.HTTP_201_CREATED)


# (prefix, viewset, basename) of each route, registered by engagement/api/urls.py.
ROUTES: tuple = (
    ("service-centres", ServiceCentreViewSet, "servicecentre"),
    ("operating-funds", OperatingFundViewSet, "operatingfund"),
    ("emergency-plans", EmergencyPlanViewSet, "emergencyplan"),
    ("drills", DrillViewSet, "drill"),
)
