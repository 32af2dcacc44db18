"""Serializers of the deliberation API (docs/api.md, "Deliberation"): bodies with their members,
the district's guiding catalogue, meetings and topics.

Reads are model serializers naming divisions by code and users by display name. Writes of a topic
are small input serializers whose data the views hand to engagement.services.deliberation, which
re-checks the step's order, four eyes and the caller's right inside its transaction.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from engagement.choices import Outcome, TopicStatus
from engagement.models import BodyMember, CatalogueEntry, DeliberationBody, Meeting, Topic
from governance import clock
from governance.api.serializers import PortalModelSerializer
from governance.guards import NOT_IN_THE_FUTURE
from governance.people_names import display_name


def not_in_the_future(day):
    if day is not None and day > clock.today():
        raise serializers.ValidationError(NOT_IN_THE_FUTURE)
    return day


class BodyMemberSerializer(PortalModelSerializer):
    """A member of a deliberation body: a person registered in its village, and their standing
    (党员代表、村民代表、乡贤…)."""

    body = serializers.PrimaryKeyRelatedField(read_only=True)
    person_name = serializers.CharField(source="person.name", read_only=True)

    class Meta:
        model = BodyMember
        fields = ["id", "body", "person", "person_name", "role"]
        read_only_fields = ["id", "body", "person", "person_name"]


class AddBodyMemberSerializer(serializers.Serializer):
    body = serializers.IntegerField(label=_("议事会"), min_value=1)
    person = serializers.IntegerField(label=_("成员"), min_value=1)
    role = serializers.CharField(label=_("身份"), max_length=50, required=False, allow_blank=True, default="")


class DeliberationBodySerializer(PortalModelSerializer):
    """The deliberation body (议事会) of a village or community, its rules and its members."""

    division = serializers.CharField(source="division_id", read_only=True)
    division_name = serializers.CharField(source="division.name", read_only=True)
    members = BodyMemberSerializer(many=True, read_only=True)

    class Meta:
        model = DeliberationBody
        fields = ["id", "division", "division_name", "name", "rules", "formed_on", "members"]
        read_only_fields = ["id", "division", "division_name", "members"]

    def validate_formed_on(self, day):
        return not_in_the_future(day)


class CreateDeliberationBodySerializer(serializers.Serializer):
    division = serializers.CharField(label=_("村（社区）代码"), max_length=15)
    name = serializers.CharField(label=_("名称"), max_length=100)
    rules = serializers.CharField(label=_("议事规则"), required=False, allow_blank=True, default="")
    formed_on = serializers.DateField(label=_("成立日期"), validators=[not_in_the_future])


class CatalogueEntrySerializer(PortalModelSerializer):
    """A topic of a district's guiding catalogue (议事协商指导目录)."""

    district = serializers.CharField(source="district_id", read_only=True)

    class Meta:
        model = CatalogueEntry
        fields = ["id", "district", "title", "description", "active"]
        read_only_fields = ["id", "district"]


class CreateCatalogueEntrySerializer(serializers.Serializer):
    district = serializers.CharField(label=_("区县代码"), max_length=15)
    title = serializers.CharField(label=_("议题类别"), max_length=100)
    description = serializers.CharField(label=_("说明"), required=False, allow_blank=True, default="")
    active = serializers.BooleanField(label=_("启用"), required=False, default=True)


class MeetingSerializer(PortalModelSerializer):
    """A meeting of a deliberation body (协商会议)."""

    body = serializers.PrimaryKeyRelatedField(read_only=True)
    division = serializers.CharField(source="body.division_id", read_only=True)

    class Meta:
        model = Meeting
        fields = ["id", "body", "division", "held_on", "attendance", "minutes"]
        read_only_fields = ["id", "body", "division"]

    def validate_held_on(self, day):
        return not_in_the_future(day)


class CreateMeetingSerializer(serializers.Serializer):
    body = serializers.IntegerField(label=_("议事会"), min_value=1)
    held_on = serializers.DateField(label=_("会议日期"), validators=[not_in_the_future])
    attendance = serializers.IntegerField(label=_("参会人数"), min_value=1)
    minutes = serializers.CharField(label=_("会议纪要"), required=False, allow_blank=True, default="")


class TopicSerializer(PortalModelSerializer):
    """A topic where it stands: proposed, pre-reviewed (预审), deliberated with its outcome and the
    decision (四议两公开) it led to."""

    division = serializers.CharField(source="body.division_id", read_only=True)
    entry_title = serializers.CharField(source="entry.title", read_only=True)
    status = serializers.ChoiceField(choices=TopicStatus.choices, read_only=True)
    outcome = serializers.ChoiceField(choices=Outcome.choices, read_only=True, allow_blank=True)
    proposed_by = serializers.SerializerMethodField()
    reviewed_by = serializers.SerializerMethodField()

    class Meta:
        model = Topic
        fields = [
            "id",
            "body",
            "division",
            "entry",
            "entry_title",
            "title",
            "proposed_on",
            "proposed_by",
            "status",
            "reviewed_on",
            "reviewed_by",
            "review_note",
            "meeting",
            "outcome",
            "decision",
        ]
        read_only_fields = fields

    def get_proposed_by(self, topic) -> str:
        return display_name(topic.proposed_by)

    def get_reviewed_by(self, topic) -> str | None:
        return display_name(topic.reviewed_by) if topic.reviewed_by is not None else None


class ProposeTopicSerializer(serializers.Serializer):
    body = serializers.IntegerField(label=_("议事会"), min_value=1)
    entry = serializers.IntegerField(label=_("目录类别"), min_value=1)
    title = serializers.CharField(label=_("议题"), max_length=200)
    proposed_on = serializers.DateField(label=_("提出日期"), required=False, help_text=_("默认为今天"))


class ReviewTopicSerializer(serializers.Serializer):
    approved = serializers.BooleanField(label=_("预审通过"))
    reviewed_on = serializers.DateField(label=_("预审日期"), required=False, help_text=_("默认为今天"))
    note = serializers.CharField(label=_("预审意见"), max_length=4000, required=False, allow_blank=True, default="")


class DeliberateTopicSerializer(serializers.Serializer):
    meeting = serializers.IntegerField(label=_("协商会议"), min_value=1)
    outcome = serializers.ChoiceField(choices=Outcome.choices, label=_("协商结果"))
    decision = serializers.IntegerField(
        label=_("对应决策"), min_value=1, required=False, allow_null=True, help_text=_("需按“四议两公开”决策时")
    )
