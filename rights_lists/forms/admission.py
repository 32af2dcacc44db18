"""The forms of village matter admission (村级事项准入): filing a request for a village, and the
exception (例外准入) of a refused one (rights_lists.services.admission)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from governance.clock import today
from rights_lists.forms.base import RightsListsFormMixin, date_widget
from rights_lists.models import ListItem


class AdmissionRequestForm(RightsListsFormMixin, forms.Form):
    requester = forms.CharField(label=gettext_lazy("提出单位"), max_length=100)
    matter = forms.CharField(label=gettext_lazy("事项"), max_length=200)
    requested_on = forms.DateField(label=gettext_lazy("提出日期"), widget=date_widget())
    item = forms.ModelChoiceField(
        queryset=None,
        label=gettext_lazy("对应清单事项"),
        required=False,
        empty_label=gettext_lazy("不在三张清单中（或按事项名称自动查找）"),
    )

    def __init__(self, *args, division, **kwargs):
        super().__init__(*args, **kwargs)
        item = self.fields["item"]
        item.queryset = ListItem.objects.on_three_lists_of(division.code, today()).order_by(
            "list__kind", "list_id", "id"
        )
        item.label_from_instance = lambda row: f"{row.list.get_kind_display()} · {row.number} {row.title}"
        self.style_fields()


class ExceptionForm(RightsListsFormMixin, forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("例外准入理由"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    excepted_on = forms.DateField(label=gettext_lazy("例外准入日期"), widget=date_widget())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()
