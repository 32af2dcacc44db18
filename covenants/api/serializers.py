"""Serializers of the covenants API (docs/api.md, "Covenants" and "Eligibility").

Reads are model serializers; writes are small input serializers whose validated data the views
hand to covenants.services. Personal data (ID numbers) is masked unless the caller may see it
where the person is registered.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from covenants.choices import EligibilityAction, SanctionKind, Severity, Tier, VersionStatus
from covenants.models import Clause, Covenant, CovenantVersion, EligibilityQuery, Violation
from covenants.services import sanctions
from covenants.services.covenants import CLAUSE_FIELDS
from covenants.texts import describe_bar
from governance.api.fields import ChoiceLabelField
from governance.api.serializers import MaskedPersonalDataMixin, PortalModelSerializer, ScopedPrimaryKeyRelatedField
from governance.uploads import AcceptedFilesField
from villages.identity import validate_id_number
from villages.models import Person

# The same answer whether the number is unknown or registered outside the caller's jurisdiction.
PERSON_NOT_FOUND = _("未找到该身份证号对应的人员，或其不在您的辖区内。")


# --- covenants, versions, clauses --------------------------------------------------------------


class ClauseSerializer(PortalModelSerializer):
    """A clause with its covenant's kind and title and what violating it can lead to."""

    covenant = serializers.IntegerField(source="version.covenant_id", read_only=True)
    covenant_title = serializers.CharField(source="version.covenant.title", read_only=True)
    kind = serializers.CharField(source="version.covenant.kind", read_only=True)
    division = serializers.CharField(source="version.covenant.division_id", read_only=True)

    class Meta:
        model = Clause
        fields = [
            "id",
            "number",
            "text",
            "kind",
            "covenant",
            "covenant_title",
            "division",
            "version",
            "category",
            "about_households",
            "bars_asset_bidding",
            "bars_election",
            "withholds_award",
            "withholds_dividends",
            "suspends_homestead_allocation",
            "restricts_services",
            "restricts_vehicle_access",
            "compensation_fen",
            "reward",
        ]
        read_only_fields = fields


class VersionClauseSerializer(PortalModelSerializer):
    """A clause as listed inside its version."""

    class Meta:
        model = Clause
        fields = ["id", "number", *CLAUSE_FIELDS]
        read_only_fields = fields


class CovenantSerializer(PortalModelSerializer):
    division = serializers.CharField(source="division_id", read_only=True)
    kind_display = ChoiceLabelField("kind")
    version_in_force = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Covenant
        fields = ["id", "division", "kind", "kind_display", "title", "repeat_window_months", "version_in_force"]
        read_only_fields = fields


class CovenantVersionSerializer(PortalModelSerializer):
    covenant_title = serializers.CharField(source="covenant.title", read_only=True)
    kind = serializers.CharField(source="covenant.kind", read_only=True)
    division = serializers.CharField(source="covenant.division_id", read_only=True)
    status_display = ChoiceLabelField("status")
    clauses = VersionClauseSerializer(many=True, read_only=True)

    class Meta:
        model = CovenantVersion
        fields = [
            "id",
            "covenant",
            "covenant_title",
            "kind",
            "division",
            "number",
            "status",
            "status_display",
            "adopted_on",
            "submitted_by",
            "reviewed_by",
            "review_comment",
            "filed_on",
            "published_on",
            "superseded_on",
            "clauses",
        ]
        read_only_fields = fields


class MoveVersionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=VersionStatus.choices, label=_("目标状态"))
    on = serializers.DateField(label=_("日期"), required=False)
    comment = serializers.CharField(label=_("意见"), required=False, allow_blank=True, max_length=4000, default="")


# --- violations ----------------------------------------------------------------------------------


