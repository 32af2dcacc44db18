"""django-filter filter sets of the grids app: the API's lists (docs/api.md, "Grids")."""

from __future__ import annotations

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grids.choices import EventState, Route
from grids.models import EventCategory, Grid, GridEvent
from grids.querysets import overdue_condition

# --- the API's ---------------------------------------------------------------------------------------


def in_subtree_of(field_name: str = "division__code") -> django_filters.CharFilter:
    """`?division=<code>`: the records of that division and of those under it."""
    return django_filters.CharFilter(field_name=field_name, lookup_expr="startswith", label=_("区划代码（含下级）"))


class EventCategoryFilterSet(django_filters.FilterSet):
    district = django_filters.CharFilter(field_name="district_id", label=_("区县代码"))
    active = django_filters.BooleanFilter(label=_("启用"))

    class Meta:
        model = EventCategory
        fields = ["district", "active"]


class GridFilterSet(django_filters.FilterSet):
    division = in_subtree_of()

    class Meta:
        model = Grid
        fields = ["division"]


class GridEventFilterSet(django_filters.FilterSet):
    """`?division=` (with its subtree), `?state=`, `?overdue=true|false` (not handled by its due
    time, judged now: GridEventQuerySet.with_overdue), `?category=` (a code), `?grid=`, `?route=`."""

    division = in_subtree_of()
    state = django_filters.ChoiceFilter(choices=EventState.choices, label=_("状态"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("已超期"))
    category = django_filters.CharFilter(field_name="category__code", label=_("事件类别代码"))
    grid = django_filters.NumberFilter(field_name="grid_id", label=_("网格"))
    route = django_filters.ChoiceFilter(choices=Route.choices, label=_("研判结果"))

    class Meta:
        model = GridEvent
        fields = ["division", "state", "overdue", "category", "grid", "route"]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        condition = overdue_condition(timezone.now())
        return queryset.filter(condition) if value else queryset.exclude(condition)
