"""The remuneration API (issue 9 point 5): `GET remuneration/?scheme=<id>&division=<code>` gives a
row per cadre of the scheme's units, each part in fen with its reason, as JSON or, through the
reports base, `?format=csv|xlsx`; `POST remuneration-rules/` sets a town's or the district's rule
for a period and `POST collective-incomes/` enters units' incomes, both through the services."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from governance.access.permissions import OUT_OF_SCOPE
from governance.api.reports import Column, ReportView
from supervision.api.reports import SCHEME_PARAMETER, scheme_asked_for
from supervision.models import CollectiveIncome, RemunerationRule
from supervision.services import remuneration as services
from villages.models import Division


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
        Column("base_fen", gettext_lazy("基本报酬（分）")),
        Column("performance_fen", gettext_lazy("考核绩效（分）")),
        Column("bonus_fen", gettext_lazy("创收奖励（分）")),
        Column("deduction_fen", gettext_lazy("处分扣减（分）")),
        Column("total_fen", gettext_lazy("应发合计（分）")),
        Column("explanation", gettext_lazy("计算说明")),
    )

    def filename(self) -> str:
        return f"{self.slug}-{self.request.query_params.get('scheme')}-{self.division.code}"

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


def _call(function, **kwargs):
    try:
        return function(**kwargs)
    except DjangoValidationError as error:
        raise exceptions.ValidationError(
            error.message_dict if hasattr(error, "error_dict") else error.messages
        ) from None
    except DjangoPermissionDenied as error:
        raise exceptions.PermissionDenied(str(error)) from None


class RemunerationRuleView(APIView):
    """POST remuneration-rules/: a town's or the district's rule for a period (replaced whole)."""

    queryset = RemunerationRule.objects.all()
    serializer_class = RuleSerializer

    def post(self, request):
        data = RuleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        division = Division.objects.restrict(request.user, "view").filter(code=fields.pop("division")).first()
        if division is None:
            raise exceptions.NotFound(OUT_OF_SCOPE)
        rule = _call(services.save_rule, acting_user=request.user, division=division, **fields)
        return Response({"id": rule.pk, "division": rule.division_id, "period": rule.period}, status.HTTP_201_CREATED)


class CollectiveIncomeView(APIView):
    """POST collective-incomes/: `{"period", "incomes": [{"unit", "income_fen"}]}`, all or none."""

    queryset = CollectiveIncome.objects.all()
    serializer_class = IncomesSerializer

    def post(self, request):
        data = IncomesSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        saved = _call(services.save_incomes, acting_user=request.user, **data.validated_data)
        return Response({"saved": len(saved)}, status.HTTP_201_CREATED)
