"""Forms of the villages pages. Model validation (ID number check digit, household in the same
division) runs as in the API; the choices offered are restricted to the user's jurisdiction."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from governance.pages.widgets import PickerWidget
from villages import identity
from villages.models import Division, Household, Membership, PartyMembership, Person, Position


class ModelRuleErrorsMixin:
    """An error the model's clean() gives for a field the form does not show (a legacy
    duplicate found while ending a position, say) becomes a form-wide error. Django would raise
    ValueError ("has no field named ...") for it: a 500 instead of a message."""

    def add_error(self, field, error) -> None:
        if field is None and isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            shown: dict[str, list] = {}
            for name, errors in error.error_dict.items():
                target = name if name in self.fields else NON_FIELD_ERRORS
                shown.setdefault(target, []).extend(errors)
            error = ValidationError(shown)
        super().add_error(field, error)


class BootstrapFormMixin(ModelRuleErrorsMixin):
    """Bootstrap's classes on every field, and its error marks on the fields in error; model
    rules about fields a form lacks reported form-wide (ModelRuleErrorsMixin)."""

    def style_fields(self) -> None:
        for field in self.fields.values():
            if isinstance(field.widget, forms.RadioSelect):
                css_class = "form-check-input"
            elif isinstance(field.widget, forms.Select):
                css_class = "form-select"
            else:
                css_class = "form-control"
            field.widget.attrs.setdefault("class", css_class)

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
                attrs["aria-describedby"] = f"error-{name}"


def offer_divisions(field: forms.ModelChoiceField, divisions: list[Division]) -> None:
    """Make a division field offer exactly these divisions, each by its qualified name and code
    (names repeat: every village has a 第一经济社); preselected when there is only one."""
    codes = [division.code for division in divisions]
    field.queryset = Division.objects.filter(code__in=codes).select_related("parent")
    field.label_from_instance = lambda division: f"{division.qualified_name}（{division.code}）"
    if len(divisions) == 1:
        field.initial = divisions[0].code


class PersonForm(BootstrapFormMixin, forms.ModelForm):
    """Register or edit a person of one division (the view sets `instance.division`).

    The household is picked by number (a searchable picker: a village has hundreds) among the
    households of that division the user may view; another is a field error. Without the
    personal-data permission there, the ID number and phone are not part of the form at all:
    nobody edits what they may not see.
    """

    class Meta:
        model = Person
        fields = ["name", "id_number", "phone", "household"]
        error_messages = {
            "id_number": {"unique": _("该身份证号已登记。")},
        }
        help_texts = {
            "id_number": _("18位，性别和出生日期由身份证号自动得出。"),
            "household": _("可留空，之后再登记。"),
        }
        widgets = {"household": PickerWidget("villages.household", placeholder=_("（未登记户）"))}

    def __init__(self, *args, user, division_code: str, personal_data_visible: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.division_id = division_code
        self.fields["household"].widget.at = division_code  # the picker offers this division's households
        self.fields["household"].queryset = (
            Household.objects.restrict(user, "view").filter(division_id=division_code).order_by("number")
        )
        if not personal_data_visible:
            del self.fields["id_number"]
            del self.fields["phone"]
        self.style_fields()

    def clean_id_number(self) -> str:
        return identity.normalise_id_number(self.cleaned_data["id_number"])


class DecideFilingForm(BootstrapFormMixin, forms.Form):
    """The reviewer's decision on a filing (备案审核): accept or return it, with an opinion."""

    decision = forms.ChoiceField(
        label=_("审核结果"),
        choices=[("accept", _("准予备案")), ("return", _("退回"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("意见"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("退回时请写明原因。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()


class PositionForm(BootstrapFormMixin, forms.ModelForm):
    """Record a position held by one person (the view sets `instance.person`), in one of the
    divisions the view offers. The kind's level, and one current holder of a one-holder post,
    are checked by Position.clean, as in the API."""

    class Meta:
        model = Position
        fields = ["kind", "division", "started_on", "term_ends_on"]
        widgets = {
            "started_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "term_ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "division": _("村级职务在村（社区），经济社职务在经济社。"),
            "term_ends_on": _("村“两委”和经济社任期五年。"),
        }

    def __init__(self, *args, person: Person, divisions: list[Division], **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.person = person
        offer_divisions(self.fields["division"], divisions)
        self.style_fields()


def end_date_form(record_model, field_name: str) -> type[forms.ModelForm]:
    """A form asking for the one day a record ended (离任, 退出): required; the record stays."""

    class EndDateForm(BootstrapFormMixin, forms.ModelForm):
        class Meta:
            model = record_model
            fields = [field_name]
            widgets = {field_name: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields[field_name].required = True
            self.style_fields()

    return EndDateForm


EndPositionForm = end_date_form(Position, "ended_on")
LeaveCooperativeForm = end_date_form(Membership, "left_on")


class MembershipForm(BootstrapFormMixin, forms.ModelForm):
    """Register a person as a member (成员) of a cooperative's collective economic organisation,
    in one of the cooperatives the view offers (the view sets `instance.person`)."""

    class Meta:
        model = Membership
        fields = ["cooperative", "shares", "joined_on"]
        widgets = {"joined_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        help_texts = {"shares": _("按本社股权配置方案填写，可为小数。")}

    def __init__(self, *args, person: Person, divisions: list[Division], **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.person = person
        offer_divisions(self.fields["cooperative"], divisions)
        self.style_fields()


class HouseholdForm(BootstrapFormMixin, forms.ModelForm):
    """Register a household in one division (the view sets `instance.division`)."""

    class Meta:
        model = Household
        fields = ["number", "address"]
        help_texts = {"number": _("本村社内唯一，如户口簿上的户号。")}

    def __init__(self, *args, division_code: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.division_id = division_code
        self.style_fields()

    def clean_number(self) -> str:
        # Unique within the division: Household.clean says so, as an error on this field.
        return self.cleaned_data["number"].strip()


class PartyMembershipForm(BootstrapFormMixin, forms.ModelForm):
    """Register a person as a party member of their village's party organisation (the view sets
    the person and the branch); the day they joined is the one thing asked."""

    class Meta:
        model = PartyMembership
        fields = ["joined_on"]
        widgets = {"joined_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, person: Person, branch_code: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.person = person
        self.instance.branch_id = branch_code
        self.style_fields()


class MergeForm(BootstrapFormMixin, forms.Form):
    """撤并: the division a retired one goes into, among `successors` (the active divisions of
    its level and parent the user may change: retire_division's rules), and the day. The service
    has the last word; its refusals show on these fields or form-wide."""

    into = forms.ModelChoiceField(
        Division.objects.none(),
        label=_("并入"),
        empty_label=_("请选择并入的村（社区）"),
        error_messages={
            "required": _("请选择并入的区划。"),
            "invalid_choice": _("所选区划不能作为并入对象：须为同一上级下、您有权变更的在用区划。"),
        },
    )
    on = forms.DateField(
        label=_("撤销日期"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("上级批准撤并的日期；自该日起，本村（社区）的人员和记录计入并入的村（社区）。"),
        error_messages={"required": _("请填写撤销日期。"), "invalid": _("请填写有效的日期。")},
    )

    def __init__(self, *args, successors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = successors
        self.fields["into"].to_field_name = "code"
        self.fields["into"].label_from_instance = lambda division: f"{division.name}（{division.code}）"
        self.style_fields()
