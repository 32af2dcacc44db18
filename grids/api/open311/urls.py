"""Open311 GeoReport v2 under /open311/v2/ (registered in grids.contributions with
governance.registry.add_root_api_urls): JSON only; any other address here answers in the
standard's error form."""

from django.urls import path, re_path

from grids.api.open311 import views

app_name = "open311"
urlpatterns = [
    path("discovery.json", views.DiscoveryView.as_view(), name="discovery"),
    path("services.json", views.ServicesView.as_view(), name="services"),
    path("requests.json", views.RequestsView.as_view(), name="requests"),
    path("requests/<str:request_id>.json", views.RequestView.as_view(), name="request"),
    re_path(r"^(?P<rest>.*)$", views.unknown, name="unknown"),
]
