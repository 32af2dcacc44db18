"""What the API does to stay cheap per request (bench/api_load measures it), each checked to
give the same answers as the costly way it replaced."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from rest_framework import serializers

from governance.api.fields import ChoiceLabelField
from governance.api.pagination import rows_between
from governance.api.serializers import PortalModelSerializer, column_through, related_columns
from governance.testing.api import client_as
from villages.models import Division, Position
from villages.testing.factories import HouseholdFactory, PositionFactory

pytestmark = pytest.mark.django_db


def every_model_serializer_of_the_portal() -> list[type]:
    found, waiting = [], [serializers.ModelSerializer]
    while waiting:
        for subclass in waiting.pop().__subclasses__():
            waiting.append(subclass)
            if subclass.__module__.split(".")[0] not in {"rest_framework", "drf_spectacular", "governance"} or (
                subclass.__module__.startswith("governance.") and subclass is not PortalModelSerializer
            ):
                found.append(subclass)
    return found


def test_every_model_serializer_of_the_portal_builds_its_fields_once_per_class():
    import governance.urls  # noqa: F401  (imports every app's API and with it its serializers)

    serializer_classes = every_model_serializer_of_the_portal()
    assert len(serializer_classes) > 40
    strays = [
        f"{cls.__module__}.{cls.__qualname__}"
        for cls in serializer_classes
        if not issubclass(cls, PortalModelSerializer)
    ]
    assert strays == []


def test_two_serializers_of_one_class_get_fields_of_their_own_bound_to_each():
    class DivisionNames(PortalModelSerializer):
        class Meta:
            model = Division
            fields = ["code", "name", "level"]

    first, second = DivisionNames(), DivisionNames()
    assert list(first.fields) == list(second.fields) == ["code", "name", "level"]
    assert first.fields["name"] is not second.fields["name"]
    assert first.fields["name"].parent is first and second.fields["name"].parent is second
    assert "_fields_built_for_class" in DivisionNames.__dict__
    first.fields["name"].read_only = True  # one instance adapting its copy leaves the class's alone
    assert DivisionNames().fields["name"].read_only is False


def test_a_choice_label_is_what_django_displays_in_each_language_and_an_unknown_value_shows_as_it_is():
    position = PositionFactory()

    class PositionKind(PortalModelSerializer):
        kind_display = ChoiceLabelField("kind")

        class Meta:
            model = Position
            fields = ["kind", "kind_display"]

    for language in ("zh-hans", "en"):
        with translation.override(language):
            assert PositionKind(position).data["kind_display"] == position.get_kind_display()
    position.kind = "no_such_kind"
    assert PositionKind(position).data["kind_display"] == "no_such_kind"


def test_a_page_read_by_its_keys_first_holds_the_rows_and_the_order_of_the_plain_slice():
    for _ in range(7):
        PositionFactory()
    joined = Position.objects.select_related("person", "division").order_by("-started_on", "id")
    for bottom, top in ((0, 3), (3, 6), (6, 9)):
        assert list(rows_between(joined, bottom, top)) == list(joined[bottom:top])
    assert "= ANY(ARRAY(SELECT" in str(rows_between(joined, 0, 3).query)


def test_a_plain_queryset_and_a_distinct_one_keep_the_plain_slice():
    plain = Division.objects.order_by("code")
    distinct = Division.objects.select_related("parent").order_by("code").distinct()
    assert "ARRAY(SELECT" not in str(rows_between(plain, 0, 3).query)
    assert "ARRAY(SELECT" not in str(rows_between(distinct, 0, 3).query)


@pytest.mark.parametrize(
    ("role", "path", "empty_filters"),
    [
        ("town_official", "/api/v1/divisions/", "level=&parent=&code_prefix=&search=&active="),
        ("town_official", "/api/v1/people/", "division=&search=&gender=&household="),
        ("town_official", "/api/v1/positions/", "division=&kind=&person=&current=&search="),
    ],
)
def test_a_list_without_query_parameters_answers_what_its_filters_left_empty_answer(world, role, path, empty_filters):
    # Without any parameter the FilterSet is not built at all (ScopedViewSetMixin.filter_queryset);
    # with every filter present but empty it is: the two must be the same rows.
    for _ in range(3):
        PositionFactory()  # in 罗村 (440605124001), in the town official's town
    client = client_as(role)

    bare = client.get(path)
    filtered = client.get(f"{path}?{empty_filters}")

    assert bare.status_code == filtered.status_code == 200
    assert bare.json()["count"] > 0
    assert bare.json() == filtered.json()


def drfs_own_plan(serializer):
    """Every field read and rendered by DRF's own code (what PortalModelSerializer shortens)."""
    return [(field.field_name, None, field) for field in serializer._readable_fields]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/divisions/?parent=440605124",
        "/api/v1/people/",
        "/api/v1/households/",
        "/api/v1/positions/",
        "/api/v1/grid-events/",
        "/api/v1/visits/",
        "/api/v1/decisions/",
        "/api/v1/violations/",
    ],
)
def test_a_list_answers_the_same_rows_read_straight_from_the_instances_as_read_by_drf(world, path, monkeypatch):
    from covenants.testing.factories import repeat_violations
    from engagement.testing.factories import VisitFactory
    from grids.testing.factories import GridEventFactory
    from rights_lists.testing.factories import DecisionStepFactory

    PositionFactory.create_batch(3)
    HouseholdFactory.create_batch(2)
    GridEventFactory.create_batch(2)
    VisitFactory.create_batch(2)
    DecisionStepFactory.create_batch(2)
    repeat_violations()
    client = client_as("district_admin")

    straight = client.get(path, {"page_size": 1000})
    monkeypatch.setattr("governance.api.serializers.representation_plan", drfs_own_plan)
    by_drf = client.get(path, {"page_size": 1000})

    assert straight.status_code == by_drf.status_code == 200
    assert straight.json()["count"] > 0
    assert straight.json() == by_drf.json()


