"""django-filter filter sets of the covenants app: the API's lists, and the pages' (the violation
register 违约记录, the covenants list)."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from covenants.choices import AwardRunStatus, CovenantKind, NominationStatus, Severity, VersionStatus
from covenants.models import AwardRun, Clause, Covenant, CovenantVersion, EligibilityQuery, RedListNomination, Violation
from villages.filters import division_picker

# --- the API's ---------------------------------------------------------------------------------------


def in_subtree_of(field_name: str = "division__code") -> django_filters.CharFilter:
    """`?division=<code>`: the records of that division and of those under it."""
    return django_filters.CharFilter(field_name=field_name, lookup_expr="startswith", label=_("区划代码（含下级）"))


class ClauseFilterSet(django_filters.FilterSet):
    division = in_subtree_of("version__covenant__division__code")
    kind = django_filters.ChoiceFilter(
        field_name="version__covenant__kind", choices=CovenantKind.choices, label=_("公约类别")
    )
    covenant = django_filters.NumberFilter(field_name="version__covenant_id", label=_("公约"))

    class Meta:
        model = Clause
        fields = ["division", "kind", "covenant"]


class CovenantFilterSet(django_filters.FilterSet):
    division = in_subtree_of()
    kind = django_filters.ChoiceFilter(choices=CovenantKind.choices, label=_("公约类别"))

    class Meta:
        model = Covenant
        fields = ["division", "kind"]


class CovenantVersionFilterSet(django_filters.FilterSet):
    covenant = django_filters.NumberFilter(field_name="covenant_id", label=_("公约"))
    status = django_filters.ChoiceFilter(choices=VersionStatus.choices, label=_("状态"))

    class Meta:
        model = CovenantVersion
        fields = ["covenant", "status"]


class ViolationFilterSet(django_filters.FilterSet):
    division = in_subtree_of()
    person = django_filters.NumberFilter(field_name="person_id", label=_("人员"))
    severity = django_filters.ChoiceFilter(choices=Severity.choices, label=_("情节"))
    confirmed = django_filters.BooleanFilter(
        field_name="confirmed_on", lookup_expr="isnull", exclude=True, label=_("已认定")
    )

    class Meta:
        model = Violation
        fields = ["division", "person", "severity", "confirmed"]


class EligibilityQueryFilterSet(django_filters.FilterSet):
    person = django_filters.NumberFilter(field_name="person_id", label=_("人员"))
    eligible = django_filters.BooleanFilter(label=_("是否符合资格"))

    class Meta:
        model = EligibilityQuery
        fields = ["person", "action", "eligible"]


class PeriodRecordFilterSet(django_filters.FilterSet):
    """A record of a division for a period, in a status (award runs, red list nominations):
    `?division=` (with its subtree), `?period=`, `?status=` (declared by each model's filter set,
    with its statuses)."""

    division = in_subtree_of()
    period = django_filters.CharFilter(label=_("期间"))

    class Meta:
        fields = ["division", "period", "status"]


class AwardRunFilterSet(PeriodRecordFilterSet):
    status = django_filters.ChoiceFilter(choices=AwardRunStatus.choices, label=_("状态"))

    class Meta(PeriodRecordFilterSet.Meta):
        model = AwardRun


class RedListNominationFilterSet(PeriodRecordFilterSet):
    status = django_filters.ChoiceFilter(choices=NominationStatus.choices, label=_("状态"))

    class Meta(PeriodRecordFilterSet.Meta):
        model = RedListNomination


# --- the pages' --------------------------------------------------------------------------------------

# The states the register filters by; a violation's state as the pages name it is state_of().
RECORDED = "recorded"
CONFIRMED = "confirmed"
APPEALED = "appealed"
STATE_CHOICES = [(RECORDED, _("待认定")), (CONFIRMED, _("已认定")), (APPEALED, _("已申诉"))]


def state_of(violation: Violation) -> str:
    """The violation's state in a few words: 待认定, 已认定, 申诉中, 申诉成立 or 申诉驳回."""
    if violation.awaits_confirmation:
        return _("待认定")
    if violation.open_to_appeal:
        return _("已认定")
    if violation.appeal_pending:
        return _("申诉中")
    return _("申诉成立") if violation.appeal_upheld else _("申诉驳回")


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ViolationPageFilterSet(django_filters.FilterSet):
    division = django_filters.CharFilter(
        method="filter_subtree", label=_("村（社区）（含下级）"), widget=division_picker()
    )
    severity = django_filters.ChoiceFilter(choices=Severity.choices, label=_("情节"), empty_label=_("全部"))
    state = django_filters.ChoiceFilter(
        choices=STATE_CHOICES, method="filter_state", label=_("状态"), empty_label=_("全部")
    )
    occurred_from = django_filters.DateFilter(
        field_name="occurred_on", lookup_expr="gte", label=_("发生日期（起）"), widget=date_input()
    )
    occurred_to = django_filters.DateFilter(
        field_name="occurred_on", lookup_expr="lte", label=_("发生日期（止）"), widget=date_input()
    )
    # The home page's link: those the visitor may confirm, not recorded by themselves.
    to_confirm = django_filters.BooleanFilter(method="filter_to_confirm", label=_("待我认定"))
    person = django_filters.NumberFilter(field_name="person_id", label=_("人员"))

    class Meta:
        model = Violation
        fields = ["division", "severity", "state", "occurred_from", "occurred_to", "to_confirm", "person"]

    def filter_subtree(self, queryset, name, value):
        # A violation lies in its village; a cooperative's code finds its members' violations.
        return queryset.filter(Q(division__code__startswith=value) | Q(person__division__code__startswith=value))

    def filter_state(self, queryset, name, value):
        if value == RECORDED:
            return queryset.filter(confirmed_on__isnull=True)
        if value == CONFIRMED:
            return queryset.filter(confirmed_on__isnull=False, appeal_filed_on__isnull=True)
        return queryset.filter(appeal_filed_on__isnull=False)

    def filter_to_confirm(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.awaiting_confirmation_by(self.request.user)


class CovenantPageFilterSet(django_filters.FilterSet):
    """公约: by village (its subtree) and kind."""

    division = django_filters.CharFilter(
        method="filter_subtree", label=_("村（社区）（含下级）"), widget=division_picker()
    )
    kind = django_filters.ChoiceFilter(choices=CovenantKind.choices, label=_("类别"), empty_label=_("全部"))

    class Meta:
        model = Covenant
        fields = ["division", "kind"]

    def filter_subtree(self, queryset, name, value):
        return queryset.filter(division__code__startswith=value) if value else queryset
