"""The grids app's API routes, included under /api/v1/ through governance's registry."""

from rest_framework.routers import SimpleRouter

from grids.api.photos import EventPhotoViewSet
from grids.api.views import EventCategoryViewSet, GridEventViewSet, GridViewSet

router = SimpleRouter()
router.register("grid-event-categories", EventCategoryViewSet, basename="eventcategory")
router.register("grids", GridViewSet, basename="grid")
router.register("grid-events", GridEventViewSet, basename="gridevent")
router.register(r"grid-events/(?P<event_pk>[0-9]+)/photos", EventPhotoViewSet, basename="eventphoto")

urlpatterns = router.urls
