"""django-filter filter sets of the rights_lists lists, shared by the API and the pages (a page
shows the filters of its `shown_filters`; a division is picked by name on a page, given by its
code in the API, and means that division with everything below it)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from rights_lists.choices import (
    AdmissionOutcome,
    DecisionState,
    ListKind,
    ListStatus,
    Procedure,
    TransactionKind,
    TransactionState,
)
from rights_lists.models import AdmissionRequest, AssetTransaction, Decision, ListItem, RightsList
from villages.filters import division_picker


def subtree_filter(label, field_name: str = "division__code") -> django_filters.CharFilter:
    """A division given by its code (picked by name on a page): the rows of it and below it."""
    return django_filters.CharFilter(
        field_name=field_name, lookup_expr="startswith", label=label, widget=division_picker()
    )


class RightsListFilterSet(django_filters.FilterSet):
    owner = subtree_filter(_("制定单位（含下级）"), field_name="owner__code")
    kind = django_filters.ChoiceFilter(choices=ListKind.choices, label=_("清单类别"))
    status = django_filters.ChoiceFilter(choices=ListStatus.choices, label=_("状态"))

    class Meta:
        model = RightsList
        fields = ["owner", "kind", "status"]


class ListItemFilterSet(django_filters.FilterSet):
    procedure = django_filters.ChoiceFilter(choices=Procedure.choices, label=_("决策程序"))
    list_kind = django_filters.ChoiceFilter(field_name="list__kind", choices=ListKind.choices, label=_("清单类别"))
    list = django_filters.NumberFilter(field_name="list_id", label=_("清单"))

    class Meta:
        model = ListItem
        fields = ["procedure", "list_kind", "list"]


class DecisionFilterSet(django_filters.FilterSet):
    division = subtree_filter(_("村（社区）（含下级）"))
    state = django_filters.ChoiceFilter(choices=DecisionState.choices, label=_("状态"))
    procedure = django_filters.ChoiceFilter(choices=Procedure.choices, label=_("决策程序"))
    item = django_filters.NumberFilter(field_name="item_id", label=_("清单事项"))

    class Meta:
        model = Decision
        fields = ["division", "state", "procedure", "item"]


class AdmissionRequestFilterSet(django_filters.FilterSet):
    division = subtree_filter(_("村（社区）"))
    outcome = django_filters.ChoiceFilter(choices=AdmissionOutcome.choices, label=_("结果"))
    list_kind = django_filters.ChoiceFilter(choices=ListKind.choices, label=_("所在清单"))
    requester = django_filters.CharFilter(lookup_expr="icontains", label=_("提出单位"))

    class Meta:
        model = AdmissionRequest
        fields = ["division", "outcome", "list_kind", "requester"]


class AssetTransactionFilterSet(django_filters.FilterSet):
    division = subtree_filter(_("交易单位（含下级）"))
    state = django_filters.ChoiceFilter(choices=TransactionState.choices, label=_("状态"))
    kind = django_filters.ChoiceFilter(choices=TransactionKind.choices, label=_("交易方式"))
    bidding_on = django_filters.DateFromToRangeFilter(label=_("竞投日期"))

    class Meta:
        model = AssetTransaction
        fields = ["division", "state", "kind", "bidding_on"]
