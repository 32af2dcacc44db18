"""The API tests check every response they receive against the served OpenAPI schema, so that the
schema (what client generators read, docs/api.md "Schema") and the API cannot drift apart.

`SchemaCheckedAPIClient` is the APIClient of the tests (tests/conftest.py's `api_client` and
`client_for`, governance.testing.api's `client_as`): each response under /api/v1/ is validated by
openapi-core against the schema drf-spectacular generates, as /api/v1/schema/ serves it. A response
to a route or method the schema does not have must be an error (STATUSES_OF_UNKNOWN_OPERATIONS).
"""

from __future__ import annotations

import functools
import json

from openapi_core import OpenAPI
from openapi_core.templating.paths.exceptions import OperationNotFound, PathNotFound
from openapi_core.testing import MockRequest, MockResponse
from rest_framework.test import APIClient

API_PREFIX = "/api/v1/"
# Routes that are not operations of the schema: the schema itself and its rendering.
NOT_OPERATIONS = ("/api/v1/schema/", "/api/v1/docs/")
# A request the schema cannot know of (an unknown route, a method a route lacks) answers these:
# 405, or the refusal DRF answers first (sign-in and permissions are checked before the method).
STATUSES_OF_UNKNOWN_OPERATIONS = (401, 403, 404, 405)
# Downloads are declared as application/octet-stream while the API sends the stored file's own
# type (image/jpeg, application/pdf...): they are checked as the declared type.
FILE_DOWNLOAD_SUFFIX = "/download/"
# Known mismatches between what an operation serves and its schema, not yet mended: each is
# checked for its status but not its body, with the reason. Empty it as they are fixed.
BODIES_NOT_YET_CHECKED: dict[tuple[str, str], str] = {}


@functools.cache
def served_schema() -> dict:
    """The schema as GET /api/v1/schema/?format=json serves it (plain JSON types)."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(schema, renderer_context={}))


@functools.cache
def served_openapi() -> OpenAPI:
    return OpenAPI.from_dict(with_nullable_references_the_validator_reads(json.loads(json.dumps(served_schema()))))


def with_nullable_references_the_validator_reads(node):
    """openapi-core's OAS 3.0 validator honours `nullable` only beside `type`, while drf-spectacular
    writes a nullable nested object as `{"allOf": [{"$ref": ...}], "nullable": true}` (which
    generators read as meant): the same, spelt as the validator reads it."""
    if isinstance(node, dict):
        if node.get("nullable") and "allOf" in node and "type" not in node:
            del node["nullable"]
            node["anyOf"] = [{"allOf": node.pop("allOf")}, {"type": "object", "nullable": True, "enum": [None]}]
        for value in node.values():
            with_nullable_references_the_validator_reads(value)
    elif isinstance(node, list):
        for value in node:
            with_nullable_references_the_validator_reads(value)
    return node


def check_against_schema(response) -> None:
    """Raise AssertionError when an API response is not what the schema declares for it."""
    request = response.wsgi_request
    if not request.path.startswith(API_PREFIX) or request.path in NOT_OPERATIONS:
        return
    openapi_request = MockRequest(
        "http://testserver",
        request.method,
        request.path,
        args={key: values for key, values in request.GET.lists()},
    )
    content_type = response.get("Content-Type", "")
    if request.path.endswith(FILE_DOWNLOAD_SUFFIX) and response.status_code == 200:
        content_type = "application/octet-stream"
    openapi_response = MockResponse(
        # A file is sent streaming: the schema says nothing of its bytes, and reading them here
        # would leave none for the test.
        response.content if not response.streaming else b"<file>",
        status_code=response.status_code,
        headers=dict(response.headers),
        content_type=content_type,
    )
    if (request.method, request.path) in BODIES_NOT_YET_CHECKED:
        declared = served_schema()["paths"][request.path][request.method.lower()]["responses"]
        assert str(response.status_code) in declared, f"{request.method} {request.path}: {response.status_code}"
        return
    try:
        served_openapi().validate_response(openapi_request, openapi_response)
    except (PathNotFound, OperationNotFound):
        assert response.status_code in STATUSES_OF_UNKNOWN_OPERATIONS, (
            f"{request.method} {request.path} is not in the schema but answered {response.status_code}"
        )
    except Exception as error:
        cause = error.__cause__ or error
        detail = (
            "; ".join(
                f"{'.'.join(map(str, schema_error.absolute_path))}: {schema_error.message[:200]}"
                for schema_error in getattr(cause, "schema_errors", ())
            )
            or str(cause)[:300]
        )
        raise AssertionError(
            f"{request.method} {request.path} answered {response.status_code} ({content_type}) "
            f"not as the schema declares: {type(error).__name__}: {detail}"
        ) from error


class SchemaCheckedAPIClient(APIClient):
    """An APIClient whose every API response is checked against the schema."""

    def request(self, **kwargs):
        response = super().request(**kwargs)
        check_against_schema(response)
        return response
