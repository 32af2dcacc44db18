"""The FilterSets of the supervision app: those of its API's lists and of its register's pages."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from supervision.choices import DisciplinaryKind
from supervision.models import (
    ConductNegativeItem,
    DisciplinarySanction,
    Disclosure,
    DisclosureItem,
    DutyReportEvaluation,
    Scheme,
    ScoringRun,
)
from villages.filters import division_picker


def subtree_filter(field_name: str) -> django_filters.CharFilter:
    """A division code that keeps the rows of its subtree (the code and every code under it)."""
    return django_filters.CharFilter(field_name=field_name, lookup_expr="startswith", label=_("区划代码（含下级）"))


# --- the API's ---------------------------------------------------------------------------------------


class SchemeFilterSet(django_filters.FilterSet):
    division = subtree_filter("division__code")
    period = django_filters.CharFilter(label=_("考核期间"))
    level = django_filters.CharFilter(label=_("考核对象"))

    class Meta:
        model = Scheme
        fields = ["division", "period", "level"]


class ScoringRunFilterSet(django_filters.FilterSet):
    scheme = django_filters.NumberFilter(label=_("考核方案"))
    state = django_filters.CharFilter(label=_("状态"))

    class Meta:
        model = ScoringRun
        fields = ["scheme", "state"]


class DisclosureItemFilterSet(django_filters.FilterSet):
    division = subtree_filter("division__code")
    cadence = django_filters.CharFilter(label=_("公开频次"))

    class Meta:
        model = DisclosureItem
        fields = ["division", "cadence"]


class DisclosureFilterSet(django_filters.FilterSet):
    division = subtree_filter("item__division__code")
    overdue_on = django_filters.DateFilter(method="filter_overdue", label=_("截至该日逾期未公开"))

    class Meta:
        model = Disclosure
        fields = ["division", "item"]

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue(value)


class DutyReportFilterSet(django_filters.FilterSet):
    unit = django_filters.CharFilter(field_name="unit__code", lookup_expr="startswith", label=_("述职单位"))
    period = django_filters.CharFilter(label=_("考核期间"))

    class Meta:
        model = DutyReportEvaluation
        fields = ["unit", "period"]


class ConductNegativeItemFilterSet(django_filters.FilterSet):
    division = subtree_filter("division__code")

    class Meta:
        model = ConductNegativeItem
        fields = ["division"]


class RecordFilterSet(django_filters.FilterSet):
    """What the API's lists of supervision records filter on: where, whom, standing or not."""

    division = subtree_filter("division__code")
    person = django_filters.NumberFilter(field_name="person_id", label=_("人员"))
    standing = django_filters.BooleanFilter(
        field_name="corrected_by", lookup_expr="isnull", label=_("现行记录（未被更正）")
    )


def record_filterset(record_model) -> type[RecordFilterSet]:
    """RecordFilterSet for one kind of record."""
    return type(
        f"{record_model.__name__}FilterSet",
        (RecordFilterSet,),
        {"Meta": type("Meta", (), {"model": record_model, "fields": ["division", "person", "standing"]})},
    )


class SanctionFilterSet(RecordFilterSet):
    in_force_on = django_filters.DateFilter(method="filter_in_force_on", label=_("在该日执行中"))
    kind = django_filters.ChoiceFilter(choices=DisciplinaryKind.choices, label=_("处分种类"))

    class Meta:
        model = DisciplinarySanction
        fields = ["division", "person", "standing", "kind", "in_force_on"]

    def filter_in_force_on(self, queryset, name, value):
        return queryset.in_force_on(value)


# --- the pages' ---------------------------------------------------------------------------------------


class RecordPageFilterSet(django_filters.FilterSet):
    """What the register's lists filter on: a division picked by name, the person's name, standing."""

    division = django_filters.CharFilter(method="filter_subtree", label=_("村社（含下级）"), widget=division_picker())
    name = django_filters.CharFilter(field_name="person__name", lookup_expr="contains", label=_("姓名"))
    standing = django_filters.BooleanFilter(
        field_name="corrected_by", lookup_expr="isnull", label=_("仅现行记录（未被更正）")
    )

    def filter_subtree(self, queryset, name, value):
        return queryset.filter(division__code__startswith=value)


def record_page_filterset(record_model) -> type[RecordPageFilterSet]:
    """RecordPageFilterSet for one kind of record."""
    return type(
        f"{record_model.__name__}PageFilterSet",
        (RecordPageFilterSet,),
        {"Meta": type("Meta", (), {"model": record_model, "fields": ["division", "name", "standing"]})},
    )
