"""Serializers of visiting cadres, visits and kept contacts (docs/api.md, "Visits").

Reads are model serializers (divisions by code, people and users by name); writes are small input
serializers whose validated data the views hand to engagement.services.visits, which re-checks
the caller's right at the target inside its transaction. Kept contacts are plain records: their
rules (a household or an entrepreneur's name) are the model's, checked here by full_clean so that
a bad one is a field-level 400."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from engagement.choices import ContactKind, VisitorLevel
from engagement.models import KeptContact, Visit, VisitingCadre
from governance.api.fields import ChoiceLabelField
from governance.api.serializers import PortalModelSerializer
from governance.people_names import named
from villages.choices import Level
from villages.models import Division, Household, Person


class VisitingCadreSerializer(PortalModelSerializer):
    """A county or town cadre who visits, at the level whose quota applies, with the villages
    linked to them (包联村, by code)."""

    division = serializers.CharField(source="division_id", read_only=True)
    division_name = serializers.CharField(source="division.name", read_only=True)
    level = serializers.ChoiceField(choices=VisitorLevel.choices, read_only=True)
    level_name = ChoiceLabelField("level")
    user = serializers.CharField(source="user.username", read_only=True, allow_null=True, default=None)
    villages = serializers.SerializerMethodField(help_text=_("包联村（社区）代码"))

    class Meta:
        model = VisitingCadre
        fields = [
            "id",
            "division",
            "division_name",
            "name",
            "level",
            "level_name",
            "user",
            "term_started_on",
            "villages",
            "active",
        ]
        read_only_fields = fields

    def get_villages(self, cadre) -> list[str]:
        return sorted(village.code for village in cadre.villages.all())


class VisitingCadreWriteSerializer(serializers.Serializer):
    """Adding a cadre needs every field but `user`, `villages` and `active`; a change (PATCH) any."""

    division = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Division.objects.filter(level__in=(Level.DISTRICT, Level.TOWN)),
        label=_("所在区镇"),
        help_text=_("区县或镇（街道）代码"),
        error_messages={"does_not_exist": _("没有代码为 %(value)s 的区县或镇（街道）。")},
    )
    name = serializers.CharField(label=_("姓名"), max_length=50)
    level = serializers.ChoiceField(choices=VisitorLevel.choices, label=_("走访层级"))
    term_started_on = serializers.DateField(label=_("本届任期开始"))
    user = serializers.SlugRelatedField(
        slug_field="username",
        queryset=get_user_model().objects.all(),
        label=_("用户"),
        required=False,
        allow_null=True,
        help_text=_("其登录账号的用户名（走访时默认为本人）"),
        error_messages={"does_not_exist": _("没有用户名为 %(value)s 的用户。")},
    )
    villages = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Division.objects.all(),
        many=True,
        required=False,
        label=_("包联村（社区）"),
        help_text=_("包联村（社区）代码的列表"),
    )
    active = serializers.BooleanField(label=_("在任"), required=False)


class VisitSerializer(PortalModelSerializer):
    """A visit: who (a visiting cadre), where (a village, a group, optionally a household), when,
    what was raised and what came of it."""

    division = serializers.CharField(source="division_id", read_only=True)
    division_name = serializers.CharField(source="division.name", read_only=True)
    visitor_name = serializers.CharField(source="visitor.name", read_only=True)
    household_number = serializers.CharField(source="household.number", read_only=True, allow_null=True, default=None)
    recorded_by = serializers.SerializerMethodField()

    class Meta:
        model = Visit
        fields = [
            "id",
            "division",
            "division_name",
            "visitor",
            "visitor_name",
            "household",
            "household_number",
            "visited_on",
            "raised",
            "outcome",
            "recorded_by",
        ]
        read_only_fields = fields

    def get_recorded_by(self, visit) -> str:
        return named(visit, "recorded_by")


class RecordVisitSerializer(serializers.Serializer):
    visitor = serializers.IntegerField(label=_("走访人"), min_value=1, help_text=_("走访干部的 id"))
    division = serializers.CharField(label=_("走访村社"), max_length=15, help_text=_("村（社区）或经济社代码"))
    household = serializers.IntegerField(label=_("走访户"), min_value=1, required=False, allow_null=True)
    visited_on = serializers.DateField(label=_("走访日期"))
    raised = serializers.CharField(label=_("反映的问题"), max_length=4000, required=False, allow_blank=True, default="")
    outcome = serializers.CharField(label=_("办理结果"), max_length=4000, required=False, allow_blank=True, default="")

    def validate_division(self, code: str) -> str:
        if not (code.isascii() and code.isdigit()):
            raise serializers.ValidationError(_("区划代码只能是数字。"))
        return code


class ChangeVisitSerializer(serializers.Serializer):
    household = serializers.IntegerField(label=_("走访户"), min_value=1, required=False, allow_null=True)
    visited_on = serializers.DateField(label=_("走访日期"), required=False)
    raised = serializers.CharField(label=_("反映的问题"), max_length=4000, required=False, allow_blank=True)
    outcome = serializers.CharField(label=_("办理结果"), max_length=4000, required=False, allow_blank=True)


class KeptContactSerializer(PortalModelSerializer):
    """A contact a village cadre or party member keeps: a household (`household`, an id) or a
    capable rural entrepreneur (`contact_name`), from `since` until `until` (open when null)."""

    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all(), label=_("联系人（干部或党员）"))
    person_name = serializers.CharField(source="person.name", read_only=True)
    division = serializers.CharField(source="person.division_id", read_only=True)
    kind = serializers.ChoiceField(choices=ContactKind.choices, label=_("联系类别"))
    household = serializers.PrimaryKeyRelatedField(
        queryset=Household.objects.all(), label=_("联系户"), required=False, allow_null=True
    )
    # A method, not source="household.number" with a default: a PATCH's serializer is partial,
    # and DRF then leaves a defaulted field out of the answer (found by the fuzzer).
    household_number = serializers.SerializerMethodField()

    class Meta:
        model = KeptContact
        fields = [
            "id",
            "person",
            "person_name",
            "division",
            "kind",
            "household",
            "household_number",
            "contact_name",
            "since",
            "until",
        ]
        read_only_fields = ["id", "person_name", "division", "household_number"]

    def get_household_number(self, contact) -> str | None:
        return contact.household.number if contact.household_id else None

    def validate(self, attrs):
        """The model's rules (a household for a household, a name for an entrepreneur; an end not
        before the start) as field errors."""
        instance = KeptContact(**{**self.current_values(), **attrs})
        if instance.kind == ContactKind.ENTREPRENEUR and not (instance.contact_name or "").strip():
            raise serializers.ValidationError({"contact_name": [_("请填写致富能手的姓名。")]})
        if instance.kind == ContactKind.HOUSEHOLD and instance.household_id is None:
            raise serializers.ValidationError({"household": [_("请选择联系户。")]})
        if instance.kind == ContactKind.ENTREPRENEUR and instance.household_id is not None:
            raise serializers.ValidationError({"household": [_("致富能手不填联系户。")]})
        if instance.until and instance.since and instance.until < instance.since:
            raise serializers.ValidationError({"until": [_("联系结束不能早于联系开始。")]})
        try:
            instance.full_clean(exclude=["person", "household"])
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from None
        return attrs

    def current_values(self) -> dict:
        if self.instance is None:
            return {}
        return {
            field: getattr(self.instance, field)
            for field in ("person", "kind", "household", "contact_name", "since", "until")
        }
