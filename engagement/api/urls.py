"""The engagement app's API routes, included under /api/v1/ through governance's registry."""

from rest_framework.routers import SimpleRouter

from engagement.api.views import centres, contact, deliberation, party, visits

router = SimpleRouter()
for theme in (contact, visits, deliberation, party, centres):
    for prefix, viewset, basename in theme.ROUTES:
        router.register(prefix, viewset, basename=basename)

urlpatterns = router.urls
