"""Forms of the direct-contact pages. They only read and check what the visitor gives; every write
is a service of engagement.services.contact (which re-checks the right inside its transaction),
whose field errors come back onto the form. Large fields on a phone's screen."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from engagement.choices import LinkKind
from villages.forms import BootstrapFormMixin, offer_divisions


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ContactFormMixin(BootstrapFormMixin):
    """Bootstrap's classes on every field, large on a phone's screen (touch targets)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()
        for field in self.fields.values():
            css = field.widget.attrs.get("class", "")
            if css in ("form-control", "form-select"):
                field.widget.attrs["class"] = f"{css} {css}-lg"


class FillLinkForm(ContactFormMixin, forms.Form):
    """落实挂钩: one of the village's five links, who holds it, since when (a single link's previous
    holder ends the day before: engagement.services.contact.fill_link)."""

    kind = forms.ChoiceField(label=_("挂钩类别"), choices=LinkKind.choices)
    holder = forms.CharField(label=_("挂钩领导或单位"), max_length=100)
    title = forms.CharField(label=_("职务"), max_length=100, required=False)
    since = forms.DateField(label=_("挂钩日期"), widget=date_input())


class EndLinkForm(ContactFormMixin, forms.Form):
    """结束挂钩: the link's last day."""

    until = forms.DateField(label=_("结束日期"), widget=date_input(), help_text=_("挂钩的最后一天。"))


class ContactDayForm(ContactFormMixin, forms.Form):
    """登记组织直联日, on a phone: where (a town or village the visitor may record for), when, who
    came, what was raised and settled. A day that is not a Tuesday is recorded, with a warning."""

    division = forms.ModelChoiceField(queryset=None, label=_("镇村"), empty_label=_("请选择镇村"))
    held_on = forms.DateField(label=_("直联日期"), widget=date_input(), help_text=_("组织直联日为每周二。"))
    attendees = forms.IntegerField(label=_("参加人数"), min_value=0, max_value=100000, initial=0)
    matters_raised = forms.CharField(
        label=_("收集的问题"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    matters_settled = forms.IntegerField(label=_("当场解决问题数"), min_value=0, max_value=100000, initial=0)

    def __init__(self, *args, divisions, **kwargs):
        super().__init__(*args, **kwargs)
        offer_divisions(self.fields["division"], divisions)
        for name in ("attendees", "matters_settled"):
            self.fields[name].widget.attrs["inputmode"] = "numeric"
