"""The API of visits, visiting cadres and their quotas, kept contacts (docs/api.md, "Visits"):

- `GET|POST /api/v1/visiting-cadres/` (`?division=&level=&village=&active=`), `GET|PATCH|DELETE
  .../<id>/`: county and town cadres who visit, with their linked villages (by code);
- `GET|POST /api/v1/visits/` (`?division=` subtree, `?visitor=`, `?after=`, `?before=`), `GET|PATCH
  .../<id>/`: visits, recorded through engagement.services.visits.record_visit;
- `GET|POST /api/v1/kept-contacts/` (`?division=&person=&kind=`), `GET|PUT|PATCH|DELETE .../<id>/`:
  the contacts village cadres and party members keep (Guangxi §10).

All on governance's scoped bases: every object comes from `queryset.restrict(user, action)` (404
outside the jurisdiction, 403 inside it without the right). A write into a division outside the
caller's jurisdiction is 404 and writes nothing; the visitor named must be a cadre the caller
views (else 400 on `visitor`).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Prefetch, ProtectedError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response

from engagement.api.serializers import visits as s
from engagement.filters.visits import KeptContactFilterSet, VisitFilterSet, VisitingCadreFilterSet
from engagement.models import KeptContact, Visit, VisitingCadre
from engagement.services.visits import change_visit, record_visit, save_visiting_cadre
from governance.access.permissions import OUT_OF_SCOPE
from governance.access.querysets import assigned_codes, holds_in
from governance.api.serializers import related_columns
from governance.api.viewsets import ScopedCreateReadUpdateViewSet, ScopedModelViewSet
from governance.people_names import display_name_of
from villages.models import Division, Household

LINKED_VILLAGES = Prefetch("villages", queryset=Division.objects.only("code").order_by("code"))


def refuse_unless_may(user, perm: str, code: str) -> None:
    """404 when the division `code` lies outside the caller's jurisdiction (nothing leaks), 403
    when inside it without `perm` there."""
    if holds_in(user, perm, code):
        return
    if any(code.startswith(assigned) for assigned in assigned_codes(user)):
        raise exceptions.PermissionDenied(_("您无权在该区划登记此记录。"))
    raise exceptions.NotFound(OUT_OF_SCOPE)


class VisitingCadreViewSet(ScopedModelViewSet):
    """Visiting cadres (走访干部) of the counties and towns in the caller's jurisdiction."""

    queryset = VisitingCadre.objects.select_related("division", "user").prefetch_related(LINKED_VILLAGES)
    serializer_class = s.VisitingCadreSerializer
    filterset_class = VisitingCadreFilterSet

    def answer(self, cadre, status_code=status.HTTP_200_OK):
        fresh = type(self).queryset.get(pk=cadre.pk)
        return Response(
            s.VisitingCadreSerializer(fresh, context=self.get_serializer_context()).data, status=status_code
        )

    @extend_schema(request=s.VisitingCadreWriteSerializer, responses={201: s.VisitingCadreSerializer})
    def create(self, request, *args, **kwargs):
        """Add a cadre in a county or town of the caller's jurisdiction (else 404), with the villages
        linked to them (villages of that county or town)."""
        form = s.VisitingCadreWriteSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        refuse_unless_may(request.user, "engagement.add_visitingcadre", data["division"].code)
        cadre = save_visiting_cadre(acting_user=request.user, **data)
        return self.answer(cadre, status.HTTP_201_CREATED)

    @extend_schema(request=s.VisitingCadreWriteSerializer, responses={200: s.VisitingCadreSerializer})
    def update(self, request, *args, **kwargs):
        """Change a cadre (PATCH: only the fields sent); moving them needs the right at both ends."""
        cadre = self.get_object()
        form = s.VisitingCadreWriteSerializer(
            data=request.data, partial=kwargs.get("partial", False), context=self.get_serializer_context()
        )
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        if "division" in data:
            refuse_unless_may(request.user, "engagement.change_visitingcadre", data["division"].code)
        cadre = save_visiting_cadre(acting_user=request.user, cadre=cadre, **data)
        return self.answer(cadre)

    @extend_schema(request=s.VisitingCadreWriteSerializer, responses={200: s.VisitingCadreSerializer})
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def perform_destroy(self, instance):
        """A cadre with visits is kept (their visits name them): 400, set `active` false instead."""
        try:
            with transaction.atomic():
                instance.delete()
        except ProtectedError:
            raise exceptions.ValidationError(
                {"active": [_("该走访干部已有走访记录，不能删除；请将其改为不在任。")]}
            ) from None


