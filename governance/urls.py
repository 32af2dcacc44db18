from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView

from governance.api.exceptions import api_aware_page_not_found, api_aware_server_error
from governance.registry import registry


class FaviconRedirect(RedirectView):
    """The icon's address is looked up when asked, not when the URLs load: in production the
    static files' manifest (collectstatic) exists only once the portal is deployed."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs):
        return static("img/favicon.svg")


favicon = FaviconRedirect.as_view()

urlpatterns = [
    path("api/v1/", include("governance.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The documented address is /api/v1/docs/; /api/docs/ is the one people guess.
    path("api/docs/", RedirectView.as_view(pattern_name="api:docs", permanent=True)),
    # Browsers ask for /favicon.ico whatever the page links: the icon the pages link to.
    path("favicon.ico", favicon),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # APIs whose address a standard fixes outside /api/v1/ (Open311 GeoReport v2), registered by
    # their app (governance.registry.add_root_api_urls).
    *[path(prefix, include(module)) for prefix, module in registry.root_api_url_modules.items()],
    path("", include("governance.pages.urls")),
]

handler404 = api_aware_page_not_found
handler500 = api_aware_server_error
