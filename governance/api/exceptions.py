"""JSON errors in DRF's shape for everything an API view can raise: never a 500 for bad input."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.db.models import ProtectedError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from governance.api.renderers import PortalJSONRenderer
from governance.celery import QueueUnavailable

# Renderers an error may be answered with: JSON, and the browsable API (JSON in a page).
ERROR_FORMATS = ("json", "api")


def portal_exception_handler(exc, context):
    response = _error_response(exc, context)
    if response is not None:
        request = context.get("request")
        if request is not None and getattr(getattr(request, "accepted_renderer", None), "format", None) not in (
            ERROR_FORMATS
        ):
            # An error asked as CSV or XLSX (a report's ?format=) is still the JSON error of the schema,
            # not a spreadsheet holding a message.
            request.accepted_renderer = PortalJSONRenderer()
            request.accepted_media_type = PortalJSONRenderer.media_type
        if isinstance(response.data, list):
            # ValidationError(["message"]): DRF's shape for errors of the request as a whole.
            response.data = {"non_field_errors": response.data}
    return response


def _error_response(exc, context):
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, ProtectedError):
        return Response(
            {"detail": _("该记录仍被其他记录引用，不能删除。")},
            status=status.HTTP_409_CONFLICT,
        )
    elif isinstance(exc, IntegrityError):
        return Response(
            {"non_field_errors": [_("与已有记录冲突（重复或引用无效）。")]},
            status=status.HTTP_400_BAD_REQUEST,
        )
    elif isinstance(exc, DataError):
        return Response(
            {"non_field_errors": [_("输入的值超出允许范围。")]},
            status=status.HTTP_400_BAD_REQUEST,
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(_("未找到，或不在您的辖区内。"))
    elif isinstance(exc, QueueUnavailable):
        response = Response({"detail": _("任务队列暂时不可用，未做任何更改，请稍后重试。")}, status=503)
        response["Retry-After"] = str(DATABASE_UNAVAILABLE_RETRY_SECONDS)
        return response
    return exception_handler(exc, context)


def api_aware_page_not_found(request, exception=None):
    """404 for a URL that matches no route: JSON under /api/, the portal's page elsewhere."""
    from django.http import JsonResponse
    from django.views.defaults import page_not_found

    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("未找到。")}, status=404)
    return page_not_found(request, exception)


# A database that cannot be reached (restarting, failing over, out of connections) is an outage,
# not a fault of the portal: the caller is told to retry, in a few seconds (Retry-After).
DATABASE_UNAVAILABLE_RETRY_SECONDS = 5


def api_aware_server_error(request):
    """Django's handler500, called inside the `except` of the uncaught exception: a database
    that cannot be reached is a 503 that says so, JSON under /api/ (the shape of every API error)
    and a page elsewhere, never a trace; anything else is the portal's 500 page.

    Every view and middleware is covered (DRF re-raises what its handler does not answer); the
    next request reconnects by itself (CONN_HEALTH_CHECKS drops the broken connection)."""
    import sys

    from django.db import InterfaceError, OperationalError
    from django.http import JsonResponse
    from django.template import loader
    from django.views.defaults import server_error

    from governance.registry import registry

    if not isinstance(sys.exc_info()[1], (OperationalError, InterfaceError)):
        return server_error(request)
    message = _("数据库暂时不可用，请稍后重试。")
    if request.path.startswith(("/api/", *registry.root_api_prefixes())):
        response = JsonResponse({"detail": message}, status=503)
    else:
        from django.http import HttpResponse

        # Rendered without a request context: the navigation and the user need the database.
        response = HttpResponse(loader.get_template("503.html").render({"message": message}), status=503)
    response["Retry-After"] = str(DATABASE_UNAVAILABLE_RETRY_SECONDS)
    return response
