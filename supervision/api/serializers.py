"""Serializers of the supervision API: what goes in is judged by the services (field errors)."""

from __future__ import annotations

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from governance.api.serializers import PortalModelSerializer
from supervision.choices import RunState
from supervision.models import Disclosure, DisclosureItem, Result, Scheme, SchemeIndicator, ScoringRun

RUN_STATES = " | ".join(RunState.values)


class IndicatorSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    # `level` is the contract's field (DESIGN.md section 7): the indicator's first level. An
    # indicator that also scores cooperatives lists both in `levels`, a field added beside it.
    level = serializers.CharField()
    levels = serializers.ListField(child=serializers.CharField())
    description = serializers.CharField()


class SchemeIndicatorSerializer(PortalModelSerializer):
    class Meta:
        model = SchemeIndicator
        fields = ["code", "name", "weight", "source"]
        read_only_fields = fields


class SchemeSerializer(PortalModelSerializer):
    division = serializers.CharField(source="division_id", read_only=True)
    division_name = serializers.CharField(source="division.name", read_only=True)
    indicators = SchemeIndicatorSerializer(many=True, read_only=True)
    grades = serializers.SerializerMethodField()
    frozen = serializers.BooleanField(source="is_frozen", read_only=True)
    # Plain strings in the schema: "level" and "state" name other enums elsewhere in the API.
    level = serializers.CharField(read_only=True, help_text="village | cooperative")
    # What the scheme says about itself (Scheme.warnings): e.g. a scheme assessing community
    # workers whose residents' satisfaction does not carry the largest weight.
    warnings = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Scheme
        fields = [
            "id",
            "division",
            "division_name",
            "level",
            "period",
            "version",
            "name",
            "indicators",
            "grades",
            "excellent_share",
            "community_workers",
            "warnings",
            "scored_run",
            "frozen",
            "frozen_at",
            "created_at",
        ]
        read_only_fields = fields

    def get_grades(self, scheme) -> dict[str, str]:
        return {"excellent": str(scheme.excellent_from), "good": str(scheme.good_from), "pass": str(scheme.pass_from)}


class CreateSchemeSerializer(serializers.Serializer):
    """What a scheme takes; indicators, grades and the share are judged by the service."""

    division = serializers.CharField(help_text=_("制定方案的镇（街道）或区的代码"))
    level = serializers.CharField(help_text="village | cooperative")
    period = serializers.CharField(help_text=_("考核期间，如 2026、2026-H1、2026-Q3"))
    name = serializers.CharField(max_length=200)
    indicators = serializers.ListField(
        child=serializers.DictField(),
        help_text=format_lazy(
            "{}; {}",
            _("[{code, name, weight, source}]"),
            _("经济社方案须含 central_work（中心工作）且其权重最大；群众满意度的代码为 residents_satisfaction"),
        ),
    )
    grades = serializers.DictField(help_text=format_lazy("{{excellent, good, pass}}: {}", _("各等次的最低总分")))
    excellent_share = serializers.IntegerField(help_text=_("优秀比例（%）"))
    community_workers = serializers.BooleanField(
        required=False, default=False, help_text=_("考核社区工作者（仅 village 层级）：群众满意度应占最大权重")
    )


class EntriesSerializer(serializers.Serializer):
    entries = serializers.ListField(child=serializers.DictField(), help_text=_("[{unit, indicator, score}]"))


class EntriesAnswerSerializer(serializers.Serializer):
    saved = serializers.IntegerField()


class RunStartedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.CharField(help_text=RUN_STATES)


class ScoringRunSerializer(PortalModelSerializer):
    done = serializers.IntegerField(read_only=True)
    state = serializers.CharField(read_only=True, help_text=RUN_STATES)

    class Meta:
        model = ScoringRun
        fields = ["id", "scheme", "state", "done", "total", "counting_day", "errors", "requested_at", "finished_at"]
        read_only_fields = fields


class ResultSerializer(PortalModelSerializer):
    unit = serializers.CharField(source="unit_id")
    name = serializers.CharField(source="unit.qualified_name")
    missing = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = Result
        fields = ["unit", "name", "total", "grade", "rank", "scores", "missing"]
        read_only_fields = fields


class DisclosureItemSerializer(PortalModelSerializer):
    division = serializers.CharField(source="division_id", read_only=True)

    class Meta:
        model = DisclosureItem
        fields = ["id", "division", "title", "cadence", "since", "until"]
        read_only_fields = fields


class CreateDisclosureItemSerializer(serializers.Serializer):
    division = serializers.CharField()
    title = serializers.CharField(max_length=200)
    cadence = serializers.CharField()
    since = serializers.DateField()


class DisclosureSerializer(PortalModelSerializer):
    division = serializers.CharField(source="item.division_id", read_only=True)

    class Meta:
        model = Disclosure
        fields = ["id", "item", "division", "period_start", "due_on", "filed_on", "content"]
        read_only_fields = fields


class FileDisclosureSerializer(serializers.Serializer):
    item = serializers.IntegerField()
    period_day = serializers.DateField(help_text=_("所属期间内的任一天；重大事项为其决定日期"))
    filed_on = serializers.DateField(allow_null=True, required=False)
    content = serializers.CharField(allow_blank=True, required=False, default="")
