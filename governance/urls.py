from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from governance.api.exceptions import api_aware_page_not_found

urlpatterns = [
    path("api/v1/", include("governance.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("governance.pages.urls")),
]

handler404 = api_aware_page_not_found