class ViolationSerializer(MaskedPersonalDataMixin, PortalModelSerializer):
    """A violation with its person (ID number masked), clause, covenant and state.

    `repeat`: the violation is confirmed and repeats an earlier standing one of the same covenant
    by the same person within the covenant's window (judged once per page by the view, or here for
    a violation shown alone)."""

    division = serializers.CharField(source="division_id", read_only=True)
    person_name = serializers.CharField(source="person.name", read_only=True)
    id_number = serializers.CharField(source="person.id_number", read_only=True)
    clause_number = serializers.IntegerField(source="clause.number", read_only=True)
    covenant = serializers.IntegerField(source="clause.version.covenant_id", read_only=True)
    covenant_title = serializers.CharField(source="clause.version.covenant.title", read_only=True)
    severity_display = ChoiceLabelField("severity")
    repeat = serializers.SerializerMethodField()

    class Meta:
        model = Violation
        fields = [
            "id",
            "division",
            "person",
            "person_name",
            "id_number",
            "household",
            "clause",
            "clause_number",
            "covenant",
            "covenant_title",
            "occurred_on",
            "facts",
            "severity",
            "severity_display",
            "recorded_by",
            "recorded_at",
            "confirmed_on",
            "confirmed_by",
            "appeal_filed_on",
            "appeal_reason",
            "appeal_upheld",
            "appeal_decided_on",
            "appeal_decided_by",
            "rectified_on",
            "referred_to",
            "referred_on",
            "repeat",
        ]
        read_only_fields = fields

    def get_repeat(self, violation) -> bool:
        repeated = self.context.get("repeated")
        if repeated is None:  # one violation shown alone (its page, an action's answer)
            repeated = sanctions.repeats_among({violation.person_id})
        return violation.pk in repeated

    def to_representation(self, instance):
        # The person's division comes with a listed row (ViolationViewSet), else from the person.
        division = instance.__dict__.get(PERSON_DIVISION) or instance.person.division_id
        return self.mask_person_fields(super().to_representation(instance), division)


# The annotation of a violation's row with its person's division (whose personal data it is).
PERSON_DIVISION = "related_column_person_division"


class RecordViolationSerializer(serializers.Serializer):
    """POST /api/v1/violations/: the person by ID number, the clause by id (both in scope)."""

    id_number = serializers.CharField(label=_("身份证号"), max_length=18)
    clause = ScopedPrimaryKeyRelatedField(queryset=Clause.objects.all(), label=_("违反条款"))
    occurred_on = serializers.DateField(label=_("发生日期"))
    facts = serializers.CharField(label=_("违约事实"), max_length=4000)
    severity = serializers.ChoiceField(choices=Severity.choices, label=_("情节"), default=Severity.MINOR)
    # Optional evidence files, when the request is multipart (covenants/api/evidence.py adds more later).
    evidence = AcceptedFilesField(label=_("证据文件"), required=False)

    def validate_id_number(self, value: str) -> Person:
        request = self.context.get("request")
        person = Person.objects.restrict(request.user if request else None, "view").with_id_number(value).first()
        if person is None:
            raise serializers.ValidationError(PERSON_NOT_FOUND)
        return person


class ConfirmViolationSerializer(serializers.Serializer):
    confirmed_on = serializers.DateField(label=_("认定日期"))
    severity = serializers.ChoiceField(choices=Severity.choices, label=_("情节"), required=False)


class AppealSerializer(serializers.Serializer):
    filed_on = serializers.DateField(label=_("申诉日期"), required=False, help_text=_("默认今天"))
    reason = serializers.CharField(label=_("申诉理由"), max_length=4000)


class DecideAppealSerializer(serializers.Serializer):
    upheld = serializers.BooleanField(label=_("申诉成立"))
    decided_on = serializers.DateField(label=_("处理日期"), required=False)


class RectifySerializer(serializers.Serializer):
    rectified_on = serializers.DateField(label=_("整改完成日期"))


class ReferSerializer(serializers.Serializer):
    department = serializers.CharField(label=_("移送部门"), max_length=100)
    referred_on = serializers.DateField(label=_("移送日期"))


# --- sanctions and eligibility ---------------------------------------------------------------------


