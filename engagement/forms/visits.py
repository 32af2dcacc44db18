"""Forms of the visits pages. They only read and check what the visitor gives; every write is a
service of engagement.services.visits (which re-checks the right inside its transaction), whose
field errors come back onto the form."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from engagement.choices import ContactKind, VisitorLevel
from engagement.models import VisitingCadre
from governance import clock
from villages.choices import Level
from villages.forms import BootstrapFormMixin
from villages.models import Division, Household, Person


class PhoneFormMixin(BootstrapFormMixin):
    """Bootstrap's classes on every field, large on a phone's screen (touch targets)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()
        for field in self.fields.values():
            css = field.widget.attrs.get("class", "")
            if css in ("form-control", "form-select"):
                field.widget.attrs["class"] = f"{css} {css}-lg"


def date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def place_label(division) -> str:
    """A village by its name, a cooperative (group) under its village's: 罗村村委会 · 第一经济社."""
    if division.level == Level.COOPERATIVE and division.parent is not None:
        return f"{division.parent.name} · {division.name}"
    return division.name


class VisitForm(PhoneFormMixin, forms.Form):
    """登记走访, on a phone: who visited (a cadre the visitor views, their own profile first), where
    (a village or a group where they may record visits), optionally the household by its number,
    the day, what was raised and what came of it."""

    visitor = forms.ModelChoiceField(VisitingCadre.objects.none(), label=_("走访人"), empty_label=_("请选择走访干部"))
    division = forms.ChoiceField(label=_("走访村（组）"))
    household = forms.CharField(
        label=_("走访户户号"), max_length=30, required=False, help_text=_("走访到户时填写该户在所选村（组）的户号。")
    )
    visited_on = forms.DateField(label=_("走访日期"), widget=date_widget())
    raised = forms.CharField(
        label=_("反映的问题"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    outcome = forms.CharField(
        label=_("办理结果"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, visitors, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visitor"].queryset = visitors
        self.fields["visitor"].label_from_instance = lambda cadre: f"{cadre.name}（{cadre.get_level_display()}）"
        self.fields["division"].choices = [("", _("请选择村（组）"))] + [
            (place.code, place_label(place)) for place in places
        ]
        self.fields["visited_on"].initial = clock.today()

    def clean(self):
        data = super().clean()
        number = (data.get("household") or "").strip()
        data["household"] = None
        if number and data.get("division"):
            household = Household.objects.filter(division_id=data["division"], number=number).first()
            if household is None:
                self.add_error("household", _("所选村（组）没有户号为 %(number)s 的户。") % {"number": number})
            data["household"] = household
        return data


class VisitingCadreForm(PhoneFormMixin, forms.Form):
    """A visiting cadre: their county or town, name, level, term, sign-in account and linked villages."""

    division = forms.ModelChoiceField(Division.objects.none(), label=_("所在区镇"), empty_label=_("请选择区镇"))
    name = forms.CharField(label=_("姓名"), max_length=50)
    level = forms.ChoiceField(label=_("走访层级"), choices=VisitorLevel.choices)
    term_started_on = forms.DateField(label=_("本届任期开始"), widget=date_widget())
    username = forms.CharField(
        label=_("登录用户名"), max_length=150, required=False, help_text=_("该干部本人登录时，走访登记默认选中本人。")
    )
    villages = forms.ModelMultipleChoiceField(
        Division.objects.none(), label=_("包联村（社区）"), required=False, widget=forms.CheckboxSelectMultiple
    )
    active = forms.BooleanField(label=_("在任"), required=False, initial=True)

    def __init__(self, *args, homes, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division"].queryset = homes
        self.fields["villages"].queryset = villages

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise forms.ValidationError(_("没有用户名为 %(name)s 的用户。") % {"name": username})
        return user


class KeptContactForm(PhoneFormMixin, forms.Form):
    """A contact a village cadre or party member keeps: a household by its number in their village,
    or a capable rural entrepreneur by name."""

    kind = forms.ChoiceField(label=_("联系类别"), choices=ContactKind.choices, widget=forms.RadioSelect)
    household = forms.CharField(label=_("联系户户号"), max_length=30, required=False)
    contact_name = forms.CharField(label=_("致富能手姓名"), max_length=50, required=False)
    since = forms.DateField(label=_("联系开始"), widget=date_widget())
    until = forms.DateField(label=_("联系结束"), widget=date_widget(), required=False)

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def clean(self):
        data = super().clean()
        number = (data.get("household") or "").strip()
        data["household"] = None
        kind = data.get("kind")
        if kind == ContactKind.HOUSEHOLD:
            if not number:
                self.add_error("household", _("请填写联系户的户号。"))
            else:
                village = self.person.division_id[:12]
                household = Household.objects.filter(division__code__startswith=village, number=number).first()
                if household is None:
                    self.add_error("household", _("本村没有户号为 %(number)s 的户。") % {"number": number})
                data["household"] = household
            data["contact_name"] = ""
        elif kind == ContactKind.ENTREPRENEUR and not (data.get("contact_name") or "").strip():
            self.add_error("contact_name", _("请填写致富能手的姓名。"))
        if data.get("until") and data.get("since") and data["until"] < data["since"]:
            self.add_error("until", _("联系结束不能早于联系开始。"))
        return data
