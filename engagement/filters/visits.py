"""django-filter filter sets of visits, visiting cadres and kept contacts: the API's lists and the
pages' (docs/api.md, "Visits")."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from engagement.choices import ContactKind, VisitorLevel
from engagement.models import KeptContact, Visit, VisitingCadre
from villages.filters import division_picker

SUBTREE_LABEL = _("区划代码（含下级）")


def in_subtree_of(field_name: str = "division__code") -> django_filters.CharFilter:
    """`?division=<code>`: the records of that division and of those under it."""
    return django_filters.CharFilter(field_name=field_name, lookup_expr="startswith", label=SUBTREE_LABEL)


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VisitingCadreFilterSet(django_filters.FilterSet):
    """`?division=` (the cadre's county or town, with its subtree), `?level=`, `?village=` (a
    linked village's code), `?active=`."""

    division = in_subtree_of()
    level = django_filters.ChoiceFilter(choices=VisitorLevel.choices, label=_("走访层级"))
    village = django_filters.CharFilter(field_name="villages__code", label=_("包联村（社区）代码"))
    active = django_filters.BooleanFilter(label=_("在任"))

    class Meta:
        model = VisitingCadre
        fields = ["division", "level", "village", "active"]


class VisitFilterSet(django_filters.FilterSet):
    """`?division=` (the visited division with its subtree), `?visitor=` (a cadre's id), `?after=`
    and `?before=` (visited on or after, on or before: YYYY-MM-DD), `?household=`."""

    division = in_subtree_of()
    visitor = django_filters.NumberFilter(field_name="visitor_id", label=_("走访人"))
    after = django_filters.DateFilter(field_name="visited_on", lookup_expr="gte", label=_("走访日期（起）"))
    before = django_filters.DateFilter(field_name="visited_on", lookup_expr="lte", label=_("走访日期（止）"))
    household = django_filters.NumberFilter(field_name="household_id", label=_("走访户"))

    class Meta:
        model = Visit
        fields = ["division", "visitor", "after", "before", "household"]


class KeptContactFilterSet(django_filters.FilterSet):
    """`?division=` (the person's division with its subtree), `?person=`, `?kind=`."""

    division = in_subtree_of("person__division__code")
    person = django_filters.NumberFilter(field_name="person_id", label=_("联系人"))
    kind = django_filters.ChoiceFilter(choices=ContactKind.choices, label=_("联系类别"))

    class Meta:
        model = KeptContact
        fields = ["division", "person", "kind"]


# --- the pages' ---------------------------------------------------------------------------------------


class VisitPageFilterSet(django_filters.FilterSet):
    """走访记录: by village or town (its subtree), cadre and days."""

    division = django_filters.CharFilter(
        method="filter_subtree", label=_("村（社区）（含下级）"), widget=division_picker()
    )
    visitor = django_filters.ChoiceFilter(field_name="visitor_id", label=_("走访人"), empty_label=_("全部"))
    after = django_filters.DateFilter(
        field_name="visited_on", lookup_expr="gte", label=_("走访日期（起）"), widget=date_input()
    )
    before = django_filters.DateFilter(
        field_name="visited_on", lookup_expr="lte", label=_("走访日期（止）"), widget=date_input()
    )

    class Meta:
        model = Visit
        fields = ["division", "visitor", "after", "before"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if user is not None:
            cadres = VisitingCadre.objects.restrict(user, "view").order_by("name", "id").values_list("pk", "name")
            self.filters["visitor"].extra["choices"] = [(str(pk), name) for pk, name in cadres]

    def filter_subtree(self, queryset, name, value):
        return queryset.filter(division__code__startswith=value) if value else queryset


class VisitingCadrePageFilterSet(django_filters.FilterSet):
    division = django_filters.CharFilter(method="filter_subtree", label=_("区镇（含下级）"), widget=division_picker())
    level = django_filters.ChoiceFilter(choices=VisitorLevel.choices, label=_("走访层级"), empty_label=_("全部"))

    class Meta:
        model = VisitingCadre
        fields = ["division", "level"]

    def filter_subtree(self, queryset, name, value):
        return queryset.filter(division__code__startswith=value) if value else queryset


class KeptContactPageFilterSet(django_filters.FilterSet):
    division = django_filters.CharFilter(
        method="filter_subtree", label=_("村（社区）（含下级）"), widget=division_picker()
    )
    kind = django_filters.ChoiceFilter(choices=ContactKind.choices, label=_("联系类别"), empty_label=_("全部"))

    class Meta:
        model = KeptContact
        fields = ["division", "kind"]

    def filter_subtree(self, queryset, name, value):
        return queryset.filter(person__division__code__startswith=value) if value else queryset
