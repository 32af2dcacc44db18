"""A route whose view fails with an ordinary error (tests/governance/test_database_outage.py)."""

from django.urls import path

from governance.urls import handler404, handler500  # noqa: F401  (the portal's error handlers)


def fails(request):
    raise RuntimeError("a bug, not an outage")


urlpatterns = [path("fails/", fails)]
