"""The REST API under /api/v1/ (its contract: docs/api.md).

The cross-cutting endpoints are governance's own; every domain app brings its router in its
api/urls.py and registers that module (governance.registry), so this file names no domain app.
Routes stay flat (/api/v1/people/, not /api/v1/villages/people/): docs/api.md is a contract.
"""

from importlib import import_module

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import APIRootView

from governance.api.reports import ReportIndexView
from governance.api.views import DepartmentListView, MeView, TokenView
from governance.registry import registry


def _app_url_modules() -> list:
    return [import_module(name) for name in registry.api_url_modules]


def _root_view():
    """The browsable root: every app's list endpoints, as DefaultRouter would show them."""
    routes = {}
    for module in _app_url_modules():
        for prefix, _viewset, basename in module.router.registry:
            routes[prefix] = f"{basename}-list"
    return APIRootView.as_view(api_root_dict=dict(sorted(routes.items())))


app_name = "api"
urlpatterns = [
    path("", _root_view(), name="api-root"),
    path("auth/token/", TokenView.as_view(), name="token"),
    path("me/", MeView.as_view(), name="me"),
    path("departments/", DepartmentListView.as_view(), name="departments"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI with its settings as a script of its own (docs/?script): no inline script, so the
    # docs keep the portal's Content-Security-Policy (governance/settings.py).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("reports/", ReportIndexView.as_view(), name="reports"),
    *[
        path(f"reports/{report.slug}/", report.view.as_view(), name=f"report-{report.slug}")
        for report in registry.reports.values()
    ],
    *[path("", include(module)) for module in _app_url_modules()],
]
