"""Filters of service centres, operating funds, emergency plans and drills (the API's lists):
`?division=<code>` keeps the records of that division and of those under it."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from engagement.choices import CentreLevel
from engagement.models import Drill, EmergencyPlan, OperatingFund, ServiceCentre


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
    year = django_filters.NumberFilter(field_name="year", label=_("年度"))

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
    year = django_filters.NumberFilter(field_name="held_on__year", label=_("年度"))

    class Meta:
        model = Drill
        fields = ["division", "plan", "year"]
