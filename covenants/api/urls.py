"""The covenants app's API routes, included under /api/v1/ through governance's registry."""

from rest_framework.routers import SimpleRouter

router = SimpleRouter()

urlpatterns = router.urls
