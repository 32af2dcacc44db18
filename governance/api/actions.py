"""The body of every workflow action of the API, written once.

A workflow step on one record (confirm a violation, decide a filing, record a publication...) is a
POST on `<record>/<step>/` whose JSON body a serializer reads and whose work a service does:

    @record_action(body=ConfirmViolationSerializer, answer=ViolationSerializer)
    def confirm(self, violation, data, *, acting_user):
        return services.confirm_violation(violation, acting_user=acting_user, **data)

The record is found by the viewset's get_object() (its queryset restricted to the caller's
jurisdiction for the action's permission: 404 out of scope, 403 in scope without the right), the
body is validated (400 with the field's messages), the service runs (its PermissionDenied is 403,
its ValidationError 400), and what it returns is answered with `answer`. The schema declares the
body and the answer from the same two serializers, so it cannot drift from what is served.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response


def read_body(view, serializer_class: type[serializers.Serializer]) -> dict:
    """The request's body read by `serializer_class` (with the view's context): 400 unless valid."""
    form = serializer_class(data=view.request.data, context=view.get_serializer_context())
    form.is_valid(raise_exception=True)
    return dict(form.validated_data)


def record_action(
    *,
    body: type[serializers.Serializer] | None,
    answer: type[serializers.Serializer],
    url_path: str | None = None,
    answer_status: int = status.HTTP_200_OK,
    **action_options,
) -> Callable:
    """Declare a POST action on one record: `body` reads the request, the decorated method does the
    work (`method(self, record, data, *, acting_user)` → what to answer), `answer` renders it.

    A viewset may refine what is rendered with `answer_instance(result)` (e.g. to read the record
    afresh with its relations in one query). `body=None`: the step takes no body (approve, discard...),
    the method's `data` is empty and the schema declares none."""

    def decorate(method: Callable) -> Callable:
        @functools.wraps(method)
        def view(self, request, *args, **kwargs):
            record = self.get_object()
            data = read_body(self, body) if body is not None else {}
            result = method(self, record, data, acting_user=request.user)
            refine = getattr(self, "answer_instance", None)
            instance = refine(result) if refine is not None else result
            return Response(answer(instance, context=self.get_serializer_context()).data, status=answer_status)

        routed = action(detail=True, methods=["post"], url_path=url_path, **action_options)(view)
        # After @action, which sets the function's kwargs afresh and would drop a schema set before it.
        return extend_schema(request=body, responses={answer_status: answer})(routed)

    return decorate
