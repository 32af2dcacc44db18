"""The floor: bare Django views that answer rows of the same tables as plain JSON, with the
portal's settings and middleware but no authentication, scoping, serializer or pagination.
What the API costs beyond them is its own cost (bench/api_load). Never part of the portal: only
bench/floor_settings.py routes here."""

from django.apps import apps
from django.http import Http404, HttpResponse, JsonResponse
from django.urls import include, path

# The portal's error views, which only the root URLconf may name.
from governance.urls import handler404, handler500  # noqa: F401

LIST_SIZE = 50  # the API's page (REST_FRAMEWORK["PAGE_SIZE"])


def _model(label: str):
    try:
        return apps.get_model(label)
    except (LookupError, ValueError) as absent:
        raise Http404(label) from absent


def one_row(request, label: str, pk: str):
    """One row by primary key, every column, as JSON: the floor of a detail."""
    row = _model(label).objects.filter(pk=pk).values().first()
    if row is None:
        raise Http404(pk)
    return JsonResponse(row)


def first_rows(request, label: str):
    """The first LIST_SIZE rows by primary key, every column, as JSON: the floor of a list."""
    rows = list(_model(label).objects.order_by("pk").values()[:LIST_SIZE])
    return JsonResponse({"results": rows})


def ping(request):
    return HttpResponse("ok")


urlpatterns = [
    path("bench-floor/ping/", ping),
    path("bench-floor/<str:label>/", first_rows),
    path("bench-floor/<str:label>/<str:pk>/", one_row),
    path("", include("governance.urls")),
]
