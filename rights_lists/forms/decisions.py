"""The forms of a decision's workflow (四议两公开): opening one on an item in force, the meeting of
its next step, the publications, the implementation, the withdrawal and the attachments. Each
feeds one rights_lists.services action; the rules are the services'."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from governance.money import yuan_to_fen
from governance.uploads import PhotosOrFilesForm
from rights_lists import rules
from rights_lists.choices import Body, Step
from rights_lists.forms.base import RightsListsFormMixin, body_choices, date_widget
from rights_lists.models import Decision, DecisionStep, ListItem

# The figures of a step, as the form names them and services.assess_step takes them.
STEP_FIGURES = (
    "held_on",
    "expected",
    "present",
    "votes_for",
    "votes_against",
    "abstentions",
    "households",
    "households_present",
)


# The fields a refusal may name, in the order the form shows them.
STEP_FIELDS = ("step", "body", *STEP_FIGURES)


def item_label(item: ListItem) -> str:
    return _("%(number)s %(title)s（%(list)s · %(procedure)s）") % {
        "number": item.number,
        "title": item.title,
        "list": item.list.get_kind_display(),
        "procedure": item.get_procedure_display(),
    }


class OpenDecisionForm(RightsListsFormMixin, forms.Form):
    item = forms.ModelChoiceField(ListItem.objects.none(), label=gettext_lazy("清单事项"))
    title = forms.CharField(label=gettext_lazy("决策事项"), max_length=200)
    amount = forms.DecimalField(
        label=gettext_lazy("涉及金额（元）"),
        required=False,
        min_value=Decimal(0),
        max_digits=16,
        decimal_places=2,
        help_text=gettext_lazy("超过事项的金额标准时，按“四议两公开”程序决策。"),
    )

    def __init__(self, *args, division, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["item"]
        field.queryset = (
            ListItem.objects.in_force_for(division.code).select_related("list").order_by("list__kind", "list_id", "id")
        )
        field.label_from_instance = item_label
        self.style_fields()

    def service_arguments(self) -> dict:
        amount = self.cleaned_data.get("amount")
        return {
            "item": self.cleaned_data["item"],
            "title": self.cleaned_data["title"],
            "amount_fen": yuan_to_fen(amount),
        }


class StepForm(RightsListsFormMixin, forms.Form):
    """One meeting of the decision's next step. The step is the next one of its procedure (a
    hidden field, so that the service refuses it if another tab recorded it meanwhile); the body
    is chosen when more than one may sit (the resolution: representative or villagers'
    assembly). Counts of households only where the villagers' assembly may sit."""

    step = forms.ChoiceField(choices=Step.choices, widget=forms.HiddenInput)
    body = forms.ChoiceField(label=gettext_lazy("会议"), choices=Body.choices)
    held_on = forms.DateField(label=gettext_lazy("召开日期"), widget=date_widget())
    expected = forms.IntegerField(label=gettext_lazy("应到人数"), required=False, min_value=0)
    present = forms.IntegerField(label=gettext_lazy("实到人数"), min_value=0)
    votes_for = forms.IntegerField(label=gettext_lazy("赞成"), min_value=0)
    votes_against = forms.IntegerField(label=gettext_lazy("反对"), min_value=0, initial=0, required=False)
    abstentions = forms.IntegerField(label=gettext_lazy("弃权"), min_value=0, initial=0, required=False)
    households = forms.IntegerField(
        label=gettext_lazy("应到户数"),
        required=False,
        min_value=0,
        help_text=gettext_lazy("仅村民会议按户代表计算时填写；留空按系统登记的户数。"),
    )
    households_present = forms.IntegerField(label=gettext_lazy("到会户代表数"), required=False, min_value=0)

    def __init__(self, *args, step: str, bodies: tuple[str, ...], records: dict[str, int | None], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].initial = step
        body = self.fields["body"]
        body.initial = bodies[0]
        if len(bodies) == 1:
            body.widget = forms.HiddenInput()
        else:
            # Offered: the step's bodies. Accepted: any body, so that a form left open while the
            # step was recorded elsewhere gets the service's message, not "not a valid choice".
            body.widget.choices = body_choices(bodies)
        if Body.VILLAGERS_ASSEMBLY not in bodies:
            del self.fields["households"], self.fields["households_present"]
        known = {rules.body_name(b): count for b, count in records.items() if count is not None}
        if known:
            figures = "；".join(
                _("%(body)s %(count)s 人") % {"body": name, "count": count} for name, count in known.items()
            )
            self.fields["expected"].help_text = _(
                "系统记录（今日）：%(figures)s。留空即按系统记录；填写的人数与之不同时照填，并在时间轴上标注。"
            ) % {"figures": figures}
        else:
            self.fields["expected"].required = True
            self.fields["expected"].help_text = _("系统中没有该会议成员的记录，请填写。")
        self.style_fields()

    def figures(self) -> dict:
        """The cleaned figures for the service (absent counts of votes against and abstentions are 0)."""
        data = self.cleaned_data
        values = {name: data.get(name) for name in STEP_FIGURES if name in self.fields}
        values["votes_against"] = values.get("votes_against") or 0
        values["abstentions"] = values.get("abstentions") or 0
        return {"step": data["step"], "body": data.get("body") or None, **values}

    def typed_so_far(self) -> dict:
        """For the preview: every figure that cleaned (None for the others), whatever is missing."""
        data = getattr(self, "cleaned_data", {})
        values = {name: data.get(name) for name in STEP_FIGURES if name in self.fields}
        return {"body": data.get("body") or None, **values}


class PublicationForm(RightsListsFormMixin, forms.Form):
    published_on = forms.DateField(label=gettext_lazy("公开日期"), widget=date_widget())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()


class ImplementationForm(RightsListsFormMixin, forms.Form):
    done_on = forms.DateField(label=gettext_lazy("实施完成日期"), widget=date_widget())
    summary = forms.CharField(label=gettext_lazy("实施情况"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()


class WithdrawForm(RightsListsFormMixin, forms.Form):
    reason = forms.CharField(label=gettext_lazy("撤回理由"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    withdrawn_on = forms.DateField(label=gettext_lazy("撤回日期"), widget=date_widget())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()


class AttachmentForm(RightsListsFormMixin, PhotosOrFilesForm):
    """添加附件: minutes of one of the decision's meetings, or another file of the decision;
    photos taken now with the phone's camera and/or files chosen."""

    step = forms.ModelChoiceField(
        DecisionStep.objects.none(),
        label=gettext_lazy("所属会议"),
        required=False,
        empty_label=gettext_lazy("不属于某次会议"),
    )
    files_help = gettext_lazy("会议记录的扫描件、照片（JPEG、PNG、WebP、HEIC）或 PDF，可多选。")
    field_order = ["step", "photos", "files"]

    def __init__(self, *args, decision: Decision, **kwargs):
        super().__init__(*args, **kwargs)
        step = self.fields["step"]
        step.queryset = DecisionStep.objects.filter(decision=decision).order_by("held_on", "id")
        step.label_from_instance = lambda row: f"{row.get_step_display()} · {row.held_on:%Y-%m-%d}"
        self.style_fields()
