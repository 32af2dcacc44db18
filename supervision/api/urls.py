"""The supervision app's API routes, included under /api/v1/ through governance's registry."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from supervision.api.duty_reports import DutyReportViewSet
from supervision.api.records import register_record_routes
from supervision.api.remuneration import CollectiveIncomeView, RemunerationRuleView, RemunerationView
from supervision.api.views import (
    DisclosureItemViewSet,
    DisclosureViewSet,
    IndicatorsView,
    SchemeViewSet,
    ScoringRunViewSet,
)

router = SimpleRouter()
router.register("schemes", SchemeViewSet, basename="scheme")
router.register("scoring-runs", ScoringRunViewSet, basename="scoringrun")
router.register("disclosure-items", DisclosureItemViewSet, basename="disclosureitem")
router.register("disclosures", DisclosureViewSet, basename="disclosure")
router.register("duty-reports", DutyReportViewSet, basename="dutyreport")
register_record_routes(router)

urlpatterns = [
    path("indicators/", IndicatorsView.as_view(), name="indicators"),
    path("remuneration/", RemunerationView.as_view(), name="remuneration"),
    path("remuneration-rules/", RemunerationRuleView.as_view(), name="remuneration-rules"),
    path("collective-incomes/", CollectiveIncomeView.as_view(), name="collective-incomes"),
    *router.urls,
]
