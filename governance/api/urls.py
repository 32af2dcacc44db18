"""The REST API under /api/v1/ (DESIGN.md section 7)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from governance.api.views import MeView, TokenView
from villages.api.filings import PositionFilingViewSet
from villages.api.views import DivisionViewSet, HouseholdViewSet, PersonViewSet, PositionViewSet

router = DefaultRouter()
router.register("divisions", DivisionViewSet, basename="division")
router.register("people", PersonViewSet, basename="person")
router.register("households", HouseholdViewSet, basename="household")
router.register("positions", PositionViewSet, basename="position")
router.register("filings", PositionFilingViewSet, basename="positionfiling")

app_name = "api"
urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="token"),
    path("me/", MeView.as_view(), name="me"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("", include(router.urls)),
]
