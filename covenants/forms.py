"""Forms of the covenants pages. They only read and check what the visitor gives; every write is
a service of covenants.services, whose field errors come back onto the form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from covenants.models import DEFAULT_REPEAT_WINDOW_MONTHS, Clause, CovenantKind, Severity, VersionStatus
from covenants.services.covenants import CLAUSE_FIELDS
from governance import clock
from governance.money import fen_to_yuan, yuan_to_fen
from governance.pages.widgets import PickerWidget
from governance.uploads import EvidenceFilesField
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
    # Evidence: the phone's camera straight away, or photos and PDFs already taken (both optional).
    evidence_photos = EvidenceFilesField(label=_("拍照取证"), camera=True, required=False)
    evidence = EvidenceFilesField(
        label=_("证据文件"),
        required=False,
        help_text=_("可选。照片（JPEG、PNG、WebP、HEIC）或 PDF，可多选。"),
    )

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
        self.fields["occurred_on"].widget.attrs["max"] = clock.today().isoformat()
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
            "evidence": [*data.get("evidence_photos", []), *data.get("evidence", [])],
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


class ReferForm(CovenantFormMixin, forms.Form):
    """移送: a serious violation handed to the department that enforces the law it also breaks."""

    department = forms.CharField(label=_("移送部门"), max_length=100, help_text=_("如：镇综合行政执法办、区自然资源局"))
    referred_on = forms.DateField(label=_("移送日期"), widget=date_widget())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()


# Writing covenant texts (covenants/pages/editor.py).


class CovenantForm(CovenantFormMixin, forms.Form):
    """新建公约: its kind, title and repeat window."""

    kind = forms.ChoiceField(label=_("类别"), choices=CovenantKind.choices)
    title = forms.CharField(label=_("名称"), max_length=100)
    repeat_window_months = forms.IntegerField(
        label=_("屡犯认定期（月）"),
        min_value=1,
        max_value=120,
        initial=DEFAULT_REPEAT_WINDOW_MONTHS,
        help_text=_("同一人在此期限内再次违反本公约，即认定为屡犯。"),
    )


class VersionForm(CovenantFormMixin, forms.Form):
    adopted_on = forms.DateField(label=_("村民（代表）会议通过日期"), required=False, widget=date_widget())


class ClauseForm(CovenantFormMixin, forms.Form):
    """A clause and what violating it leads to; compensation is entered in yuan and kept in fen."""

    number = forms.IntegerField(label=_("条号"), min_value=1, max_value=999)
    text = forms.CharField(label=_("条文"), widget=forms.Textarea(attrs={"rows": 4}))
    category = forms.CharField(label=_("类别"), max_length=50, required=False)
    about_households = forms.BooleanField(label=_("以户为单位"), required=False)
    bars_asset_bidding = forms.BooleanField(label=_("屡教不改者3年内不得竞投集体资产"), required=False)
    bars_election = forms.BooleanField(label=_("屡教不改者5年内不得当选、不得推荐为“两代表一委员”"), required=False)
    withholds_award = forms.BooleanField(label=_("违约者当期不发公约遵守奖"), required=False, initial=True)
    withholds_dividends = forms.BooleanField(label=_("违约者当期暂停股份分红"), required=False)
    suspends_homestead_allocation = forms.BooleanField(label=_("违约者整改前暂停宅基地分配"), required=False)
    restricts_services = forms.BooleanField(label=_("限制享受村级服务"), required=False)
    restricts_vehicle_access = forms.BooleanField(label=_("限制车辆出入"), required=False)
    compensation_yuan = forms.DecimalField(
        label=_("赔偿金额（元）"), required=False, min_value=0, max_digits=10, decimal_places=2
    )
    reward = forms.CharField(label=_("奖励"), max_length=200, required=False)

    @classmethod
    def initial_from(cls, clause: Clause) -> dict:
        initial = {field: getattr(clause, field) for field in CLAUSE_FIELDS if field != "compensation_fen"}
        initial["number"] = clause.number
        if clause.compensation_fen:
            initial["compensation_yuan"] = fen_to_yuan(clause.compensation_fen)
        return initial

    def clause_fields(self) -> dict:
        """The cleaned data as covenants.services.save_clause takes it (compensation in fen)."""
        data = dict(self.cleaned_data)
        data.pop("number")
        yuan = data.pop("compensation_yuan")
        data["compensation_fen"] = yuan_to_fen(yuan) if yuan else None
        return data


class ClauseReviewForm(CovenantFormMixin, forms.Form):
    comment = forms.CharField(label=_("审查意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    repeats_law = forms.BooleanField(label=_("照搬法律条文"), required=False)
    empty_slogan = forms.BooleanField(label=_("空泛口号"), required=False)


class MoveVersionForm(CovenantFormMixin, forms.Form):
    to = forms.ChoiceField(label=_("改为"), choices=VersionStatus.choices)
    on = forms.DateField(label=_("日期"), widget=date_widget(), initial=clock.today)
    comment = forms.CharField(label=_("审查意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