def test_a_copied_field_shares_nothing_a_request_could_change_with_its_class_or_another_copy():
    from villages.api.serializers import PositionSerializer

    first, second = PositionSerializer(), PositionSerializer()
    person_first, person_second = first.fields["person"], second.fields["person"]
    assert person_first is not person_second
    assert person_first.queryset is not person_second.queryset  # no evaluation is ever shared
    assert person_first.error_messages is not person_second.error_messages
    assert person_first.parent is first and person_second.parent is second


def test_a_field_holding_other_fields_is_copied_whole_so_that_each_copy_binds_its_own():
    class Divisions(PortalModelSerializer):
        children = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
        names = serializers.ListField(child=serializers.CharField(), read_only=True)

        class Meta:
            model = Division
            fields = ["code", "children", "names"]

    first, second = Divisions(), Divisions()
    assert first.fields["children"].child_relation is not second.fields["children"].child_relation
    assert first.fields["children"].child_relation.parent is first.fields["children"]
    assert first.fields["names"].child is not second.fields["names"].child


def test_a_related_column_is_annotated_only_through_foreign_keys_that_cannot_be_null():
    from engagement.models import Visit
    from grids.api.serializers import GridEventSerializer
    from villages.api.serializers import PositionSerializer

    class VisitWithHousehold(PortalModelSerializer):
        household_number = serializers.CharField(source="household.number", read_only=True)
        visitor_name = serializers.CharField(source="visitor.name", read_only=True)

        class Meta:
            model = Visit
            fields = ["id", "household_number", "visitor_name"]

    assert set(related_columns(PositionSerializer)) == {"related_column_person_name"}
    assert set(related_columns(GridEventSerializer)) == {
        "related_column_grid_name",
        "related_column_category",
        "related_column_category_name",
    }
    # The household may be missing (DRF then skips the field, where a join would answer null).
    assert set(related_columns(VisitWithHousehold)) == {"related_column_visitor_name"}


def test_a_record_read_without_its_related_columns_is_answered_through_its_relations():
    from villages.api.serializers import PositionSerializer

    position = PositionFactory()

    plain = PositionSerializer(Position.objects.get(pk=position.pk)).data
    annotated = PositionSerializer(
        Position.objects.annotate(**related_columns(PositionSerializer)).get(pk=position.pk)
    ).data

    assert plain["person_name"] == annotated["person_name"] == position.person.name


def list_querysets() -> dict[str, object]:
    """The querysets of the lists that read related columns, as their viewsets declare them."""
    from covenants.api.views import ViolationViewSet
    from engagement.api.views.visits import VisitViewSet
    from grids.api.views import GridEventViewSet
    from rights_lists.api.views import DecisionViewSet
    from villages.api.views import PersonViewSet, PositionViewSet

    viewsets = (PersonViewSet, PositionViewSet, ViolationViewSet, DecisionViewSet, GridEventViewSet, VisitViewSet)
    return {viewset.__name__: viewset.queryset for viewset in viewsets}


@pytest.mark.parametrize("name", list(list_querysets()))
def test_a_list_with_its_related_columns_is_counted_and_paged_from_its_own_table_alone(name):
    """The related columns are subqueries, not joins: PostgreSQL keeps an inner join even where
    nothing reads the joined table (a town's positions counted through all its people). A key
    that may be null (a visit's household) is a left join, which PostgreSQL leaves out."""
    queryset = list_querysets()[name]

    with CaptureQueriesContext(connection) as counted:
        queryset.count()
    keys = str(rows_between(queryset.order_by("pk"), 0, 2).query)

    assert " INNER JOIN " not in counted.captured_queries[0]["sql"]
    assert " INNER JOIN " not in keys


def test_a_related_column_reads_what_the_relation_holds_and_a_path_through_a_key_that_may_be_null_is_refused():
    from engagement.models import Visit

    PositionFactory.create_batch(2)
    read = list(Position.objects.annotate(name=column_through(Position, "person.name")).order_by("pk"))

    assert [row.name for row in read] == [row.person.name for row in read]
    with pytest.raises(ValueError):
        column_through(Visit, "household.number")


def test_a_write_joins_what_its_service_reads_and_a_read_does_not():
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    from villages.api.views import PositionViewSet

    def queryset_for(method: str):
        view = PositionViewSet()
        view.request = Request(getattr(APIRequestFactory(), method)("/api/v1/positions/1/"))
        return view.get_queryset()

    assert queryset_for("get").query.select_related is False
    assert queryset_for("patch").query.select_related == {"person": {}}
