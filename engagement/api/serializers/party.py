"""Serializers of party members' service (docs/parts/api-party.md): service posts, claims, the
district's point rules, party members' points and villagers' points.

Reads are model serializers; a member or a villager is shown by id and name (never an ID number).
Writes are small input serializers whose validated data the views hand to
engagement.services.party, which re-checks the caller's right and the rules in its transaction.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from engagement.choices import PointActivity
from engagement.models import PointEntry, PointRule, PostClaim, ServicePost, VillagerPointEntry
from governance.api.serializers import PortalModelSerializer
from governance.clock import today


class ServicePostSerializer(PortalModelSerializer):
    """A village's service post with how many party members hold it now (`holders`)."""

    division = serializers.CharField(source="division_id", read_only=True)
    holders = serializers.IntegerField(read_only=True, help_text=_("目前在岗党员数"))

    class Meta:
        model = ServicePost
        fields = ["id", "division", "name", "duty", "holders"]
        read_only_fields = ["id", "division", "holders"]
        validators = []  # the name's uniqueness in the village: validate_name, with its message

    def validate_name(self, name):
        if self.instance is not None:
            others = ServicePost.objects.filter(division_id=self.instance.division_id, name=name)
            if others.exclude(pk=self.instance.pk).exists():
                raise serializers.ValidationError(_("本村（社区）已有同名服务岗。"))
        return name


class CreateServicePostSerializer(serializers.Serializer):
    division = serializers.CharField(label=_("村（社区）代码"), max_length=15)
    name = serializers.CharField(label=_("岗位名称"), max_length=60)
    duty = serializers.CharField(label=_("岗位职责"), max_length=4000, required=False, allow_blank=True, default="")


class PostClaimSerializer(PortalModelSerializer):
    """A party member's claim of a post (认岗), current while `left_on` is null."""

    division = serializers.CharField(source="post.division_id", read_only=True)
    post_name = serializers.CharField(source="post.name", read_only=True)
    member_name = serializers.CharField(source="member.person.name", read_only=True)
    current = serializers.SerializerMethodField(help_text=_("尚未离岗"))

    class Meta:
        model = PostClaim
        fields = ["id", "division", "post", "post_name", "member", "member_name", "claimed_on", "left_on", "current"]
        read_only_fields = fields

    def get_current(self, claim) -> bool:
        return claim.left_on is None


class ClaimPostSerializer(serializers.Serializer):
    post = serializers.IntegerField(label=_("服务岗"), min_value=1)
    member = serializers.IntegerField(label=_("党员"), min_value=1, help_text=_("党员（PartyMembership）的 id"))
    claimed_on = serializers.DateField(label=_("认岗日期"), required=False, help_text=_("默认为今天"))

    def validate(self, attrs):
        attrs.setdefault("claimed_on", today())
        return attrs


class LeavePostSerializer(serializers.Serializer):
    left_on = serializers.DateField(label=_("离岗日期"), required=False, help_text=_("默认为今天"))

    def validate(self, attrs):
        attrs.setdefault("left_on", today())
        return attrs


class PointRuleSerializer(PortalModelSerializer):
    """A district's rule: how many points one activity earns (the district sets them)."""

    district = serializers.CharField(source="district_id", label=_("区县代码"), max_length=15)
    activity = serializers.ChoiceField(choices=PointActivity.choices, label=_("积分项目"))
    points = serializers.IntegerField(label=_("每次积分"), min_value=1, max_value=1000)

    class Meta:
        model = PointRule
        fields = ["id", "district", "activity", "points", "description"]
        validators = []  # the (district, activity) pair is checked in validate(), with its own message

    def validate_district(self, code):
        from villages.choices import Level
        from villages.models import Division

        if not Division.objects.filter(code=code, level=Level.DISTRICT).exists():
            raise serializers.ValidationError(_("积分规则由区县设定：请填写区县代码。"))
        return code

    def validate(self, attrs):
        district = attrs.get("district_id", getattr(self.instance, "district_id", None))
        activity = attrs.get("activity", getattr(self.instance, "activity", None))
        others = PointRule.objects.filter(district_id=district, activity=activity)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise serializers.ValidationError({"activity": [_("本区已有该积分项目的规则。")]})
        return attrs


class PointEntrySerializer(PortalModelSerializer):
    """Points a party member earned on a day (the district rule's points then)."""

    branch = serializers.CharField(source="member.branch_id", read_only=True, help_text=_("党员所在村（社区）党组织"))
    member_name = serializers.CharField(source="member.person.name", read_only=True)
    activity = serializers.ChoiceField(choices=PointActivity.choices, read_only=True)

    class Meta:
        model = PointEntry
        fields = ["id", "branch", "member", "member_name", "activity", "points", "earned_on", "note"]
        read_only_fields = fields


class AwardPointsSerializer(serializers.Serializer):
    member = serializers.IntegerField(label=_("党员"), min_value=1, help_text=_("党员（PartyMembership）的 id"))
    activity = serializers.ChoiceField(choices=PointActivity.choices, label=_("积分项目"))
    earned_on = serializers.DateField(label=_("日期"), required=False, help_text=_("默认为今天"))
    note = serializers.CharField(label=_("说明"), max_length=200, required=False, allow_blank=True, default="")

    def validate(self, attrs):
        attrs.setdefault("earned_on", today())
        return attrs


class VillagerPointEntrySerializer(PortalModelSerializer):
    """A villager's points kept by their village."""

    division = serializers.CharField(source="division_id", read_only=True)
    person_name = serializers.CharField(source="person.name", read_only=True)

    class Meta:
        model = VillagerPointEntry
        fields = ["id", "division", "person", "person_name", "points", "earned_on", "note"]
        read_only_fields = fields


class RecordVillagerPointsSerializer(serializers.Serializer):
    division = serializers.CharField(label=_("村（社区）代码"), max_length=15)
    person = serializers.IntegerField(label=_("村民"), min_value=1)
    points = serializers.IntegerField(label=_("积分"), min_value=1, max_value=1000)
    earned_on = serializers.DateField(label=_("日期"), required=False, help_text=_("默认为今天"))
    note = serializers.CharField(label=_("说明"), max_length=200, required=False, allow_blank=True, default="")

    def validate(self, attrs):
        attrs.setdefault("earned_on", today())
        return attrs
