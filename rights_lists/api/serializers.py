"""Serializers of the rights_lists API (docs/api.md, "Matters-power lists and decisions").

Reads are model serializers; writes are small input serializers whose validated data the views
hand to rights_lists.services. Nothing here carries personal data.
"""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from governance.api.fields import ChoiceLabelField, DivisionCodeField
from governance.api.files import PRIVATE_FILE_FIELDS, PrivateFileSerializer
from governance.api.serializers import PortalModelSerializer, ReadablePrimaryKeyRelatedField
from governance.uploads import AcceptedFilesField, AcceptedSpreadsheetField
from rights_lists.choices import Body, ListKind, PublicationKind, Step
from rights_lists.models import (
    Adoption,
    Decision,
    DecisionAttachment,
    DecisionStep,
    Implementation,
    ListItem,
    Publication,
    RightsList,
)

# --- lists and items -----------------------------------------------------------------------------


class ListItemSerializer(PortalModelSerializer):
    """An item, with its list's kind (`list_kind`), id, title, version and owner."""

    list_kind = serializers.CharField(source="list.kind", read_only=True)
    list_title = serializers.CharField(source="list.title", read_only=True)
    list_version = serializers.IntegerField(source="list.version", read_only=True)
    owner = serializers.CharField(source="list.owner_id", read_only=True)

    class Meta:
        model = ListItem
        fields = [
            "id",
            "number",
            "title",
            "list_kind",
            "procedure",
            "list",
            "list_title",
            "list_version",
            "owner",
            "category",
            "basis",
            "responsible_body",
            "full_procedure_above_fen",
            "publicity_days",
        ]
        read_only_fields = fields


# `kind` is a plain string in the schema (its values are documented in docs/api.md): covenants and
# this app both have a field named kind, and their enums would collide in the OpenAPI components.
KIND_OF_LIST = format_lazy("{}{}", _("清单类别："), "、".join(ListKind.values))
KIND_OF_PUBLICATION = format_lazy("{}{}", _("公开类别："), "、".join(PublicationKind.values))


class RightsListSerializer(PortalModelSerializer):
    owner = serializers.CharField(source="owner_id", read_only=True)
    kind = serializers.CharField(read_only=True, help_text=KIND_OF_LIST)
    kind_display = ChoiceLabelField("kind")
    item_count = serializers.IntegerField(read_only=True)
    is_template = serializers.BooleanField(read_only=True)

    class Meta:
        model = RightsList
        fields = [
            "id",
            "owner",
            "kind",
            "kind_display",
            "title",
            "version",
            "previous",
            "status",
            "valid_from",
            "valid_until",
            "is_template",
            "item_count",
        ]
        read_only_fields = fields


class CreateListSerializer(serializers.Serializer):
    owner = DivisionCodeField(label=_("制定单位"))
    kind = serializers.CharField(label=_("清单类别"), max_length=32, help_text=KIND_OF_LIST)
    title = serializers.CharField(label=_("名称"), max_length=100)


class PublishListSerializer(serializers.Serializer):
    valid_from = serializers.DateField(label=_("施行日期"))
    valid_until = serializers.DateField(label=_("失效日期"), required=False, allow_null=True)


class AdoptSerializer(serializers.Serializer):
    town = DivisionCodeField(label=_("镇（街道）"))
    adopted_on = serializers.DateField(label=_("采用日期"), required=False)


class AdoptedSerializer(serializers.Serializer):
    adopted = serializers.IntegerField(help_text=_("本次采用的村（社区）数"))


class ImportSerializer(serializers.Serializer):
    file = AcceptedSpreadsheetField(label=_("清单文件（.xlsx）"))


class ImportedSerializer(serializers.Serializer):
    imported = serializers.IntegerField()


class AdoptionSerializer(PortalModelSerializer):
    division = serializers.CharField(source="division_id", read_only=True)

    class Meta:
        model = Adoption
        fields = ["id", "template", "division", "adopted_on"]
        read_only_fields = fields


# --- decisions -----------------------------------------------------------------------------------


