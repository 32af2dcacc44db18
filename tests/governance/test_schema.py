"""The OpenAPI schema is exact (docs/api.md "Schema", DESIGN.md section 7): what client generators
read is what the API does. The responses themselves are checked against it in every API test
(governance.testing.schema); these tests hold its conventions."""

import inspect
import json
import re
from collections import defaultdict
from pathlib import Path

import pytest

from governance.api.reports import CSVRenderer, ReportView, XLSXRenderer
from governance.api.schema import ERROR_STATUS_CODES, JSON, MULTIPART
from governance.registry import registry
from governance.testing import world as w
from governance.testing.api import client_as
from governance.testing.schema import served_schema

OPERATION_METHODS = ("get", "put", "patch", "post", "delete")
FILE = {"type": "string", "format": "binary"}
PROJECT_APPS = ("governance", "villages", "covenants", "rights_lists", "supervision", "grids")
# request.query_params.get("name"), request.query_params["name"]
QUERY_PARAMETER_READ = re.compile(r"query_params(?:\.get\(|\[)\s*\"(\w+)\"")


@pytest.fixture(scope="module")
def schema():
    return served_schema()


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in OPERATION_METHODS:
                yield path, method, operation


def resolve(schema, node: dict) -> dict:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def walk(node):
    """Every dict inside a schema document."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def test_every_component_name_and_every_enum_name_is_ascii(schema):
    names = [name for kind in schema["components"].values() for name in kind]
    assert names and [name for name in names if not name.isascii()] == []
    # A generator names an inline enum after its title: none may carry a non-ASCII one.
    titled = [node["title"] for node in walk(schema["paths"]) if "enum" in node and "title" in node]
    assert [title for title in titled if not title.isascii()] == []


def test_the_title_is_ascii_so_that_a_generated_package_is_installable(schema):
    assert schema["info"]["title"] == "Village Governance Portal API"


def test_request_bodies_are_json_and_multipart_only_where_a_file_is_uploaded(schema):
    media_types = {}
    for path, method, operation in operations(schema):
        if "requestBody" in operation:
            content = operation["requestBody"]["content"]
            assert len(content) == 1, f"{method} {path}: one media type per body, not {list(content)}"
            [(media_type, body)] = content.items()
            properties = resolve(schema, body["schema"]).get("properties", {}).values()
            uploads = any(
                FILE["format"] in (field.get("format"), field.get("items", {}).get("format")) for field in properties
            )
            assert media_type == (MULTIPART if uploads else JSON), f"{method} {path}"
            media_types[f"{method} {path}"] = media_type
    uploading = sorted(operation for operation, media_type in media_types.items() if media_type == MULTIPART)
    assert uploading == [
        "post /api/v1/asset-transactions/{id}/files/",
        "post /api/v1/decisions/{id}/attachments/",
        "post /api/v1/grid-events/{event_pk}/photos/",
        "post /api/v1/lists/{id}/import/",
        "post /api/v1/violations/",
        "post /api/v1/violations/{violation_pk}/evidence/",
    ]


def test_every_operation_declares_the_error_answers_with_the_error_schema(schema):
    error = schema["components"]["schemas"]["Error"]
    assert error["properties"] == {"detail": {"type": "string"}} and "additionalProperties" in error
    for path, method, operation in operations(schema):
        for code in ERROR_STATUS_CODES:
            declared = operation["responses"].get(code, {}).get("content", {})
            assert declared == {JSON: {"schema": {"$ref": "#/components/schemas/Error"}}}, f"{method} {path} {code}"


def test_a_body_in_a_media_type_the_operation_does_not_take_is_the_declared_415(world, schema):
    """Found by the fuzzer (test_fuzz.py): DRF answers 415 to a body it cannot parse as the
    operation's media type; every write declares it (the client checks the answer)."""
    response = client_as("district_admin").post("/api/v1/eligibility/", "id_number=1", content_type="text/plain")

    assert response.status_code == 415 and set(response.json()) == {"detail"}
    writes = [operation for _path, method, operation in operations(schema) if method != "get"]
    assert writes and all("415" in operation["responses"] for operation in writes)


def test_the_token_operation_needs_no_token_and_is_typed(schema):
    operation = schema["paths"]["/api/v1/auth/token/"]["post"]

    assert operation["security"] == []
    request = resolve(schema, operation["requestBody"]["content"][JSON]["schema"])
    assert set(request["properties"]) == {"username", "password"} and set(request["required"]) == {
        "username",
        "password",
    }
    response = resolve(schema, operation["responses"]["200"]["content"][JSON]["schema"])
    assert response["properties"] == {"token": {"type": "string"}}


def test_the_other_operations_declare_the_token_and_the_session(schema):
    for path, method, operation in operations(schema):
        if path != "/api/v1/auth/token/":
            assert {"tokenAuth": []} in operation["security"], f"{method} {path}"


