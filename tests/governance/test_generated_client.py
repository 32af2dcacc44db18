"""A client generated from the schema by openapi-python-client works (DESIGN.md section 7): it
imports every module, and, against the live test server, gets a token, reads a page of divisions,
asks eligibility, reads a scheme's report and a record's history, each answer parsed into the
generated models."""

import datetime
import importlib
import json
import pkgutil
import subprocess
import sys
from decimal import Decimal

import pytest

from governance.testing import world as w
from governance.testing.factories import TEST_PASSWORD
from governance.testing.schema import served_schema
from supervision.testing.factories import scheme, stored_results
from villages.testing.factories import PersonFactory, division

PACKAGE = "village_governance_portal_api_client"  # from the schema's title
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The generator's configuration: no post-generation hooks (they would run ruff from PATH), and
# XLSX bodies read as bytes (it knows application/octet-stream, not the spreadsheet type).
GENERATOR_CONFIG = {"post_hooks": [], "content_type_overrides": {XLSX: "application/octet-stream"}}


@pytest.fixture(scope="module")
def client_package(tmp_path_factory):
    """The client generated from the schema as served, importable for the module's tests."""
    where = tmp_path_factory.mktemp("generated")
    (where / "openapi.json").write_text(json.dumps(served_schema()), encoding="utf-8")
    (where / "config.json").write_text(json.dumps(GENERATOR_CONFIG), encoding="utf-8")
    generated = subprocess.run(
        [
            sys.executable,
            "-m",
            "openapi_python_client",
            "generate",
            "--path",
            str(where / "openapi.json"),
            "--config",
            str(where / "config.json"),
            "--meta",
            "setup",
            "--output-path",
            str(where / "project"),
            "--fail-on-warning",
        ],
        capture_output=True,
        text=True,
        cwd=where,
    )
    assert generated.returncode == 0, generated.stdout + generated.stderr
    sys.path.insert(0, str(where / "project"))
    yield importlib.import_module(PACKAGE)
    sys.path.remove(str(where / "project"))
    for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
        del sys.modules[name]


def generated(name: str):
    return importlib.import_module(f"{PACKAGE}.{name}")


def test_the_generated_client_imports_every_module(client_package):
    modules = [module.name for module in pkgutil.walk_packages(client_package.__path__, f"{PACKAGE}.")]

    failing = []
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception as error:  # each failure is reported, not only the first
            failing.append(f"{name}: {error!r}")
    assert failing == []
    assert len([name for name in modules if ".api." in name]) > 150


@pytest.fixture
def served_world(transactional_db, world_builder):
    """The world's users and divisions, a person in the village, and a scheme of the town with
    stored results, committed for the live server to read."""
    world_builder()
    person = PersonFactory(division=division(w.VILLAGE))
    town_scheme = scheme(w.TOWN)
    stored_results(
        town_scheme, {w.VILLAGE: (Decimal("95.00"), "excellent", 1), w.OTHER_VILLAGE_SAME_TOWN: (0, "fail", 2)}
    )
    return {"person": person, "scheme": town_scheme}


def test_the_generated_client_works_against_the_live_api(client_package, live_server, served_world):
    Client, AuthenticatedClient = client_package.Client, client_package.AuthenticatedClient
    models = generated("models")
    api = "api."  # then the operation's tag: its app (governance.api.schema.PortalAutoSchema.get_tags)

    # A token, with no token (the operation declares `security: []`); a refusal is the error model.
    token = generated(api + "governance.v1_auth_token_create")
    refused = token.sync_detailed(
        client=Client(base_url=live_server.url),
        body=models.CredentialsRequest(username="district_admin", password="not the password"),
    )
    assert refused.status_code == 400 and isinstance(refused.parsed, models.Error)
    assert "non_field_errors" in refused.parsed.additional_properties
    answer = token.sync_detailed(
        client=Client(base_url=live_server.url),
        body=models.CredentialsRequest(username="district_admin", password=TEST_PASSWORD),
    )
    assert answer.status_code == 200 and isinstance(answer.parsed, models.Token)
    client = AuthenticatedClient(base_url=live_server.url, token=answer.parsed.token, prefix="Token")

    # A page of divisions, filtered by a query enum.
    page = generated(api + "villages.v1_divisions_list").sync_detailed(
        client=client, level=models.V1DivisionsListLevel.VILLAGE, page_size=1
    )
    assert page.status_code == 200 and isinstance(page.parsed, models.PaginatedDivisionList)
    assert len(page.parsed.results) == 1 and page.parsed.next_
    assert isinstance(page.parsed.results[0], models.Division)

    # Eligibility: a JSON body, a typed answer.
    eligibility = generated(api + "covenants.v1_eligibility_create")
    asked = eligibility.sync_detailed(
        client=client,
        body=models.EligibilityQuestionRequest(
            id_number=served_world["person"].id_number, action=models.ActionEnum.ELECTION, on=datetime.date(2026, 1, 5)
        ),
    )
    assert asked.status_code == 200 and isinstance(asked.parsed, models.EligibilityAnswer)
    assert asked.parsed.eligible is True
    # A scheme's report, with its scheme.
    report = generated(api + "supervision.v1_reports_scores_retrieve").sync_detailed(
        client=client, scheme=served_world["scheme"].pk, division=w.TOWN
    )
    assert report.status_code == 200 and isinstance(report.parsed, models.Report)
    assert [row["unit"] for row in report.parsed.results] == [w.VILLAGE, w.OTHER_VILLAGE_SAME_TOWN]

    # A record's history: a page of audit events.
    history = generated(api + "villages.v1_people_history_list").sync_detailed(
        client=client, id=served_world["person"].pk
    )
    assert history.status_code == 200 and isinstance(history.parsed, models.PaginatedAuditEventList)
    assert [event.label for event in history.parsed.results] == ["insert"]
