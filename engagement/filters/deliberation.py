"""django-filter filter sets of deliberation: the API's lists (docs/api.md, "Deliberation") and
the pages' filters beside their tabs (engagement.pages.deliberation)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from engagement.choices import Outcome, TopicStatus
from engagement.models import BodyMember, CatalogueEntry, DeliberationBody, Meeting, Topic
from villages.filters import division_picker


def in_subtree_of(field_name: str) -> django_filters.CharFilter:
    """`?division=<code>`: the records of that division and of those under it."""
    return django_filters.CharFilter(field_name=field_name, lookup_expr="startswith", label=_("区划代码（含下级）"))


class DeliberationBodyFilterSet(django_filters.FilterSet):
    division = in_subtree_of("division__code")

    class Meta:
        model = DeliberationBody
        fields = ["division"]


class BodyMemberFilterSet(django_filters.FilterSet):
    division = in_subtree_of("body__division__code")
    body = django_filters.NumberFilter(field_name="body_id", label=_("议事会"))

    class Meta:
        model = BodyMember
        fields = ["division", "body"]


class CatalogueEntryFilterSet(django_filters.FilterSet):
    district = django_filters.CharFilter(field_name="district_id", label=_("区县代码"))
    active = django_filters.BooleanFilter(label=_("启用"))

    class Meta:
        model = CatalogueEntry
        fields = ["district", "active"]


class MeetingFilterSet(django_filters.FilterSet):
    division = in_subtree_of("body__division__code")
    body = django_filters.NumberFilter(field_name="body_id", label=_("议事会"))

    class Meta:
        model = Meeting
        fields = ["division", "body"]


class TopicFilterSet(django_filters.FilterSet):
    """`?division=` (with its subtree), `?status=`, `?outcome=`, `?body=`."""

    division = in_subtree_of("body__division__code")
    status = django_filters.ChoiceFilter(choices=TopicStatus.choices, label=_("状态"))
    outcome = django_filters.ChoiceFilter(choices=Outcome.choices, label=_("协商结果"))
    body = django_filters.NumberFilter(field_name="body_id", label=_("议事会"))

    class Meta:
        model = Topic
        fields = ["division", "status", "outcome", "body"]


# --- the pages' -------------------------------------------------------------------------------------


class SubtreePageFilterSet(django_filters.FilterSet):
    """By village or town (its subtree)."""

    division = django_filters.CharFilter(
        method="filter_subtree", label=_("村（社区）（含下级）"), widget=division_picker()
    )
    subtree_field = "division__code"

    def filter_subtree(self, queryset, name, value):
        return queryset.filter(**{f"{self.subtree_field}__startswith": value}) if value else queryset


class BodyPageFilterSet(SubtreePageFilterSet):
    class Meta:
        model = DeliberationBody
        fields = ["division"]


class MeetingPageFilterSet(SubtreePageFilterSet):
    subtree_field = "body__division__code"

    class Meta:
        model = Meeting
        fields = ["division"]


class TopicPageFilterSet(SubtreePageFilterSet):
    subtree_field = "body__division__code"

    class Meta:
        model = Topic
        fields = ["division"]
