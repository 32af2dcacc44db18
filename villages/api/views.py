"""API views of the villages app, all on the scoped base viewsets."""

from drf_spectacular.utils import OpenApiTypes, extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from governance.api.actions import record_action
from governance.api.serializers import related_columns
from governance.api.viewsets import ScopedCreateReadUpdateViewSet, ScopedReadOnlyViewSet
from villages import services
from villages.api import serializers
from villages.filters import DivisionFilterSet, HouseholdFilterSet, PersonFilterSet, PositionFilterSet
from villages.models import Division, Household, Person, Position


class DivisionViewSet(ScopedReadOnlyViewSet):
    """Divisions in the caller's jurisdiction, addressed by their NBS code."""

    queryset = Division.objects.all()
    serializer_class = serializers.DivisionSerializer
    filterset_class = DivisionFilterSet
    lookup_field = "code"
    lookup_value_regex = r"[^/.]+"  # any value: a malformed code answers the API's JSON 404
    action_permissions = {"retire": "change"}

    @extend_schema(responses=serializers.DivisionWithCountsSerializer(many=True))
    @action(detail=True, methods=["get"])
    def children(self, request, code=None):
        """The children of a division, with counts of their children, people and cadres."""
        division = self.get_object()
        children = self.queryset.children_of(division.code).with_counts()
        children = self.filter_queryset(children)
        page = self.paginate_queryset(children)
        return self.get_paginated_response(serializers.DivisionWithCountsSerializer(page, many=True).data)

    # A bare list (a handful of rows, never paged), not filtered.
    @extend_schema(responses=serializers.DivisionSerializer(many=True), filters=False)
    @action(detail=True, methods=["get"], pagination_class=None)
    def ancestors(self, request, code=None):
        """The ancestors of a division within the caller's jurisdiction, from the top down."""
        division = self.get_object()
        ancestors = self.queryset.ancestors_of(division)
        return Response(serializers.DivisionSerializer(ancestors, many=True).data)

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def rollup(self, request, code=None):
        """For each child: how many active divisions of each lower level lie in its subtree."""
        division = self.get_object()
        return Response(self.queryset.rollup(division.code))

    @extend_schema(responses=serializers.ReserveShortfallSerializer(many=True))
    @action(detail=True, methods=["get"], url_path="reserve-shortfall")
    def reserve_shortfall(self, request, code=None):
        """Active villages in the subtree with fewer current reserve cadres (后备干部) than the
        rule asks (MIN_RESERVE_CADRES_PER_VILLAGE), with how many they have."""
        division = self.get_object()
        short = self.queryset.subtree(division.code).villages_short_of_reserve_cadres().order_by("code")
        page = self.paginate_queryset(short)
        return self.get_paginated_response(serializers.ReserveShortfallSerializer(page, many=True).data)

    @record_action(body=serializers.RetireDivisionSerializer, answer=serializers.DivisionSerializer)
    def retire(self, division, data, *, acting_user):
        """Retire a division merged (撤并) into another of the same level; its records stay attached."""
        return services.retire_division(division, acting_user=acting_user, **data)


class PersonViewSet(ScopedCreateReadUpdateViewSet):
    queryset = Person.objects.all()
    serializer_class = serializers.PersonSerializer
    filterset_class = PersonFilterSet
    joined_for_writes = ("division",)  # Person.clean: a retired division takes no one new


class HouseholdViewSet(ScopedCreateReadUpdateViewSet):
    queryset = Household.objects.with_member_count()
    serializer_class = serializers.HouseholdSerializer
    filterset_class = HouseholdFilterSet

    def perform_create(self, serializer):
        super().perform_create(serializer)
        # Answered as a read shows it: with its member count, which only the queryset annotates.
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)


class PositionViewSet(ScopedCreateReadUpdateViewSet):
    # The person's name comes with the position's row (related_columns), not as a person.
    queryset = Position.objects.with_latest_filing_status().annotate(**related_columns(serializers.PositionSerializer))
    serializer_class = serializers.PositionSerializer
    filterset_class = PositionFilterSet
    joined_for_writes = ("person",)  # PositionSerializer.validate