# The division's and the visitor's names read with the visit's row (related_columns), the
# recorder's name computed (display_name_of): only a household, when there is one, is built.
VISITS = Visit.objects.select_related("household").annotate(
    recorded_by_name=display_name_of("recorded_by_id"), **related_columns(s.VisitSerializer)
)


class VisitViewSet(ScopedCreateReadUpdateViewSet):
    """Visits (走访记录) to villages, groups and households of the caller's jurisdiction. Never
    deleted (the record of who visited whom stays); corrected with PATCH."""

    queryset = VISITS
    serializer_class = s.VisitSerializer
    filterset_class = VisitFilterSet
    joined_for_writes = ("division", "visitor")  # a correction checks them (engagement.services)
    http_method_names = ["get", "post", "patch", "head", "options"]

    def answer(self, visit, status_code=status.HTTP_200_OK):
        return Response(s.VisitSerializer(VISITS.get(pk=visit.pk)).data, status=status_code)

    @extend_schema(request=s.RecordVisitSerializer, responses={201: s.VisitSerializer})
    def create(self, request, *args, **kwargs):
        """Record a visit by a visiting cadre the caller views to a village or group (and optionally
        one of its households) where the caller may add visits: 404 outside the jurisdiction."""
        form = s.RecordVisitSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        data = form.validated_data
        refuse_unless_may(request.user, "engagement.add_visit", data["division"])
        if not Division.objects.filter(code=data["division"]).exists():
            raise exceptions.ValidationError(
                {"division": [_("没有代码为 %(code)s 的村社。") % {"code": data["division"]}]}
            )
        visitor = VisitingCadre.objects.restrict(request.user, "view").filter(pk=data["visitor"]).first()
        if visitor is None:
            raise exceptions.ValidationError({"visitor": [_("在您的辖区内没有该走访干部。")]})
        visit = record_visit(
            acting_user=request.user,
            visitor=visitor,
            division_code=data["division"],
            visited_on=data["visited_on"],
            household=household_of(data.get("household")),
            raised=data["raised"],
            outcome=data["outcome"],
        )
        return self.answer(visit, status.HTTP_201_CREATED)

    @extend_schema(request=s.ChangeVisitSerializer, responses={200: s.VisitSerializer})
    def partial_update(self, request, *args, **kwargs):
        """Correct a visit's day, household, what was raised or what came of it."""
        visit = self.get_object()
        form = s.ChangeVisitSerializer(data=request.data, partial=True, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        if "household" in data:
            data["household"] = household_of(data["household"])
        change_visit(visit, acting_user=request.user, **data)
        return self.answer(visit)


def household_of(pk: int | None) -> Household | None:
    """The household with this id (None for none); 400 on `household` when there is none. Whether
    it lies in the visited division is the visit's own rule (Visit.clean)."""
    if pk is None:
        return None
    household = Household.objects.filter(pk=pk).first()
    if household is None:
        raise exceptions.ValidationError({"household": [_("没有该户。")]})
    return household


class KeptContactViewSet(ScopedModelViewSet):
    """Contacts kept by village cadres and party members (联系户, 致富能手: Guangxi §10), in the
    caller's jurisdiction (the person's village)."""

    queryset = KeptContact.objects.select_related("person", "household")
    serializer_class = s.KeptContactSerializer
    filterset_class = KeptContactFilterSet


# (prefix, viewset, basename) of each route, registered by engagement/api/urls.py.
ROUTES: tuple = (
    ("visiting-cadres", VisitingCadreViewSet, "visitingcadre"),
    ("visits", VisitViewSet, "visit"),
    ("kept-contacts", KeptContactViewSet, "keptcontact"),
)
