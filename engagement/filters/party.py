"""django-filter filter sets of party members' service: the API's lists and the pages'."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from engagement.choices import PointActivity
from engagement.models import PointEntry, PointRule, PostClaim, ServicePost, VillagerPointEntry


def in_subtree_of(field_name: str) -> django_filters.CharFilter:
    """`?division=<code>`: the records of that division and of those under it."""
    return django_filters.CharFilter(field_name=field_name, lookup_expr="startswith", label=_("区划代码（含下级）"))


class ServicePostFilterSet(django_filters.FilterSet):
    division = in_subtree_of("division__code")

    class Meta:
        model = ServicePost
        fields = ["division"]


class PostClaimFilterSet(django_filters.FilterSet):
    """`?division=` (subtree), `?post=`, `?member=`, `?current=true|false` (not left yet)."""

    division = in_subtree_of("member__branch__code")
    post = django_filters.NumberFilter(field_name="post_id", label=_("服务岗"))
    member = django_filters.NumberFilter(field_name="member_id", label=_("党员"))
    current = django_filters.BooleanFilter(field_name="left_on", lookup_expr="isnull", label=_("尚未离岗"))

    class Meta:
        model = PostClaim
        fields = ["division", "post", "member", "current"]


class PointRuleFilterSet(django_filters.FilterSet):
    district = django_filters.CharFilter(field_name="district_id", label=_("区县代码"))
    activity = django_filters.ChoiceFilter(choices=PointActivity.choices, label=_("积分项目"))

    class Meta:
        model = PointRule
        fields = ["district", "activity"]


class PointEntryFilterSet(django_filters.FilterSet):
    """`?division=` (subtree of the member's branch), `?member=`, `?activity=`, `?earned_from=`,
    `?earned_to=` (days, inclusive)."""

    division = in_subtree_of("member__branch__code")
    member = django_filters.NumberFilter(field_name="member_id", label=_("党员"))
    activity = django_filters.ChoiceFilter(choices=PointActivity.choices, label=_("积分项目"))
    earned_from = django_filters.DateFilter(field_name="earned_on", lookup_expr="gte", label=_("起始日期"))
    earned_to = django_filters.DateFilter(field_name="earned_on", lookup_expr="lte", label=_("截止日期"))

    class Meta:
        model = PointEntry
        fields = ["division", "member", "activity", "earned_from", "earned_to"]


class VillagerPointEntryFilterSet(django_filters.FilterSet):
    division = in_subtree_of("division__code")
    person = django_filters.NumberFilter(field_name="person_id", label=_("村民"))
    earned_from = django_filters.DateFilter(field_name="earned_on", lookup_expr="gte", label=_("起始日期"))
    earned_to = django_filters.DateFilter(field_name="earned_on", lookup_expr="lte", label=_("截止日期"))

    class Meta:
        model = VillagerPointEntry
        fields = ["division", "person", "earned_from", "earned_to"]
