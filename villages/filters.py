"""django-filter filter sets for the villages lists (API and pages share them)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from governance.pages.widgets import PickerWidget
from villages.models import Division, FilingStatus, Household, Level, Person, Position, PositionFiling, PositionKind
from villages.querysets import in_area


def division_picker() -> PickerWidget:
    """The search box a page shows for a division filter: a name picks the code (a code typed
    or given in the URL, as the API takes it, still works)."""
    return PickerWidget("villages.division", placeholder=_("输入名称或代码"))


def in_division_area(queryset, code: str):
    """The rows of the division `code`'s subtree, and of the divisions merged into it (撤并: a
    merged village's people are its successor's, Division.objects.area_codes)."""
    return queryset.filter(in_area("division__code", Division.objects.area_codes(code)))


class DivisionFilterSet(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(choices=Level.choices, label=_("层级"))
    parent = django_filters.CharFilter(field_name="parent_id", label=_("上级代码"))
    code_prefix = django_filters.CharFilter(field_name="code", lookup_expr="startswith", label=_("代码前缀"))
    search = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("名称"))
    active = django_filters.BooleanFilter(field_name="retired_on", lookup_expr="isnull", label=_("在用"))

    class Meta:
        model = Division
        fields = ["level", "parent", "code_prefix", "search", "active"]


class PersonFilterSet(django_filters.FilterSet):
    division = django_filters.CharFilter(
        method="filter_subtree", label=_("所属区划（含下级）"), widget=division_picker()
    )
    search = django_filters.CharFilter(method="filter_search", label=_("姓名"))
    gender = django_filters.ChoiceFilter(choices=[("male", _("男")), ("female", _("女"))], label=_("性别"))
    household = django_filters.NumberFilter(field_name="household_id", label=_("户"))

    class Meta:
        model = Person
        fields = ["division", "search", "gender", "household"]

    def filter_subtree(self, queryset, name, value):
        return in_division_area(queryset, value)

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value))


class PositionFilterSet(django_filters.FilterSet):
    division = django_filters.CharFilter(
        method="filter_subtree", label=_("任职区划（含下级）"), widget=division_picker()
    )
    kind = django_filters.ChoiceFilter(choices=PositionKind.choices, label=_("职务"))
    person = django_filters.NumberFilter(field_name="person_id", label=_("人员"))
    current = django_filters.BooleanFilter(method="filter_current", label=_("现任"))
    search = django_filters.CharFilter(field_name="person__name", lookup_expr="icontains", label=_("姓名"))

    class Meta:
        model = Position
        fields = ["division", "kind", "person", "current", "search"]

    def filter_subtree(self, queryset, name, value):
        return in_division_area(queryset, value)

    def filter_current(self, queryset, name, value):
        current = queryset.current()
        return current if value else queryset.exclude(pk__in=current.values("pk"))


class HouseholdFilterSet(django_filters.FilterSet):
    division = django_filters.CharFilter(method="filter_subtree", label=_("所属区划代码（含下级）"))
    number = django_filters.CharFilter(field_name="number", label=_("户号"))

    class Meta:
        model = Household
        fields = ["division", "number"]

    def filter_subtree(self, queryset, name, value):
        return in_division_area(queryset, value)


class FilingFilterSet(django_filters.FilterSet):
    """Filings (备案) for the review page: by status, by the division of the position (subtree)
    or the division it is filed with, by the name of the person."""

    status = django_filters.ChoiceFilter(choices=FilingStatus.choices, label=_("状态"))
    division = django_filters.CharFilter(
        method="filter_subtree", label=_("任职区划（含下级）"), widget=division_picker()
    )
    filed_with = django_filters.CharFilter(field_name="filed_with_id", label=_("备案机关代码"))
    search = django_filters.CharFilter(field_name="position__person__name", lookup_expr="icontains", label=_("姓名"))

    class Meta:
        model = PositionFiling
        fields = ["status", "division", "filed_with", "search"]

    def filter_subtree(self, queryset, name, value):
        return queryset.filter(position__division__code__startswith=value)
