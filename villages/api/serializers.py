"""Serializers of the villages API. Personal data is masked unless the caller may see it."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.validators import UniqueValidator

from governance.api.fields import ChoiceLabelField, DivisionCodeField  # noqa: F401 (re-exported for the villages API)
from governance.api.serializers import MaskedPersonalDataMixin, PortalModelSerializer, ScopedPrimaryKeyRelatedField
from villages import identity
from villages.models import (
    MIN_RESERVE_CADRES_PER_VILLAGE,
    Division,
    Household,
    Person,
    Position,
    PositionFiling,
)


class IdNumberField(serializers.CharField):
    """An ID number, normalised (trimmed, upper-case X) before it is validated and checked unique."""

    def to_internal_value(self, data) -> str:
        return identity.normalise_id_number(super().to_internal_value(data))


class DivisionSerializer(PortalModelSerializer):
    parent = serializers.CharField(source="parent_id", read_only=True, allow_null=True)
    merged_into = serializers.CharField(source="merged_into_id", read_only=True, allow_null=True)
    level_display = ChoiceLabelField("level")

    class Meta:
        model = Division
        fields = [
            "code",
            "name",
            "level",
            "level_display",
            "parent",
            "has_collective_economy",
            "retired_on",
            "merged_into",
        ]


class DivisionWithCountsSerializer(DivisionSerializer):
    children_count = serializers.IntegerField(read_only=True)
    people_count = serializers.IntegerField(read_only=True)
    cadres_count = serializers.IntegerField(read_only=True)

    class Meta(DivisionSerializer.Meta):
        fields = DivisionSerializer.Meta.fields + ["children_count", "people_count", "cadres_count"]


class ReserveShortfallSerializer(PortalModelSerializer):
    """A village short of reserve cadres: how many it has and how many the rule asks for."""

    reserve_cadres = serializers.IntegerField(read_only=True)
    reserve_cadres_missing = serializers.IntegerField(read_only=True)
    required = serializers.SerializerMethodField()

    class Meta:
        model = Division
        fields = ["code", "name", "reserve_cadres", "reserve_cadres_missing", "required"]

    def get_required(self, division) -> int:
        return MIN_RESERVE_CADRES_PER_VILLAGE


class PersonSerializer(MaskedPersonalDataMixin, PortalModelSerializer):
    division = DivisionCodeField()
    id_number = IdNumberField(
        validators=[
            identity.validate_id_number,
            UniqueValidator(
                queryset=Person.objects.all(),
                message=_("该身份证号已登记。"),
            ),
        ]
    )
    household = ScopedPrimaryKeyRelatedField(queryset=Household.objects.all(), required=False, allow_null=True)

    class Meta:
        model = Person
        fields = ["id", "name", "id_number", "gender", "birth_date", "phone", "division", "household", "created_at"]
        read_only_fields = ["gender", "birth_date", "created_at"]

    def to_representation(self, instance):
        return self.mask_person_fields(super().to_representation(instance), instance.division_id)

    def validate(self, attrs):
        instance = Person(**{**self._current_values(), **attrs})
        instance.clean()
        return attrs

    def _current_values(self) -> dict:
        if self.instance is None:
            return {}
        return {"division": self.instance.division, "household": self.instance.household}


class HouseholdSerializer(PortalModelSerializer):
    division = DivisionCodeField()
    member_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Household
        fields = ["id", "division", "number", "address", "head", "member_count"]
        read_only_fields = ["head"]
        # Not DRF's unique-together check (a form-wide English error): Household.clean reports a
        # number taken in the division on the number field, in Chinese and English.
        validators = []

    def validate(self, attrs):
        current = (
            {"division": self.instance.division, "number": self.instance.number} if self.instance is not None else {}
        )
        candidate = Household(**{**current, **attrs})
        candidate.pk = self.instance.pk if self.instance is not None else None  # not "another household"
        candidate.clean()
        return attrs


class PositionSerializer(PortalModelSerializer):
    division = DivisionCodeField()
    person = ScopedPrimaryKeyRelatedField(queryset=Person.objects.all())
    person_name = serializers.CharField(source="person.name", read_only=True)
    kind_display = ChoiceLabelField("kind")
    filing_status = serializers.SerializerMethodField()

    class Meta:
        model = Position
        fields = [
            "id",
            "person",
            "person_name",
            "division",
            "kind",
            "kind_display",
            "started_on",
            "term_ends_on",
            "ended_on",
            "filing_status",
        ]

    def get_filing_status(self, position) -> str | None:
        latest = getattr(position, "latest_filing_status", None)
        return latest

    def validate(self, attrs):
        merged = {}
        if self.instance is not None:
            merged = {f: getattr(self.instance, f) for f in ("person", "division", "kind", "started_on", "ended_on")}
        merged.update(attrs)
        candidate = Position(**{k: v for k, v in merged.items() if k != "term_ends_on"})
        candidate.pk = self.instance.pk if self.instance is not None else None  # not "someone else"
        # An edit is not a new post: the rules for taking one up (election bars) do not apply again.
        candidate._state.adding = self.instance is None
        candidate.clean()
        return attrs


class PositionFilingSerializer(PortalModelSerializer):
    filed_with = serializers.CharField(source="filed_with_id", read_only=True)

    class Meta:
        model = PositionFiling
        fields = [
            "id",
            "position",
            "filed_with",
            "status",
            "submitted_by",
            "submitted_at",
            "decided_by",
            "decided_at",
            "note",
        ]
        read_only_fields = fields


class RetireDivisionSerializer(serializers.Serializer):
    into = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Division.objects.all(),
        label=_("并入区划代码"),
        error_messages={"does_not_exist": _("区划代码 {value} 不存在。")},
    )
    on = serializers.DateField(label=_("撤销日期"))

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        # The successor must lie in the caller's jurisdiction too: out of scope reads as absent.
        fields["into"].queryset = Division.objects.restrict(request.user if request else None, "change")
        return fields