class SanctionSerializer(serializers.Serializer):
    """One derived sanction (covenants.services.sanctions.Sanction); `ends_on` is the first free day
    (null: until rectified or lifted). `in_force` is judged on the day asked (`on`)."""

    kind = serializers.ChoiceField(choices=SanctionKind.choices)
    kind_display = serializers.SerializerMethodField()
    person = serializers.IntegerField(source="person_id")
    violation = serializers.IntegerField(source="violation_id")
    covenant = serializers.IntegerField(source="covenant_id")
    covenant_title = serializers.CharField()
    clause = serializers.IntegerField(source="clause_id")
    clause_number = serializers.IntegerField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(allow_null=True)
    in_force = serializers.SerializerMethodField()
    repeat = serializers.BooleanField()
    serious = serializers.BooleanField()
    tier = serializers.ChoiceField(choices=Tier.choices)
    amount_fen = serializers.IntegerField(allow_null=True)
    text = serializers.SerializerMethodField()

    def get_kind_display(self, sanction) -> str:
        return str(SanctionKind(sanction.kind).label)

    def get_in_force(self, sanction) -> bool:
        return sanction.in_force_on(self.context["on"])

    def get_text(self, sanction) -> str:
        return describe_bar(sanction)


class PersonSanctionsSerializer(serializers.Serializer):
    """A person with every sanction their standing violations cause."""

    person = serializers.IntegerField(source="pk")
    person_name = serializers.CharField(source="name")
    division = serializers.CharField(source="division_id")
    sanctions = serializers.SerializerMethodField()

    @extend_schema_field(SanctionSerializer(many=True))
    def get_sanctions(self, person) -> list:
        rows = self.context["sanctions"].get(person.pk, [])
        return SanctionSerializer(rows, many=True, context=self.context).data


class SanctionsQuerySerializer(serializers.Serializer):
    person = serializers.IntegerField(label=_("人员"), required=False)
    division = serializers.CharField(label=_("区划代码（含下级）"), required=False, max_length=20)
    on = serializers.DateField(label=_("日期"), required=False)


class EligibilityQuestionSerializer(serializers.Serializer):
    """A malformed ID number (length, birth date, check digit: villages.identity) is refused with
    the field's message (400); a well-formed one of nobody in scope is the view's 404."""

    id_number = serializers.CharField(label=_("身份证号"), validators=[validate_id_number])
    action = serializers.ChoiceField(choices=EligibilityAction.choices, label=_("事项"))
    on = serializers.DateField(label=_("日期"))


class EligibilityReasonSerializer(serializers.Serializer):
    """Why the answer is no: the sanction, the covenant clause and the violation behind it."""

    sanction = serializers.CharField(source="kind")
    sanction_name = serializers.SerializerMethodField()
    covenant = serializers.CharField(source="covenant_title")
    clause = serializers.IntegerField(source="clause_number")
    clause_id = serializers.IntegerField()
    violation = serializers.IntegerField(source="violation_id")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(allow_null=True)
    repeat = serializers.BooleanField()
    serious = serializers.BooleanField()
    tier = serializers.ChoiceField(choices=Tier.choices)
    text = serializers.SerializerMethodField()

    def get_sanction_name(self, sanction) -> str:
        return str(SanctionKind(sanction.kind).label)

    def get_text(self, sanction) -> str:
        return describe_bar(sanction)


class EligibilityAnswerSerializer(serializers.Serializer):
    eligible = serializers.BooleanField()
    eligible_from = serializers.DateField(allow_null=True)
    reasons = EligibilityReasonSerializer(many=True)


class EligibilityQuerySerializer(MaskedPersonalDataMixin, PortalModelSerializer):
    """A logged eligibility question: who asked, about whom (ID number masked), the answer."""

    asked_by_name = serializers.CharField(source="asked_by.username", read_only=True)
    person_name = serializers.CharField(source="person.name", read_only=True)
    id_number = serializers.CharField(source="person.id_number", read_only=True)
    division = serializers.CharField(source="person.division_id", read_only=True)

    class Meta:
        model = EligibilityQuery
        fields = [
            "id",
            "asked_by",
            "asked_by_name",
            "person",
            "person_name",
            "id_number",
            "division",
            "action",
            "on",
            "eligible",
            "eligible_from",
            "asked_at",
        ]
        read_only_fields = fields

    def to_representation(self, instance):
        return self.mask_person_fields(super().to_representation(instance), instance.person.division_id)