def test_every_report_declares_its_parameters_and_answers_json_or_a_csv_or_xlsx_file(schema):
    assert registry.reports
    for report in registry.reports.values():
        operation = schema["paths"][f"/api/v1/reports/{report.slug}/"]["get"]
        declared = {parameter["name"] for parameter in operation["parameters"]}
        view = report.view
        expected = {"division", "format", *(["period"] if view.takes_period else [])}
        expected |= {parameter.name for parameter in view.query_parameters}
        assert declared == expected, report.slug
        content = operation["responses"]["200"]["content"]
        assert content[JSON]["schema"] == {"$ref": "#/components/schemas/Report"}
        assert content[CSVRenderer.media_type]["schema"] == FILE
        assert content[XLSXRenderer.media_type]["schema"] == FILE


def test_the_scheme_reports_and_the_remuneration_declare_the_scheme(schema):
    for path in (
        "/api/v1/reports/scores/",
        "/api/v1/reports/grade-counts/",
        "/api/v1/reports/indicator-losses/",
        "/api/v1/reports/remuneration-totals/",
        "/api/v1/remuneration/",
    ):
        parameters = {parameter["name"]: parameter for parameter in schema["paths"][path]["get"]["parameters"]}
        assert parameters["scheme"]["required"] is True and parameters["scheme"]["schema"] == {"type": "integer"}


def test_every_query_parameter_an_endpoint_reads_is_declared(schema):
    """Read from the views' source: a query parameter added to a view without its declaration
    fails here. A view class reads for all its operations (a viewset's list reads `division`, its
    detail does not), so each parameter it reads must be declared on one of them. The reports'
    base is left out: it declares what it reads itself (division, and period where taken)."""
    from drf_spectacular.generators import SchemaGenerator

    generator = SchemaGenerator()
    generator._initialise_endpoints()
    read, declared = defaultdict(set), defaultdict(set)
    for path, _regex, method, view in generator._get_paths_and_endpoints():
        operation = schema["paths"].get(path, {}).get(method.lower())
        if operation is None:  # the schema's own routes, which spectacular leaves out
            continue
        view_class = type(view)
        source = "".join(
            inspect.getsource(klass)
            for klass in view_class.__mro__
            if klass.__module__.split(".")[0] in PROJECT_APPS and klass is not ReportView
        )
        read[view_class] |= set(QUERY_PARAMETER_READ.findall(source))
        declared[view_class] |= {parameter["name"] for parameter in operation.get("parameters", ())}
    undeclared = {view_class.__name__: read[view_class] - declared[view_class] for view_class in read}
    assert {name: names for name, names in undeclared.items() if names} == {}


def test_history_is_declared_as_the_page_of_audit_events_it_serves(schema):
    histories = [path for path in schema["paths"] if path.endswith("/history/")]
    assert len(histories) > 20
    for path in histories:
        declared = schema["paths"][path]["get"]["responses"]["200"]["content"][JSON]["schema"]
        assert declared == {"$ref": "#/components/schemas/PaginatedAuditEventList"}, path


def test_the_ancestors_are_declared_as_the_bare_list_they_are(schema):
    declared = schema["paths"]["/api/v1/divisions/{code}/ancestors/"]["get"]["responses"]["200"]["content"][JSON]
    assert declared["schema"] == {"type": "array", "items": {"$ref": "#/components/schemas/Division"}}


def test_a_response_declares_no_input_pattern_because_read_values_may_be_masked(schema):
    person = schema["components"]["schemas"]["Person"]["properties"]
    assert "pattern" not in person["phone"]
    assert "pattern" in json.dumps(schema["components"]["schemas"]["PersonRequest"]["properties"]["phone"])


def test_a_decisions_implementation_is_typed(schema):
    implementation = schema["components"]["schemas"]["DecisionDetail"]["properties"]["implementation"]
    assert resolve(schema, implementation.get("allOf", [implementation])[0])["properties"].keys() >= {
        "done_on",
        "summary",
    }


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_an_error_asked_as_a_file_is_the_json_error_with_its_status(world, format):
    missing_scheme = client_as("district_admin").get("/api/v1/reports/scores/", {"format": format})
    anonymous = client_as("anonymous").get("/api/v1/reports/scores/", {"format": format, "division": w.TOWN})

    assert missing_scheme.status_code == 400 and missing_scheme["Content-Type"] == JSON
    assert "scheme" in missing_scheme.json()
    assert anonymous.status_code == 401 and anonymous["Content-Type"] == JSON
    assert set(anonymous.json()) == {"detail"}


def test_no_test_bypasses_the_schema_checked_api_client():
    tests = Path(__file__).resolve().parents[1]
    bypassing = [
        str(path.relative_to(tests))
        for path in tests.rglob("*.py")
        if re.search(r"from rest_framework\.test import .*\bAPIClient\b", path.read_text(encoding="utf-8"))
    ]
    assert bypassing == []
