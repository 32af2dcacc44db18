"""Pages of positions held (任职): the cadre list, recording a position (登记任职) and its end
(离任)."""

from django.utils.translation import gettext_lazy as _

from governance.pages.mixins import ScopedFilterListView
from villages.filters import PositionFilterSet
from villages.forms import EndPositionForm, PositionForm
from villages.models import Person, Position
from villages.pages.base import EndRecordView, RecordOfPersonCreateView


class PositionListView(ScopedFilterListView):
    """Positions held (任职), current ones unless the visitor asks otherwise."""

    model = Position
    filterset_class = PositionFilterSet
    shown_filters = ("division", "kind", "current", "search")
    template_name = "villages/position_list.html"
    default_filters = {"current": "true"}

    def get_queryset(self):
        # A cooperative is named with its village (第四经济社 alone is ambiguous in a town).
        return (
            super()
            .get_queryset()
            .select_related("person", "division__parent")
            .order_by("division_id", "kind", "started_on", "id")
        )


class PositionCreateView(RecordOfPersonCreateView):
    """登记任职: record a position held by a person (people/<pk>/positions/new/)."""

    model = Position
    form_class = PositionForm
    template_name = "villages/position_form.html"
    success_message = _("已登记任职：%(name)s。")

    def places(self, person: Person) -> list[str]:
        return person.position_division_codes()


class PositionEndView(EndRecordView):
    """登记离任 (positions/<pk>/end/): a successor can then be recorded."""

    model = Position
    form_class = EndPositionForm
    end_field = "ended_on"
    related = ("person", "division__parent")
    success_message = _("已登记离任：%(name)s。")
    extra_context = {"heading": _("登记离任"), "note": _("任职记录会保留，显示为已离任。")}

    def describe(self, position: Position) -> str:
        return _("%(kind)s · %(place)s · %(day)s 任职") % {
            "kind": position.get_kind_display(),
            "place": position.division.qualified_name,
            "day": position.started_on,
        }
