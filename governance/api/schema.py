"""The OpenAPI schema's conventions, applied once for every operation (DEFAULT_SCHEMA_CLASS).

Client generators read the schema (docs/api.md, "Schema"), so it says what the API does:

- request bodies are JSON; multipart only where the request carries a file;
- every operation declares the error answers 400, 401, 403, 404, 429 and 503 with one `Error` schema
  (DRF's shapes: `{"detail": "..."}` and `{"field": ["message", ...]}`), a write also 409 and 415;
- an operation open to anyone (the token) says so with `security: []`;
- query parameter enums carry no `title`: generators name an enum after its title, and the titles
  are the filters' Chinese labels (which stay in the description);
- a response does not declare a field's input `pattern`: read values may be masked
  (`138****5678`), which no input pattern allows.
"""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent, force_instance, is_serializer
from rest_framework import serializers

# 503 on every operation: the database or the task queue briefly out of reach
# (governance.api.exceptions: api_aware_server_error, QueueUnavailable), with Retry-After.
ERROR_STATUS_CODES = ("400", "401", "403", "404", "429", "503")
# A write the record's state refuses (a frozen scheme, a row still referenced) is 409; a body DRF
# cannot parse as the declared media type (a multipart body without its parts' headers, a
# Content-Type the operation does not take) is 415, as the fuzzer found (tests/governance/test_fuzz.py).
WRITE_ERROR_STATUS_CODES = ("409", "415")
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
ERROR_DESCRIPTIONS = {
    "400": "invalid input: {field: [message, ...]} (non_field_errors for the request as a whole)",
    "401": "not signed in: {detail}",
    "403": "not permitted in the caller's jurisdiction: {detail}",
    "404": "absent, or outside the caller's jurisdiction: {detail}",
    "429": "too many requests (throttled or locked out): {detail}",
    "503": "briefly unavailable (the database or the task queue out of reach), nothing changed: {detail}; "
    "retry after the Retry-After header's seconds",
    "409": "refused in the record's present state: {detail} or {field: [message, ...]}",
    "415": "a body not in the operation's media type: {detail}",
}
# A field's messages, or a nested serializer's errors (an object, or a list of them for many=True).
_FIELD_ERRORS = {
    "anyOf": [
        {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "object", "additionalProperties": True}]}},
        {"type": "object", "additionalProperties": True},
    ]
}
ERROR_COMPONENT = ResolvedComponent(
    name="Error",
    type=ResolvedComponent.SCHEMA,
    object="governance.api.schema.Error",
    schema={
        "type": "object",
        "description": "An error: `detail` for the request as a whole, or the messages of each field in error.",
        "properties": {"detail": {"type": "string"}},
        "additionalProperties": _FIELD_ERRORS,
    },
)

JSON = "application/json"
MULTIPART = "multipart/form-data"


def uploads_files(serializer) -> bool:
    """Whether a request serializer carries a file (directly or as a list of files)."""
    serializer = force_instance(serializer)
    if not is_serializer(serializer) or not hasattr(serializer, "fields"):
        return False
    for field in serializer.fields.values():
        child = getattr(field, "child", None)
        if isinstance(field, serializers.FileField) or isinstance(child, serializers.FileField):
            return True
    return False


class PortalAutoSchema(AutoSchema):
    def get_tags(self):
        """One tag per app, the app of the view's module (villages, rights_lists, covenants,
        supervision; governance for the cross-cutting endpoints): the flat paths (/api/v1/people/)
        carry no app, and the docs group by it. SPECTACULAR_SETTINGS["TAGS"] orders and describes
        them. A generated client names its api modules after the tag (api/villages/...)."""
        return [type(self.view).__module__.split(".")[0]]

    def map_parsers(self):
        """JSON, or multipart alone for a request that uploads files: one media type per body, so
        that a generated client sends what it declares."""
        parsers = super().map_parsers()
        if MULTIPART in parsers and uploads_files(self.get_request_serializer()):
            return [MULTIPART]
        return [JSON]

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        # No requirement declared means none: say so, rather than let a client assume a token.
        operation.setdefault("security", [])
        for parameter in operation.get("parameters", ()):
            parameter["schema"].pop("title", None)
            parameter["schema"].get("items", {}).pop("title", None)
        return operation

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        self.registry.register_on_missing(ERROR_COMPONENT)
        codes = ERROR_STATUS_CODES + (WRITE_ERROR_STATUS_CODES if self.method in WRITE_METHODS else ())
        for code in codes:
            responses.setdefault(
                code,
                {"content": {JSON: {"schema": ERROR_COMPONENT.ref}}, "description": ERROR_DESCRIPTIONS[code]},
            )
        return responses

    def _get_paginator(self):
        # Only GET answers come in pages: the answer of a POST that adds several rows is their list.
        return super()._get_paginator() if self.method == "GET" else None

    def _map_basic_serializer(self, serializer, direction):
        # Field validators are inserted without the direction: remember it for them.
        outer, self._mapping_direction = getattr(self, "_mapping_direction", None), direction
        try:
            return super()._map_basic_serializer(serializer, direction)
        finally:
            self._mapping_direction = outer

    def _insert_field_validators(self, field, schema):
        super()._insert_field_validators(field, schema)
        if getattr(self, "_mapping_direction", None) == "response":
            schema.pop("pattern", None)
            # A blank-allowed field with a pattern became oneOf [pattern, blank]: a plain string again.
            alternatives = schema.get("oneOf", ())
            if len(alternatives) == 2 and alternatives[1] == {"type": "string", "maxLength": 0}:
                del schema["oneOf"]
                schema.update({key: value for key, value in alternatives[0].items() if key != "pattern"})
