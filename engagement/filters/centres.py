"""Filters of service centres, operating funds, emergency plans and drills (the API's lists):
`?division=<code>` keeps the records of that division and of those under it."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from engagement.choices import CentreLevel
from engagement.models import Drill, EmergencyPlan, OperatingFund, ServiceCentre
from governance.periods import FIRST_YEAR, LAST_YEAR


class YearFilter(django_filters.NumberFilter):
    """A year between governance.periods' FIRST_YEAR and LAST_YEAR: anything else is a 400 on the
    parameter (a year such as -4e170 reached the date lookup and was a 500: found by the fuzzer)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=FIRST_YEAR, max_value=LAST_YEAR, **kwargs)


def in_subtree_of(field_name: str = "division__code") -> django_filters.CharFilter:
    return django_filters.CharFilter(field_name=field_name, lookup_expr="startswith", label=_("区划代码（含下级）"))


class ServiceCentreFilterSet(django_filters.FilterSet):
    division = in_subtree_of()
    level = django_filters.ChoiceFilter(choices=CentreLevel.choices, label=_("层级"))

    class Meta:
        model = ServiceCentre
        fields = ["division", "level"]


class OperatingFundFilterSet(django_filters.FilterSet):
    division = in_subtree_of()
    year = YearFilter(field_name="year", label=_("年度"))

    class Meta:
        model = OperatingFund
        fields = ["division", "year"]


class EmergencyPlanFilterSet(django_filters.FilterSet):
    """`?division=`, `?drill_due=true|false` (judged at the request: the list's annotation)."""

    division = in_subtree_of()
    drill_due = django_filters.BooleanFilter(field_name="drill_due", label=_("一年内未演练"))

    class Meta:
        model = EmergencyPlan
        fields = ["division", "drill_due"]


class DrillFilterSet(django_filters.FilterSet):
    division = in_subtree_of("plan__division__code")
    plan = django_filters.NumberFilter(field_name="plan_id", label=_("应急预案"))
    year = YearFilter(field_name="held_on__year", label=_("年度"))

    class Meta:
        model = Drill
        fields = ["division", "plan", "year"]