class DecisionStepSerializer(PortalModelSerializer):
    """One meeting on the decision's timeline; `expected_differs` flags an expected count that
    differs from the portal's records (`expected_from_records`), `rule` says what the vote decided."""

    rule = serializers.CharField(source="rule_source", read_only=True)

    class Meta:
        model = DecisionStep
        fields = [
            "id",
            "step",
            "body",
            "held_on",
            "expected",
            "present",
            "votes_for",
            "votes_against",
            "abstentions",
            "households",
            "households_present",
            "expected_from_records",
            "expected_differs",
            "adopted",
            "rule",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields


class PublicationSerializer(PortalModelSerializer):
    kind = serializers.CharField(read_only=True, help_text=KIND_OF_PUBLICATION)

    class Meta:
        model = Publication
        fields = ["id", "kind", "published_on", "recorded_by", "recorded_at"]
        read_only_fields = fields


class ImplementationSerializer(PortalModelSerializer):
    class Meta:
        model = Implementation
        fields = ["done_on", "summary", "recorded_by", "recorded_at"]
        read_only_fields = fields


class DecisionSerializer(PortalModelSerializer):
    """A decision with its timeline: steps, publications and implementation."""

    division = serializers.CharField(source="division_id", read_only=True)
    item_number = serializers.CharField(source="item.number", read_only=True)
    item_title = serializers.CharField(source="item.title", read_only=True)
    list = serializers.IntegerField(source="item.list_id", read_only=True)
    list_version = serializers.IntegerField(source="item.list.version", read_only=True)
    steps_required = serializers.ListField(child=serializers.CharField(), read_only=True)
    steps = DecisionStepSerializer(many=True, read_only=True)
    publications = PublicationSerializer(many=True, read_only=True)
    implementation = serializers.SerializerMethodField()

    class Meta:
        model = Decision
        fields = [
            "id",
            "division",
            "item",
            "item_number",
            "item_title",
            "list",
            "list_version",
            "title",
            "amount_fen",
            "procedure",
            "steps_required",
            "state",
            "opened_by",
            "opened_at",
            "withdrawn_on",
            "withdrawal_reason",
            "steps",
            "publications",
            "implementation",
        ]
        read_only_fields = fields

    @extend_schema_field(ImplementationSerializer(allow_null=True))
    def get_implementation(self, decision) -> dict | None:
        try:
            implementation = decision.implementation
        except Implementation.DoesNotExist:
            return None
        return ImplementationSerializer(implementation).data


class DecisionAttachmentSerializer(PrivateFileSerializer):
    """A file of the decision (minutes of a meeting when `step` names it): what it is, who
    uploaded it when, and where a signed-in browser or a token client downloads it."""

    api_download_route = "api:decision-attachment-download"

    class Meta:
        model = DecisionAttachment
        fields = [*PRIVATE_FILE_FIELDS, "step"]
        read_only_fields = fields

    def api_download_kwargs(self, attachment) -> dict:
        return {"pk": attachment.decision_id, "attachment_pk": attachment.pk}


class DecisionDetailSerializer(DecisionSerializer):
    """A decision's detail: its timeline and its attachments."""

    attachments = DecisionAttachmentSerializer(many=True, read_only=True)

    class Meta(DecisionSerializer.Meta):
        fields = [*DecisionSerializer.Meta.fields, "attachments"]
        read_only_fields = fields


class AddAttachmentsSerializer(serializers.Serializer):
    """POST /api/v1/decisions/<id>/attachments/ (multipart): one or more `files`, and the `step`
    (a DecisionStep id of this decision) whose minutes they are, if any."""

    files = AcceptedFilesField(label=_("附件"), help_text=_("一个或多个文件（multipart，字段名 files）"))
    step = serializers.IntegerField(label=_("会议"), required=False, allow_null=True)


class OpenDecisionSerializer(serializers.Serializer):
    """POST /api/v1/decisions/: the division by code, the item by id, the title."""

    division = DivisionCodeField(label=_("决策单位"))
    item = ReadablePrimaryKeyRelatedField(queryset=ListItem.objects.all(), label=_("清单事项"))
    title = serializers.CharField(label=_("决策事项"), max_length=200)
    amount_fen = serializers.IntegerField(label=_("涉及金额（分）"), required=False, allow_null=True, min_value=0)


class StepSerializer(serializers.Serializer):
    step = serializers.ChoiceField(choices=Step.choices, label=_("步骤"))
    body = serializers.ChoiceField(choices=Body.choices, label=_("会议"), required=False, allow_null=True)
    held_on = serializers.DateField(label=_("召开日期"))
    expected = serializers.IntegerField(label=_("应到人数"), required=False, allow_null=True, min_value=0)
    present = serializers.IntegerField(label=_("实到人数"), min_value=0)
    votes_for = serializers.IntegerField(label=_("赞成"), min_value=0)
    votes_against = serializers.IntegerField(label=_("反对"), min_value=0, default=0)
    abstentions = serializers.IntegerField(label=_("弃权"), min_value=0, default=0)
    households = serializers.IntegerField(label=_("应到户数"), required=False, allow_null=True, min_value=0)
    households_present = serializers.IntegerField(label=_("到会户代表数"), required=False, allow_null=True, min_value=0)


class PublishDecisionSerializer(serializers.Serializer):
    kind = serializers.CharField(label=_("公开类别"), max_length=16, help_text=KIND_OF_PUBLICATION)
    published_on = serializers.DateField(label=_("公开日期"))


class ImplementSerializer(serializers.Serializer):
    done_on = serializers.DateField(label=_("实施完成日期"))
    summary = serializers.CharField(label=_("实施情况"), max_length=4000)


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(label=_("撤回理由"), max_length=4000)
    withdrawn_on = serializers.DateField(label=_("撤回日期"), required=False)


# --- meeting rules -------------------------------------------------------------------------------


class FractionSerializer(serializers.Serializer):
    numerator = serializers.IntegerField()
    denominator = serializers.IntegerField()
    strict = serializers.BooleanField(help_text=_("true：须超过该比例；false：不少于该比例"))


class MeetingRuleSerializer(serializers.Serializer):
    """The rule a body follows in a district (rights_lists.choices.MeetingRule)."""

    body = serializers.CharField()
    body_display = serializers.SerializerMethodField()
    quorum = FractionSerializer()
    household_quorum = FractionSerializer(allow_null=True)
    majority = FractionSerializer()
    majority_base = serializers.CharField()
    source = serializers.CharField()
    set_by_district = serializers.SerializerMethodField()

    def get_body_display(self, rule) -> str:
        return str(Body(rule.body).label)

    def get_set_by_district(self, rule) -> bool:
        return rule.body in self.context.get("overridden", ())


class MeetingRulesQuerySerializer(serializers.Serializer):
    division = serializers.RegexField(r"^\d{6,15}$", label=_("区划代码"))
