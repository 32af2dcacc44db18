"""The rights_lists app's API routes, included under /api/v1/ through governance's registry."""

from rest_framework.routers import SimpleRouter

from rights_lists.api.views import DecisionViewSet, ListItemViewSet, MeetingRuleViewSet, RightsListViewSet

router = SimpleRouter()
router.register("lists", RightsListViewSet, basename="rightslist")
router.register("list-items", ListItemViewSet, basename="listitem")
router.register("decisions", DecisionViewSet, basename="decision")
router.register("meeting-rules", MeetingRuleViewSet, basename="meetingrule")

urlpatterns = router.urls

from rights_lists.api.admission import AdmissionRequestViewSet  # noqa: E402
from rights_lists.api.transactions import AssetTransactionViewSet  # noqa: E402

router.register("admission-requests", AdmissionRequestViewSet, basename="admissionrequest")
router.register("asset-transactions", AssetTransactionViewSet, basename="assettransaction")
urlpatterns = router.urls
