"""Forms of the deliberation pages. They read and check what the visitor gives; a topic's steps are
services of engagement.services.deliberation (which re-check rights, order and four eyes inside
their transaction), whose field errors come back onto the form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from engagement.choices import Outcome
from engagement.models import CatalogueEntry, DeliberationBody, Meeting
from governance import clock
from governance.guards import NOT_IN_THE_FUTURE
from rights_lists.models import Decision
from villages.forms import BootstrapFormMixin
from villages.models import Person


def date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DeliberationFormMixin(BootstrapFormMixin):
    """Bootstrap's classes on every field, large on a phone's screen (touch targets)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()
        for field in self.fields.values():
            css = field.widget.attrs.get("class", "")
            if css in ("form-control", "form-select"):
                field.widget.attrs["class"] = f"{css} {css}-lg"


def not_in_the_future(day):
    if day is not None and day > clock.today():
        raise forms.ValidationError(NOT_IN_THE_FUTURE)
    return day


class BodyForm(DeliberationFormMixin, forms.ModelForm):
    """A village's deliberation body (议事会): its name, rules and the day it was formed."""

    class Meta:
        model = DeliberationBody
        fields = ["name", "rules", "formed_on"]
        widgets = {"formed_on": date_widget(), "rules": forms.Textarea(attrs={"rows": 6})}

    def clean_formed_on(self):
        return not_in_the_future(self.cleaned_data["formed_on"])


class MemberForm(DeliberationFormMixin, forms.Form):
    """A member of the body: a person registered in its village, and their standing."""

    person = forms.ModelChoiceField(Person.objects.none(), label=_("成员"), empty_label=_("请选择人员"))
    role = forms.CharField(
        label=_("身份"), max_length=50, required=False, help_text=_("如：党员代表、村民代表、乡贤、驻村律师")
    )

    def __init__(self, *args, body: DeliberationBody, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = (
            Person.objects.filter(division__code__startswith=body.division_id)
            .exclude(pk__in=body.members.values("person_id"))
            .order_by("name", "id")
        )


class MeetingForm(DeliberationFormMixin, forms.ModelForm):
    """A meeting of the body (协商会议): when, how many attended, the minutes."""

    class Meta:
        model = Meeting
        fields = ["held_on", "attendance", "minutes"]
        widgets = {"held_on": date_widget(), "minutes": forms.Textarea(attrs={"rows": 4})}

    def clean_held_on(self):
        return not_in_the_future(self.cleaned_data["held_on"])

    def clean_attendance(self):
        attendance = self.cleaned_data["attendance"]
        if attendance < 1:
            raise forms.ValidationError(_("参会人数至少为1人。"))
        return attendance


class CatalogueEntryForm(DeliberationFormMixin, forms.ModelForm):
    """An entry of the district's guiding catalogue (指导目录)."""

    class Meta:
        model = CatalogueEntry
        fields = ["title", "description", "active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, district=None, **kwargs):
        super().__init__(*args, **kwargs)
        if district is not None:
            self.instance.district = district

    def clean_title(self):
        title = self.cleaned_data["title"]
        taken = CatalogueEntry.objects.filter(district_id=self.instance.district_id, title=title)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("本区的指导目录已有该议题类别。"))
        return title


class ProposeTopicForm(DeliberationFormMixin, forms.Form):
    """提出议题: the body, the catalogue's category, the topic and the day it was proposed."""

    body = forms.ModelChoiceField(DeliberationBody.objects.none(), label=_("议事会"), empty_label=_("请选择议事会"))
    entry = forms.ModelChoiceField(CatalogueEntry.objects.none(), label=_("目录类别"), empty_label=_("请选择类别"))
    title = forms.CharField(label=_("议题"), max_length=200)
    proposed_on = forms.DateField(label=_("提出日期"), widget=date_widget())

    def __init__(self, *args, bodies, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies
        self.fields["body"].label_from_instance = lambda body: f"{body.division.name} · {body.name}"
        self.fields["entry"].queryset = entries
        self.initial.setdefault("proposed_on", clock.today())
        if bodies.count() == 1:
            self.initial.setdefault("body", bodies.first().pk)


class ReviewTopicForm(DeliberationFormMixin, forms.Form):
    """预审: approved or not (with the reason), and the day."""

    approved = forms.TypedChoiceField(
        label=_("预审结论"),
        choices=(("true", _("通过")), ("false", _("不通过"))),
        coerce=lambda value: value == "true",
        widget=forms.RadioSelect,
    )
    reviewed_on = forms.DateField(label=_("预审日期"), widget=date_widget())
    note = forms.CharField(
        label=_("预审意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text=_("不通过须说明理由。")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("reviewed_on", clock.today())


class DeliberateTopicForm(DeliberationFormMixin, forms.Form):
    """协商: the body's meeting that deliberated the topic, the outcome, and the village's decision
    when the outcome needs one (四议两公开)."""

    meeting = forms.ModelChoiceField(Meeting.objects.none(), label=_("协商会议"), empty_label=_("请选择会议"))
    outcome = forms.ChoiceField(label=_("协商结果"), choices=Outcome.choices, widget=forms.RadioSelect)
    decision = forms.ModelChoiceField(
        Decision.objects.none(),
        label=_("对应决策"),
        required=False,
        empty_label=_("无"),
        help_text=_("需按“四议两公开”决策时选择本村（社区）的决策。"),
    )

    def __init__(self, *args, meetings, decisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        self.fields["decision"].queryset = decisions
