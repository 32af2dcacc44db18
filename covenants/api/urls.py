"""The covenants app's API routes, included under /api/v1/ through governance's registry."""

from rest_framework.routers import SimpleRouter

from covenants.api.awards import AwardRunViewSet
from covenants.api.evidence import ViolationEvidenceViewSet
from covenants.api.honour_lists import HonourListViewSet, RedListNominationViewSet
from covenants.api.views import (
    ClauseViewSet,
    CovenantVersionViewSet,
    CovenantViewSet,
    EligibilityQueryViewSet,
    EligibilityViewSet,
    SanctionViewSet,
    ViolationViewSet,
)

router = SimpleRouter()
router.register("covenants", CovenantViewSet, basename="covenant")
router.register("covenant-versions", CovenantVersionViewSet, basename="covenantversion")
router.register("clauses", ClauseViewSet, basename="clause")
router.register("violations", ViolationViewSet, basename="violation")
router.register(r"violations/(?P<violation_pk>[0-9]+)/evidence", ViolationEvidenceViewSet, basename="violationevidence")
router.register("sanctions", SanctionViewSet, basename="sanction")
router.register("eligibility", EligibilityViewSet, basename="eligibility")
router.register("eligibility-queries", EligibilityQueryViewSet, basename="eligibilityquery")
router.register("award-runs", AwardRunViewSet, basename="awardrun")
router.register("honour-lists", HonourListViewSet, basename="honourlist")
router.register("red-list-nominations", RedListNominationViewSet, basename="redlistnomination")

urlpatterns = router.urls
