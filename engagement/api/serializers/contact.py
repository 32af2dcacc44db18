"""Serializers of the direct-contact API (docs/api.md, "Direct contact"): the five links of a
village (五挂钩) and the contact days held (组织直联日). Reads are model serializers; writes are
small input serializers whose data the views hand to engagement.services.contact."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from engagement.choices import LinkKind
from engagement.models import ContactDay, ContactLink
from governance.api.fields import ChoiceLabelField
from governance.api.serializers import PortalModelSerializer


class ContactLinkSerializer(PortalModelSerializer):
    """One link of a village: its kind, who holds it, since and until when (null while held)."""

    division = serializers.CharField(source="division_id", read_only=True)
    kind = serializers.ChoiceField(choices=LinkKind.choices, read_only=True)
    kind_name = ChoiceLabelField("kind")

    class Meta:
        model = ContactLink
        fields = ["id", "division", "kind", "kind_name", "holder", "title", "since", "until"]
        read_only_fields = fields


class FillLinkSerializer(serializers.Serializer):
    division = serializers.RegexField(r"^\d{6,15}$", label=_("村（社区）代码"), max_length=15)
    kind = serializers.ChoiceField(choices=LinkKind.choices, label=_("挂钩类别"))
    holder = serializers.CharField(label=_("挂钩领导或单位"), max_length=100)
    title = serializers.CharField(label=_("职务"), max_length=100, required=False, allow_blank=True, default="")
    since = serializers.DateField(label=_("挂钩日期"))


class EndLinkSerializer(serializers.Serializer):
    until = serializers.DateField(label=_("结束日期"), help_text=_("挂钩的最后一天"))


class ContactDaySerializer(PortalModelSerializer):
    """A contact day held in a town or village; `on_contact_weekday`: held on a Tuesday."""

    division = serializers.CharField(source="division_id", read_only=True)
    on_contact_weekday = serializers.BooleanField(read_only=True, help_text=_("是否在星期二（组织直联日）举行"))

    class Meta:
        model = ContactDay
        fields = [
            "id",
            "division",
            "held_on",
            "on_contact_weekday",
            "attendees",
            "matters_raised",
            "matters_settled",
        ]
        read_only_fields = fields


class ContactDayFieldsSerializer(serializers.Serializer):
    attendees = serializers.IntegerField(label=_("参加人数"), min_value=0, max_value=100000, required=False)
    matters_raised = serializers.CharField(label=_("收集的问题"), max_length=4000, required=False, allow_blank=True)
    matters_settled = serializers.IntegerField(label=_("当场解决问题数"), min_value=0, max_value=100000, required=False)


class RecordContactDaySerializer(ContactDayFieldsSerializer):
    division = serializers.RegexField(r"^\d{6,15}$", label=_("镇村代码"), max_length=15)
    held_on = serializers.DateField(label=_("直联日期"))


class ChangeContactDaySerializer(ContactDayFieldsSerializer):
    held_on = serializers.DateField(label=_("直联日期"), required=False)
