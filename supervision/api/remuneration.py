"""The remuneration API (issue 9 point 5): `GET remuneration/?scheme=<id>&division=<code>` gives a
row per cadre of the scheme's units, each part in fen with its reason, as JSON or, through the
reports base, `?format=csv|xlsx`; `POST remuneration-rules/` sets a town's or the district's rule
for a period and `POST collective-incomes/` enters units' incomes, both through the services
(their ValidationError and PermissionDenied are the portal exception handler's 400 and 403)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from governance.api.reports import Column, ReportView
from governance.api.viewsets import division_in_scope
from supervision.api.reports import SCHEME_PARAMETER, TOWN_CODE, TOWN_NAME, scheme_asked_for, with_town_names
from supervision.models import CollectiveIncome, RemunerationRule
from supervision.services import remuneration as services


class RemunerationView(ReportView):
    """村干部报酬: `?scheme=<id>&division=<code>`, one row per cadre (a post the rule pays) of the
    scheme's units in the division, from the stored results; JSON, CSV or XLSX. Read by who may
    view remuneration rules there (they read the sanctions behind the deductions). A fixed number
    of queries whatever the number of units."""

    slug = "remuneration"
    name = gettext_lazy("村干部报酬")
    model = RemunerationRule
    query_parameters = (SCHEME_PARAMETER,)
    columns = (
        Column("unit", gettext_lazy("代码")),
        Column("name", gettext_lazy("村（社）")),
        Column("town", gettext_lazy("所属镇街")),
        Column("person", gettext_lazy("姓名")),
        Column("post_name", gettext_lazy("职务")),
        Column("grade_name", gettext_lazy("考核等次")),
        # The JSON gives amounts in fen; the CSV and XLSX in yuan, as the page shows them
        # (governance.money.export_yuan: numbers with two decimals).
        Column("base_fen", gettext_lazy("基本报酬（分）"), money=True, file_label=gettext_lazy("基本报酬（元）")),
        Column(
            "performance_fen", gettext_lazy("考核绩效（分）"), money=True, file_label=gettext_lazy("考核绩效（元）")
        ),
        Column("bonus_fen", gettext_lazy("创收奖励（分）"), money=True, file_label=gettext_lazy("创收奖励（元）")),
        Column("deduction_fen", gettext_lazy("处分扣减（分）"), money=True, file_label=gettext_lazy("处分扣减（元）")),
        Column("total_fen", gettext_lazy("应发合计（分）"), money=True, file_label=gettext_lazy("应发合计（元）")),
        Column("explanation", gettext_lazy("计算说明")),
    )

    def filename(self) -> str:
        return f"{self.slug}-{self.request.query_params.get('scheme')}-{self.division.code}"

    def file_table(self, results):
        """The file: the town by its name, its code in a column of its own; amounts in yuan."""
        columns = [column for column in self.columns if column.key != "town"]
        columns[2:2] = [TOWN_NAME, TOWN_CODE]
        return columns, with_town_names(results)

    def rows(self, division, period):
        scheme = scheme_asked_for(self.request)
        return [services.pay_row(pay) for pay in services.remuneration_of(self.request.user, scheme, division.code)]


class RuleSerializer(serializers.Serializer):
    division = serializers.CharField()
    period = serializers.CharField()
    bases = serializers.DictField(child=serializers.IntegerField())
    performance = serializers.DictField(child=serializers.IntegerField(), required=False, default=dict)
    bonus_threshold_fen = serializers.IntegerField(required=False, default=0)
    bonus_percent = serializers.IntegerField(required=False, default=0)
    bonus_cap_fen = serializers.IntegerField(required=False, allow_null=True, default=None)


class IncomesSerializer(serializers.Serializer):
    period = serializers.CharField()
    incomes = serializers.ListField(child=serializers.DictField())


class RuleSavedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    division = serializers.CharField(source="division_id")
    period = serializers.CharField()


class IncomesSavedSerializer(serializers.Serializer):
    saved = serializers.IntegerField()


class RemunerationRuleView(APIView):
    """POST remuneration-rules/: a town's or the district's rule for a period (replaced whole)."""

    queryset = RemunerationRule.objects.all()
    serializer_class = RuleSerializer

    @extend_schema(request=RuleSerializer, responses={201: RuleSavedSerializer})
    def post(self, request):
        data = RuleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        division = division_in_scope(request.user, fields.pop("division"))
        rule = services.save_rule(acting_user=request.user, division=division, **fields)
        return Response(RuleSavedSerializer(rule).data, status.HTTP_201_CREATED)


class CollectiveIncomeView(APIView):
    """POST collective-incomes/: `{"period", "incomes": [{"unit", "income_fen"}]}`, all or none."""

    queryset = CollectiveIncome.objects.all()
    serializer_class = IncomesSerializer

    @extend_schema(request=IncomesSerializer, responses={201: IncomesSavedSerializer})
    def post(self, request):
        data = IncomesSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        saved = services.save_incomes(acting_user=request.user, **data.validated_data)
        return Response(IncomesSavedSerializer({"saved": len(saved)}).data, status.HTTP_201_CREATED)
