"""The Django forms of the supervision app's pages: what a page takes in, each field with its
label; the rules are the services' (a form only parses)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from governance import clock
from governance.money import yuan_to_fen
from governance.pages.widgets import PickerWidget
from governance.periods import Period
from governance.uploads import SpreadsheetField
from supervision.choices import ENTERED, Cadence, Grade, UnitLevel
from supervision.models import DisciplinarySanction
from supervision.services.indicators import computed_indicators
from villages.choices import PositionKind
from villages.forms import BootstrapFormMixin
from villages.models import Division, Person

# Empty indicator rows the scheme editor offers beyond the scheme's own (rows left empty are ignored).
EXTRA_INDICATOR_ROWS = 3


def date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


# --- the grids of a period (duty reports, collective incomes) ---------------------------------------


def current_period() -> str:
    return str(clock.today().year)


class GridFilterForm(BootstrapFormMixin, forms.Form):
    """选择单位和期间: level, period and (optionally) a division the user may view."""

    level = forms.ChoiceField(label=_("单位层级"), choices=UnitLevel.choices)
    period = forms.CharField(label=_("期间"), max_length=7, help_text=_("如 2026、2026-H1 或 2026-Q3。"))
    division = forms.ModelChoiceField(
        Division.objects.none(),
        label=_("范围（含下级）"),
        required=False,
        widget=PickerWidget("villages.division", placeholder=_("输入名称或代码")),
    )

    def __init__(self, data, *, user, default_level: str = UnitLevel.VILLAGE):
        super().__init__({"level": default_level, "period": current_period(), **data.dict()})
        self.fields["division"].queryset = Division.objects.restrict(user, "view")
        self.style_fields()

    def clean_period(self) -> str:
        try:
            return Period.parse(self.cleaned_data["period"]).label
        except ValidationError as error:
            raise ValidationError(error.messages) from None


# What one cell takes: yuan with at most 2 decimals, below ten thousand billion yuan (the column
# holds fen in a bigint). Thousands separators are allowed and dropped.
AMOUNT = forms.DecimalField(
    max_digits=15,
    decimal_places=2,
    error_messages={
        "invalid": gettext_lazy("金额应为以元计的数字，如 12345.67。"),
        "max_decimal_places": gettext_lazy("金额最多保留两位小数（分）。"),
        "max_digits": gettext_lazy("金额过大。"),
        "max_whole_digits": gettext_lazy("金额过大。"),
    },
)
SEPARATORS = str.maketrans("", "", ",，  ")


def fen_of(text: str) -> int:
    """The fen of an amount typed in yuan; a ValidationError (Django's messages) when it is none."""
    yuan: Decimal = AMOUNT.clean(text.translate(SEPARATORS))
    return yuan_to_fen(yuan)


# --- schemes and score entry ---------------------------------------------------------------------------


def source_choices() -> list[tuple[str, str]]:
    return [(ENTERED, _("镇（街道）录入")), *((code, str(i.name)) for code, i in computed_indicators().items())]


class SchemeForm(BootstrapFormMixin, forms.Form):
    """The scheme's own fields; level and period are fixed for a new version of a scheme."""

    name = forms.CharField(label=gettext_lazy("方案名称"), max_length=200)
    level = forms.ChoiceField(label=gettext_lazy("考核对象"), choices=UnitLevel.choices)
    period = forms.CharField(
        label=gettext_lazy("考核期间"), max_length=7, help_text=gettext_lazy("如 2026、2026-H1 或 2026-Q3。")
    )
    excellent = forms.DecimalField(label=gettext_lazy("优秀最低分"), min_value=0, max_value=100, decimal_places=2)
    good = forms.DecimalField(label=gettext_lazy("良好最低分"), min_value=0, max_value=100, decimal_places=2)
    passing = forms.DecimalField(label=gettext_lazy("合格最低分"), min_value=0, max_value=100, decimal_places=2)
    excellent_share = forms.IntegerField(
        label=gettext_lazy("优秀比例（%）"),
        min_value=0,
        max_value=100,
        help_text=gettext_lazy("每个镇（街道）内评为优秀的单位最多占的比例。"),
    )
    community_workers = forms.BooleanField(
        label=gettext_lazy("考核社区工作者"),
        required=False,
        help_text=gettext_lazy(
            "仅用于考核村（社区）的方案：群众满意度（指标代码 residents_satisfaction）应占最大权重。"
        ),
    )

    # The service's error fields, as this form names them.
    SERVICE_FIELDS = {"grades": "excellent", "division": None, "scheme": None}

    def __init__(self, *args, fixed: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if fixed:
            for name in ("level", "period"):
                self.fields[name].disabled = True
        self.style_fields()


class IndicatorForm(BootstrapFormMixin, forms.Form):
    code = forms.CharField(label=gettext_lazy("指标代码"), max_length=40)
    name = forms.CharField(label=gettext_lazy("指标名称"), max_length=200)
    weight = forms.IntegerField(label=gettext_lazy("权重"), min_value=1, max_value=100)
    source = forms.ChoiceField(label=gettext_lazy("来源"), choices=source_choices, initial=ENTERED)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()


IndicatorFormSet = forms.formset_factory(IndicatorForm, extra=EXTRA_INDICATOR_ROWS)


def indicators_of(formset) -> list[dict]:
    """The rows filled in, in their order (rows left empty are ignored), each with its form."""
    rows = []
    for form in formset.forms:
        if form.has_changed() and form.cleaned_data:
            rows.append((form, {key: form.cleaned_data[key] for key in ("code", "name", "weight", "source")}))
    return rows


class UploadForm(forms.Form):
    # The size limit and the XLSX check: governance.uploads.accept_spreadsheet.
    file = SpreadsheetField(
        label=gettext_lazy("得分表（XLSX）"), help_text=gettext_lazy("请使用下载的模板填写，空白单元格不作修改。")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs.update({"class": "form-control", "accept": ".xlsx"})


# --- supervision records ---------------------------------------------------------------------------------


def _formfield(field, **kwargs):
    formfield = field.formfield(**kwargs)
    if isinstance(formfield, forms.DateField):
        formfield.widget = date_widget()
    return formfield


class RecordForm(BootstrapFormMixin, forms.Form):
    """Filing a record of a kind (supervision.pages.records.Kind): the person (picked among those
    the visitor may view), where it lies (optional: the person's own village or cooperative), then
    the kind's fields."""

    person = forms.ModelChoiceField(
        Person.objects.none(), label=_("干部"), widget=PickerWidget("villages.person", placeholder=_("输入姓名搜索"))
    )
    division = forms.ModelChoiceField(
        Division.objects.none(),
        label=_("任职村社"),
        required=False,
        help_text=_("不填则为此人登记所在的村社。"),
        widget=PickerWidget("villages.division", placeholder=_("输入名称或代码")),
    )

    def __init__(self, *args, user, kind, correcting=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.restrict(user, "view").select_related("division__parent")
        self.fields["division"].queryset = Division.objects.restrict(user, "view")
        for name, field in fields_for_model(kind.model, fields=kind.filed, formfield_callback=_formfield).items():
            self.fields[name] = field
        if kind.model is DisciplinarySanction:
            self.fields["deduction_percent"].required = False
            self.fields["deduction_months"].required = False
            self.fields["deduction_percent"].help_text = _("不填则按处分种类的默认比例。")
            self.fields["deduction_months"].help_text = _("不填则按处分种类的默认期限。")
        if correcting is not None:
            self.fields["correction_reason"] = forms.CharField(
                label=_("更正理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
            )
        self.style_fields()


class FollowUpForm(BootstrapFormMixin, forms.Form):
    done_on = forms.DateField(label=_("整改完成日期"), widget=date_widget())
    result = forms.CharField(label=_("整改结果"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()


# --- remuneration rules ------------------------------------------------------------------------------------


# The posts a rule's form offers a base for: the village's and cooperatives' leading posts and
# committee members (villages.choices.PositionKind), not representatives or reserve cadres.
PAID_POSTS = (
    PositionKind.PARTY_SECRETARY,
    PositionKind.COMMITTEE_DIRECTOR,
    PositionKind.SECRETARY_AND_DIRECTOR,
    PositionKind.COOPERATIVE_HEAD,
    PositionKind.COOPERATIVE_COMMITTEE_MEMBER,
)


def yuan_field(label, required: bool = False) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=required, min_value=0, max_digits=12, decimal_places=2, help_text=_("单位：元")
    )


class RuleForm(BootstrapFormMixin, forms.Form):
    """报酬规则: the period, the base of each paid post (empty: the post is not paid), the
    performance of each grade, and the collective income bonus, in yuan (saved in fen)."""

    period = forms.CharField(label=_("期间"), max_length=7, help_text=_("与考核方案的期间相同，如 2025 或 2025-H1。"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in PAID_POSTS:
            self.fields[f"base_{kind}"] = yuan_field(_("基本报酬：%(post)s") % {"post": PositionKind(kind).label})
        for grade in Grade:
            self.fields[f"performance_{grade}"] = yuan_field(_("考核绩效：%(grade)s") % {"grade": grade.label})
        self.fields["bonus_threshold"] = yuan_field(_("创收奖励起点（集体经营性收入）"))
        self.fields["bonus_percent"] = forms.IntegerField(
            label=_("创收奖励比例（%）"), required=False, min_value=0, max_value=100
        )
        self.fields["bonus_cap"] = yuan_field(_("创收奖励上限"))
        self.fields["bonus_cap"].help_text = _("单位：元；不填则不设上限。")
        self.style_fields()

    def rule_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "period": data["period"],
            "bases": {
                kind: yuan_to_fen(data[f"base_{kind}"]) for kind in PAID_POSTS if data[f"base_{kind}"] is not None
            },
            "performance": {
                grade: yuan_to_fen(data[f"performance_{grade}"])
                for grade in Grade.values
                if data[f"performance_{grade}"] is not None
            },
            "bonus_threshold_fen": yuan_to_fen(data["bonus_threshold"]) or 0,
            "bonus_percent": data["bonus_percent"] or 0,
            "bonus_cap_fen": yuan_to_fen(data["bonus_cap"]),
        }


# --- village affairs disclosure (the catalogue and filing) -------------------------------------------


class DisclosureItemForm(BootstrapFormMixin, forms.Form):
    """公开目录事项: what is published, how often, from when (and until when, to stop it)."""

    title = forms.CharField(label=_("公开事项"), max_length=200)
    cadence = forms.ChoiceField(label=_("公开频次"), choices=Cadence.choices)
    since = forms.DateField(label=_("起始日期"), widget=date_widget())
    until = forms.DateField(
        label=_("停止日期"), required=False, widget=date_widget(), help_text=_("不再公开的事项填写；不填则一直公开。")
    )

    def __init__(self, *args, with_until: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_until:
            del self.fields["until"]
        self.style_fields()


class FileDisclosureForm(BootstrapFormMixin, forms.Form):
    """登记公开: the period (any day of the month or quarter, or the day a major matter was decided),
    the day it was posted and what was posted."""

    period_day = forms.DateField(
        label=_("所属期间"),
        widget=date_widget(),
        help_text=_("该月或该季度内的任一日；随时公开的事项填写事项决定的日期。"),
    )
    filed_on = forms.DateField(
        label=_("公开日期"), widget=date_widget(), help_text=_("张贴或发布的日期，不能晚于今天。")
    )
    content = forms.CharField(label=_("公开内容"), widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()
