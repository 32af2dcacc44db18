"""django-filter filter sets of the grids app: the API's lists (docs/api.md, "Grids"), the grids
of the jurisdiction and the town's event centre (its tabs are the URL's, grids.pages.centre;
these are the filters beside them)."""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grids.choices import EventState, Route
from grids.models import EventCategory, Grid, GridEvent
from grids.querysets import overdue_condition
from villages.filters import division_picker

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


# --- the pages' ---------------------------------------------------------------------------------------


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def readable_categories(request):
    """The categories of the visitor's district(s), by name (the filter's choices)."""
    if request is None:
        return EventCategory.objects.none()
    return EventCategory.objects.readable_by(request.user).order_by("code", "id")


class GridPageFilterSet(django_filters.FilterSet):
    """网格: by village or town (its subtree)."""

    division = django_filters.CharFilter(
        method="filter_subtree", label=_("村（社区）（含下级）"), widget=division_picker()
    )

    class Meta:
        model = Grid
        fields = ["division"]

    def filter_subtree(self, queryset, name, value):
        return queryset.filter(division__code__startswith=value) if value else queryset


class EventCentreFilterSet(django_filters.FilterSet):
    """事件中心: by village or town (its subtree), category and the day reported."""

    division = django_filters.CharFilter(
        method="filter_subtree", label=_("村（社区）（含下级）"), widget=division_picker()
    )
    category = django_filters.ChoiceFilter(field_name="category__code", label=_("事件类别"), empty_label=_("全部"))
    reported_from = django_filters.DateFilter(method="filter_from", label=_("上报日期（起）"), widget=date_input())
    reported_to = django_filters.DateFilter(method="filter_to", label=_("上报日期（止）"), widget=date_input())
    grid = django_filters.NumberFilter(field_name="grid_id", label=_("网格"))

    class Meta:
        model = GridEvent
        fields = ["division", "category", "reported_from", "reported_to", "grid"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The categories of the visitor's district(s), by code (a district's own categories too).
        self.filters["category"].extra["choices"] = list(
            dict(readable_categories(self.request).values_list("code", "name")).items()
        )

    def filter_subtree(self, queryset, name, value):
        return queryset.filter(division__code__startswith=value) if value else queryset

    def filter_from(self, queryset, name, value):
        return queryset.filter(reported_at__gte=local_midnight(value)) if value else queryset

    def filter_to(self, queryset, name, value):
        return (
            queryset.filter(reported_at__lt=local_midnight(value + datetime.timedelta(days=1))) if value else queryset
        )


def local_midnight(day: datetime.date) -> datetime.datetime:
    """The start of a local day (settings.TIME_ZONE)."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())
