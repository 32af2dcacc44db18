"""Serializers of service centres, operating funds, emergency plans and drills (docs/api.md,
"Service centres, funds and emergency plans").

Reads are model serializers with what the rules compute (engagement.querysets.centres); writes are
small input serializers whose data the views hand to engagement.services.centres. Amounts are whole
fen (`amount_fen`, `county_topup_fen`), as every amount of the API: exact integers, never floats.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from engagement.choices import CentreLevel
from engagement.models import Drill, EmergencyPlan, OperatingFund, ServiceCentre
from engagement.querysets.centres import meets_fund_minimum, service_share
from governance.api.fields import DivisionCodeField
from governance.api.serializers import PortalModelSerializer

AREA = {"max_digits": 9, "decimal_places": 1, "min_value": 0}


class ServiceCentreSerializer(PortalModelSerializer):
    """A service centre with what Jiangsu (六) asks of it: `required_area_m2` (30 m² per 100
    households served), `meets_area`, `service_share` (percent, 2 decimals) and
    `meets_service_share` (at least 70%)."""

    division = serializers.CharField(source="division_id", read_only=True)
    division_name = serializers.CharField(source="division.name", read_only=True)
    level = serializers.ChoiceField(choices=CentreLevel.choices, read_only=True)
    required_area_m2 = serializers.DecimalField(max_digits=12, decimal_places=1, read_only=True)
    meets_area = serializers.BooleanField(read_only=True)
    service_share = serializers.SerializerMethodField(help_text=_("服务和活动面积占总面积的百分比"))
    meets_service_share = serializers.BooleanField(read_only=True)

    class Meta:
        model = ServiceCentre
        fields = [
            "id",
            "division",
            "division_name",
            "level",
            "area_m2",
            "service_area_m2",
            "households_served",
            "required_area_m2",
            "meets_area",
            "service_share",
            "meets_service_share",
        ]
        read_only_fields = fields

    def get_service_share(self, centre) -> float | None:
        return service_share(centre.service_area_m2, centre.area_m2)


class CentreInputSerializer(serializers.Serializer):
    division = DivisionCodeField(label=_("区划"))
    level = serializers.ChoiceField(
        choices=CentreLevel.choices, label=_("层级"), required=False, help_text=_("默认为区划所在层级")
    )
    area_m2 = serializers.DecimalField(label=_("总面积（平方米）"), **AREA)
    service_area_m2 = serializers.DecimalField(label=_("服务和活动面积（平方米）"), **AREA)
    households_served = serializers.IntegerField(label=_("服务户数"), min_value=0, max_value=10_000_000)


class CentreChangeSerializer(serializers.Serializer):
    area_m2 = serializers.DecimalField(label=_("总面积（平方米）"), required=False, **AREA)
    service_area_m2 = serializers.DecimalField(label=_("服务和活动面积（平方米）"), required=False, **AREA)
    households_served = serializers.IntegerField(label=_("服务户数"), min_value=0, max_value=10_000_000, required=False)


class OperatingFundSerializer(PortalModelSerializer):
    """A village's operating fund of a year in fen, with the county's top-up to 380,000 yuan
    (`county_topup_fen`, Jiangsu 十一) and whether the fund itself reaches it (`meets_minimum`)."""

    division = serializers.CharField(source="division_id", read_only=True)
    county_topup_fen = serializers.IntegerField(read_only=True, help_text=_("县级补足至38万元的差额（分）"))
    meets_minimum = serializers.SerializerMethodField(help_text=_("村级经费本身达到38万元"))

    class Meta:
        model = OperatingFund
        fields = ["id", "division", "year", "amount_fen", "county_topup_fen", "meets_minimum"]
        read_only_fields = fields

    def get_meets_minimum(self, fund) -> bool:
        return meets_fund_minimum(fund.amount_fen)


AMOUNT = {"min_value": 0, "max_value": 10**15}


class FundInputSerializer(serializers.Serializer):
    division = DivisionCodeField(label=_("村（社区）"))
    year = serializers.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    amount_fen = serializers.IntegerField(label=_("村级经费（分）"), **AMOUNT)


class FundChangeSerializer(serializers.Serializer):
    amount_fen = serializers.IntegerField(label=_("村级经费（分）"), **AMOUNT)


class EmergencyPlanSerializer(PortalModelSerializer):
    """A community's emergency plan with its latest drill (`last_drill_on`) and `drill_due`: no
    drill (nor, before the first, its adoption) within 365 days before today, judged at the request."""

    division = serializers.CharField(source="division_id", read_only=True)
    last_drill_on = serializers.DateField(read_only=True, allow_null=True)
    drill_due = serializers.BooleanField(read_only=True, help_text=_("一年内未演练（按请求时计算）"))

    class Meta:
        model = EmergencyPlan
        fields = ["id", "division", "title", "adopted_on", "people_trained", "last_drill_on", "drill_due"]
        read_only_fields = fields


class PlanInputSerializer(serializers.Serializer):
    division = DivisionCodeField(label=_("村（社区）"))
    title = serializers.CharField(label=_("预案名称"), max_length=100)
    adopted_on = serializers.DateField(label=_("制定日期"))
    people_trained = serializers.IntegerField(label=_("受训人数"), min_value=0, max_value=1_000_000, default=0)


class PlanChangeSerializer(serializers.Serializer):
    title = serializers.CharField(label=_("预案名称"), max_length=100, required=False)
    adopted_on = serializers.DateField(label=_("制定日期"), required=False)
    people_trained = serializers.IntegerField(label=_("受训人数"), min_value=0, max_value=1_000_000, required=False)


class DrillSerializer(PortalModelSerializer):
    """A drill of an emergency plan: when, how many took part, how it went."""

    division = serializers.CharField(source="plan.division_id", read_only=True)

    class Meta:
        model = Drill
        fields = ["id", "plan", "division", "held_on", "participants", "note"]
        read_only_fields = fields


class DrillInputSerializer(serializers.Serializer):
    plan = serializers.IntegerField(label=_("应急预案"), min_value=1)
    held_on = serializers.DateField(label=_("演练日期"))
    participants = serializers.IntegerField(label=_("参加人数"), min_value=0, max_value=1_000_000)
    note = serializers.CharField(label=_("演练情况"), max_length=4000, required=False, allow_blank=True, default="")
