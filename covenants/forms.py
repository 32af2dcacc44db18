"""Forms of the covenants pages. They only read and check what the visitor gives; every write is
a service of covenants.services, whose field errors come back onto the form."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from covenants.models import Clause, Severity, VersionStatus
from governance.pages.widgets import PickerWidget
from villages import identity
from villages.forms import BootstrapFormMixin
from villages.models import Person


def date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def clause_label(clause: Clause) -> str:
    """第3条 车辆按位停放。（罗村村规民约）: number, the start of the text, the covenant."""
    text = clause.text if len(clause.text) <= 30 else f"{clause.text[:30]}…"
    return _("第%(number)s条 %(text)s（%(covenant)s）") % {
        "number": clause.number,
        "text": text,
        "covenant": clause.version.covenant.title,
    }


class CovenantFormMixin(BootstrapFormMixin):
    """Bootstrap's classes, large on a phone's screen (touch targets), on every field."""

    def style_fields(self) -> None:
        super().style_fields()
        for field in self.fields.values():
            css = field.widget.attrs.get("class", "")
            if css in ("form-control", "form-select"):
                field.widget.attrs["class"] = f"{css} {css}-lg"


class ViolationForm(CovenantFormMixin, forms.Form):
    """登记违约: the person (by ID number, or picked by name among the village's people), the
    clause in force that was violated, when, the facts and how serious."""

    id_number = forms.CharField(
        label=_("违约人身份证号"),
        required=False,
        max_length=18,
        help_text=_("填写身份证号，或在下一栏按姓名查找。"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )
    person = forms.ModelChoiceField(
        Person.objects.none(),
        label=_("违约人"),
        required=False,
        widget=PickerWidget("villages.person", placeholder=_("输入姓名搜索")),
    )
    clause = forms.ModelChoiceField(Clause.objects.none(), label=_("违反条款"), empty_label=_("请选择条款"))
    occurred_on = forms.DateField(label=_("发生日期"), widget=date_widget())
    facts = forms.CharField(label=_("违约事实"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    severity = forms.ChoiceField(label=_("情节"), choices=Severity.choices, initial=Severity.MINOR)

    def __init__(self, *args, user, village, **kwargs):
        super().__init__(*args, **kwargs)
        self.village = village
        self.people = (
            Person.objects.restrict(user, "view")
            .filter(division__code__startswith=village.code)
            .select_related("division__parent")
        )
        person_field = self.fields["person"]
        person_field.queryset = self.people
        person_field.widget.within = village.code
        clause_field = self.fields["clause"]
        clause_field.queryset = (
            Clause.objects.restrict(user, "view")
            .filter(version__covenant__division=village, version__status=VersionStatus.PUBLISHED)
            .select_related("version__covenant")
            .order_by("version__covenant__kind", "version__covenant_id", "number")
        )
        clause_field.label_from_instance = clause_label
        self.fields["occurred_on"].widget.attrs["max"] = datetime.date.today().isoformat()
        self.style_fields()

    def clean(self):
        cleaned = super().clean()
        raw = identity.normalise_id_number(cleaned.get("id_number", ""))
        picked = cleaned.get("person")
        if raw:
            found = self.people.with_id_number(raw).first()
            if found is None:
                self.add_error("id_number", _("本村（社区）没有登记该身份证号的人员。"))
            elif picked is not None and picked.pk != found.pk:
                self.add_error("person", _("所选人员与身份证号不符。"))
            else:
                cleaned["person"] = found
        elif picked is None and "person" not in self.errors:
            self.add_error("id_number", _("请填写违约人的身份证号，或按姓名选择违约人。"))
        return cleaned

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "person": data["person"],
            "clause": data["clause"],
            "occurred_on": data["occurred_on"],
            "facts": data["facts"],
            "severity": data["severity"],
        }


class ConfirmViolationForm(CovenantFormMixin, forms.Form):
    """认定: the day of confirmation (the sanctions run from it) and the severity confirmed."""

    confirmed_on = forms.DateField(label=_("认定日期"), widget=date_widget())
    severity = forms.ChoiceField(label=_("情节"), choices=Severity.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()


class AppealForm(CovenantFormMixin, forms.Form):
    """申诉: the day the person appealed, and why."""

    filed_on = forms.DateField(label=_("申诉日期"), widget=date_widget())
    reason = forms.CharField(label=_("申诉理由"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()


class DecideAppealForm(CovenantFormMixin, forms.Form):
    """申诉处理: upheld (everything the violation caused is lifted) or not, and when."""

    upheld = forms.TypedChoiceField(
        label=_("处理结果"),
        choices=[("true", _("申诉成立，撤销违约认定")), ("false", _("申诉不成立，维持认定"))],
        coerce=lambda value: value == "true",
        widget=forms.RadioSelect,
    )
    decided_on = forms.DateField(label=_("处理日期"), widget=date_widget())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()


class RectifyForm(CovenantFormMixin, forms.Form):
    """整改完成: restrictions lasting until rectification end that day."""

    rectified_on = forms.DateField(label=_("整改完成日期"), widget=date_widget())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()
