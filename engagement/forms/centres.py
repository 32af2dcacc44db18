"""Forms of the pages of service centres, operating funds, emergency plans and drills. They only
read and check what the visitor types; every write is a service of engagement.services.centres
(which re-checks rights and rules inside its transaction), whose field errors come back onto the
form. Amounts are typed in yuan with two decimals and stored in fen (governance.money)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from governance import clock
from villages.forms import BootstrapFormMixin

AREA = {"max_digits": 9, "decimal_places": 1, "min_value": 0}


def date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CentresFormMixin(BootstrapFormMixin):
    """Bootstrap's classes on every field, large on a phone's screen (touch targets), numbers
    typed with the phone's numeric keypad."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()
        for field in self.fields.values():
            css = field.widget.attrs.get("class", "")
            if css in ("form-control", "form-select"):
                field.widget.attrs["class"] = f"{css} {css}-lg"
            if isinstance(field, forms.IntegerField):
                field.widget.attrs.setdefault("inputmode", "numeric")
            elif isinstance(field, forms.DecimalField):
                field.widget.attrs.setdefault("inputmode", "decimal")


class CentreForm(CentresFormMixin, forms.Form):
    """A village's service centre: its area, its service and activity space, the households it serves."""

    area_m2 = forms.DecimalField(label=_("总面积（平方米）"), **AREA)
    service_area_m2 = forms.DecimalField(
        label=_("服务和活动面积（平方米）"), help_text=_("不少于总面积的70%。"), **AREA
    )
    households_served = forms.IntegerField(label=_("服务户数"), min_value=0, help_text=_("每百户不少于30平方米。"))


class FundForm(CentresFormMixin, forms.Form):
    """A village's operating fund of a year, in yuan (the county makes up the rest to 38万元)."""

    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    amount = forms.DecimalField(
        label=_("村级经费（元）"), max_digits=15, decimal_places=2, min_value=0, help_text=_("不足38万元的由县级补足。")
    )

    def __init__(self, *args, fixed_year: bool = False, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("year", clock.today().year)
        super().__init__(*args, **kwargs)
        if fixed_year:
            self.fields["year"].disabled = True


class PlanForm(CentresFormMixin, forms.Form):
    title = forms.CharField(label=_("预案名称"), max_length=100)
    adopted_on = forms.DateField(label=_("制定日期"), widget=date_widget())
    people_trained = forms.IntegerField(label=_("受训人数"), min_value=0, initial=0)


class DrillForm(CentresFormMixin, forms.Form):
    """演练, on a phone: the day (today by default), how many took part, how it went."""

    held_on = forms.DateField(label=_("演练日期"), widget=date_widget())
    participants = forms.IntegerField(label=_("参加人数"), min_value=0)
    note = forms.CharField(
        label=_("演练情况"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("held_on", clock.today())
        super().__init__(*args, **kwargs)


class TableFilterForm(forms.Form):
    """The town's table: the year of the funds (this year by default)."""

    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, required=False)
