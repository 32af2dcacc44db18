"""The villages app's API routes, included under /api/v1/ by governance/api/urls.py (through the
registry) as NetBox's circuits/api/urls.py is by netbox/urls.py."""

from rest_framework.routers import SimpleRouter

from villages.api.filings import PositionFilingViewSet
from villages.api.views import DivisionViewSet, HouseholdViewSet, PersonViewSet, PositionViewSet

router = SimpleRouter()
router.register("divisions", DivisionViewSet, basename="division")
router.register("people", PersonViewSet, basename="person")
router.register("households", HouseholdViewSet, basename="household")
router.register("positions", PositionViewSet, basename="position")
router.register("filings", PositionFilingViewSet, basename="positionfiling")

urlpatterns = router.urls
