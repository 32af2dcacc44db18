"""Forms of the party members' service pages. They read and check what the visitor gives; every
write is a service of engagement.services.party (which re-checks the right and the rules inside
its transaction), whose field errors come back onto the form. Large fields on a phone's screen."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from engagement.choices import PointActivity
from engagement.models import PointRule
from governance.clock import today
from villages.forms import BootstrapFormMixin
from villages.models import PartyMembership, Person


class PartyFormMixin(BootstrapFormMixin):
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


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, member) -> str:
        return member.person.name


def members_of(village_code: str):
    """The party members of a village's organisation, by name (the form's choices)."""
    return PartyMembership.objects.filter(branch_id=village_code).select_related("person").order_by("person__name")


class ServicePostForm(PartyFormMixin, forms.Form):
    """A village's service post (服务岗)."""

    name = forms.CharField(label=_("岗位名称"), max_length=60, help_text=_("如：政策宣传岗、环境监督岗。"))
    duty = forms.CharField(label=_("岗位职责"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ClaimPostForm(PartyFormMixin, forms.Form):
    """A party member of the post's village claims it (认岗)."""

    member = MemberChoiceField(PartyMembership.objects.none(), label=_("党员"), empty_label=_("请选择党员"))
    claimed_on = forms.DateField(label=_("认岗日期"), widget=date_widget())

    def __init__(self, *args, village_code: str, **kwargs):
        kwargs["initial"] = {"claimed_on": today(), **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members_of(village_code)


class LeavePostForm(PartyFormMixin, forms.Form):
    left_on = forms.DateField(label=_("离岗日期"), widget=date_widget())

    def __init__(self, *args, **kwargs):
        kwargs["initial"] = {"left_on": today(), **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)


class PointRuleForm(PartyFormMixin, forms.ModelForm):
    """A district's point rule: how many points one activity earns."""

    class Meta:
        model = PointRule
        fields = ["district", "activity", "points", "description"]

    def __init__(self, *args, districts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts
        self.fields["district"].empty_label = None
        self.fields["points"].min_value = 1

    def clean(self):
        cleaned = super().clean()
        district, activity = cleaned.get("district"), cleaned.get("activity")
        others = PointRule.objects.filter(district=district, activity=activity)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if district is not None and activity and others.exists():
            self.add_error("activity", _("本区已有该积分项目的规则。"))
        if cleaned.get("points") == 0:
            self.add_error("points", _("每次积分须大于0。"))
        return cleaned

    def validate_unique(self):
        """The (district, activity) pair is checked in clean(), with its own message."""


class AwardPointsForm(PartyFormMixin, forms.Form):
    """Points for a party member's activity: the district's rule sets how many."""

    member = MemberChoiceField(PartyMembership.objects.none(), label=_("党员"), empty_label=_("请选择党员"))
    activity = forms.ChoiceField(label=_("积分项目"), choices=PointActivity.choices)
    earned_on = forms.DateField(label=_("日期"), widget=date_widget())
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, village_code: str, **kwargs):
        kwargs["initial"] = {"earned_on": today(), **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members_of(village_code)


class VillagerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person) -> str:
        return person.name


class VillagerPointsForm(PartyFormMixin, forms.Form):
    """A villager's points, where the village keeps them."""

    person = VillagerChoiceField(Person.objects.none(), label=_("村民"), empty_label=_("请选择村民"))
    points = forms.IntegerField(label=_("积分"), min_value=1, max_value=1000)
    earned_on = forms.DateField(label=_("日期"), widget=date_widget())
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, village_code: str, **kwargs):
        kwargs["initial"] = {"earned_on": today(), **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(division__code__startswith=village_code).order_by(
            "name", "id"
        )
