"""Filter sets of direct contact: the API's lists and the pages'."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from engagement.choices import LinkKind
from engagement.models import ContactDay, ContactLink
from engagement.querysets.contact import current_link_condition
from governance import clock
from villages.filters import division_picker


def in_subtree_of() -> django_filters.CharFilter:
    """`?division=<code>`: the records of that division and of those under it."""
    return django_filters.CharFilter(
        field_name="division__code", lookup_expr="startswith", label=_("区划代码（含下级）")
    )


class ContactLinkFilterSet(django_filters.FilterSet):
    """`?division=` (its subtree), `?kind=`, `?current=true|false` (held today, or not)."""

    division = in_subtree_of()
    kind = django_filters.ChoiceFilter(choices=LinkKind.choices, label=_("挂钩类别"))
    current = django_filters.BooleanFilter(method="filter_current", label=_("现任挂钩"))

    class Meta:
        model = ContactLink
        fields = ["division", "kind", "current"]

    def filter_current(self, queryset, name, value):
        if value is None:
            return queryset
        condition = current_link_condition(clock.today())
        return queryset.filter(condition) if value else queryset.exclude(condition)


class ContactDayFilterSet(django_filters.FilterSet):
    """`?division=` (its subtree), `?after=` and `?before=` (held on or after, on or before)."""

    division = in_subtree_of()
    after = django_filters.DateFilter(field_name="held_on", lookup_expr="gte", label=_("直联日期（起）"))
    before = django_filters.DateFilter(field_name="held_on", lookup_expr="lte", label=_("直联日期（止）"))

    class Meta:
        model = ContactDay
        fields = ["division", "after", "before"]


class ContactDayPageFilterSet(ContactDayFilterSet):
    """组织直联日 page: by town or village (its subtree) and dates."""

    division = django_filters.CharFilter(
        field_name="division__code", lookup_expr="startswith", label=_("镇村（含下级）"), widget=division_picker()
    )
