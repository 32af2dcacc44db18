"""Fuzzing as every demo role (issue 19): schemathesis generates requests for every operation of
the schema the portal serves (/api/schema/), as each role of ROLE_DEFINITIONS and as nobody, and
every answer must be no server error and what the schema declares: a declared status, the declared
media type, a body of the declared schema; and a request the schema calls invalid is refused.

The data is the Nanhai demo (manage.py load_demo, every app's step), loaded once for the module in
a transaction rolled back at its end, so that each role has real records in its jurisdiction to
hit. Most cases are positive (valid by the schema) on real objects: the path parameters are ids
and codes that the role's own lists answer, or the district administrator's (so also records
outside the role's jurisdiction), and `division`, `period` and `scheme` in the query are real
ones; some have generated path parameters, and some are negative (invalid by the schema) on real
objects. Writes (POST, PUT, PATCH) are sent like reads, each request in a savepoint rolled back
after it, so every example starts from the same demo.

Requests go through the whole Django stack in-process (the WSGI handler, every middleware), with
the role's token. Generation is bounded (EXAMPLES per operation and role) and derandomized: the
same draws every run (only the bytes can differ: the demo's ids follow the database's sequences,
which no rollback resets, and a multipart body's boundary is random; the 415 such a body can get
was found so, and is declared since).

Cost, measured 2026-12-07 on the 2-core machine (203 operations; each new operation adds its
share): 6,048 requests (203 operations x 7 roles x 4 cases, and x 2 as nobody; a few operations
have fewer distinct cases). The demo's load and every role's run took 3 min 15 s to 3 min 44 s by
pytest's clock over three runs while other test runs shared the machine; the process's CPU time
was 150 to 172 s and PostgreSQL's about 40 s, so about 3.5 minutes on an idle machine: under the
module's budget of 4 minutes.
"""

from __future__ import annotations

import io
import json
import os
import re
import time
import traceback
from contextlib import contextmanager

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.signals import got_request_exception, request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, connection, transaction
from django.test import override_settings
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)
from werkzeug.test import Client

from governance.access.roles import ROLE_DEFINITIONS
from governance.testing.fixtures import FAST_PASSWORD_HASHERS
from villages.demo.plan import DEMO_COOPERATIVE_CODE, DEMO_VILLAGE_CODE, DISTRICT_CODE, OTHER_TOWN_CODE, TOWN_CODE

ANONYMOUS = "anonymous"
ADMIN = "district_admin"  # whose lists give records outside the other roles' jurisdiction
ROLES = [*ROLE_DEFINITIONS, ANONYMOUS]
# Cases per operation: nobody is refused before anything else is read, so fewer suffice. A deeper
# run, by hand: FUZZ_EXAMPLES=50 (for every role), FUZZ_SEED=1 (another draw than the fixed one).
EXAMPLES = {**dict.fromkeys(ROLE_DEFINITIONS, 4), ANONYMOUS: 2}
if os.environ.get("FUZZ_EXAMPLES"):
    EXAMPLES = dict.fromkeys(ROLES, int(os.environ["FUZZ_EXAMPLES"]))
SEED = int(os.environ["FUZZ_SEED"]) if os.environ.get("FUZZ_SEED") else None
BASE_URL = "http://testserver"  # a host the tests allow (pytest-django's ALLOWED_HOSTS)
# Real values for query parameters of these names, where an operation has them (`scheme`: the
# demo's schemes, read in `real_values`). A page is small: paging is tested in test_api_base.
REAL_QUERY = {
    "division": [DISTRICT_CODE, TOWN_CODE, OTHER_TOWN_CODE, DEMO_VILLAGE_CODE, DEMO_COOPERATIVE_CODE],
    "period": ["2026", "2026-H1", "2026-Q1", "2026-05", "2025"],
}
PAGE_SIZES = [1, 5, 20]
ROWS_PER_LIST = 4  # real path values taken from each list
SENT_EMPTY = ("", [""], [], {}, None)  # query values sent as `?name=`


def rejects_schema_violating_requests(ctx, response, case):
    """schemathesis's negative_data_rejection, but for two leniencies of the query that the schema
    cannot express, where the invalid values alone are the case's negation: a `page_size` that is
    not a positive integer falls back to the default page (docs/api.md; test_api_base's
    test_a_bad_page_size_falls_back_to_the_default), and a parameter sent empty (`?page=`: also an
    empty object or list, which serialize so) is read as absent (DRF's paging and django-filter's
    filters, like an HTML form's empty field)."""
    data = case.meta.phase.data if case.meta is not None else None
    if data is not None and data.parameter_location == ParameterLocation.QUERY:
        negated = {data.parameter} if data.parameter else {getattr(m, "parameter", None) for m in data.mutations}
        query = case.query or {}
        if negated and all(name == "page_size" or query.get(name) in SENT_EMPTY for name in negated):
            return None
    return negative_data_rejection(ctx, response, case)


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    rejects_schema_violating_requests,
]


@pytest.fixture(scope="module")
def nanhai(django_db_setup, django_db_blocker):
    """The whole demo, and a token for each role's demo user."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS),
        transaction.atomic(),
    ):
        call_command("load_demo", force=True, stdout=io.StringIO())
        with connection.cursor() as cursor:  # the load's deferred checks, once
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        users = get_user_model().objects.filter(username__in=ROLE_DEFINITIONS)
        tokens = {user.username: Token.objects.get_or_create(user=user)[0].key for user in users}
        assert set(tokens) == set(ROLE_DEFINITIONS)
        yield tokens
        transaction.set_rollback(True)


@contextmanager
def in_the_tests_connection():
    """A request through the WSGI handler answered in the tests' connection and transaction: like
    Django's test client (which reconnects the signals after each of its own requests), no closing
    of the connection at the request's start and end."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def wsgi_app():
    """Django's WSGI handler; the tracebacks of server errors are kept for the failure messages."""
    tracebacks = []

    def keep(sender, request=None, **kwargs):
        tracebacks.append(traceback.format_exc())

    got_request_exception.connect(keep)
    app = get_wsgi_application()
    app.tracebacks = tracebacks
    try:
        yield app
    finally:
        got_request_exception.disconnect(keep)


@pytest.fixture(scope="module")
def api(nanhai, wsgi_app, django_db_blocker):
    """The schema as /api/schema/ serves it, its cases sent to the WSGI handler."""
    with django_db_blocker.unblock(), in_the_tests_connection():
        api = schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app, base_url=BASE_URL)
    # The role's token is sent with every case: no generated Authorization header or cookie.
    api.config.generation.update(with_security_parameters=False)
    return api


def auth_headers(tokens: dict, who: str) -> dict:
    return {"Authorization": f"Token {tokens[who]}"} if who != ANONYMOUS else {}


@pytest.fixture(scope="module")
def real_values(nanhai, api, wsgi_app, django_db_blocker):
    """For each role, each operation's real path parameters ({label: [{name: value}, ...]}), and
    the demo's schemes."""
    paths = api.raw_schema["paths"]
    client = Client(wsgi_app)
    lists: dict = {}

    def rows(url: str, who: str) -> list:
        if (url, who) not in lists:
            with in_the_tests_connection():
                response = client.get(
                    url, BASE_URL, query_string={"page_size": ROWS_PER_LIST}, headers=auth_headers(nanhai, who)
                )
            body = json.loads(response.get_data()) if response.status_code == 200 else []
            lists[url, who] = (body["results"] if isinstance(body, dict) else body)[:ROWS_PER_LIST]
        return lists[url, who]

    def path_values(template: str, who: str) -> list[dict]:
        """Each parameter's values from the list of its collection (the path up to it), its lookup
        field (`id`, `code`) being the name of the collection's detail parameter."""
        combos = [{}]
        for name in re.findall(r"{(\w+)}", template):
            collection = template[: template.index("{" + name + "}")]
            if "get" not in paths.get(collection, {}):
                return []
            details = [path for path in paths if re.fullmatch(re.escape(collection) + r"{\w+}/", path)]
            field = re.findall(r"{(\w+)}/$", details[0])[0] if details else name
            combos = [
                {**combo, name: row[field]}
                for combo in combos[:3]
                for row in rows(collection.format(**combo), who)
                if isinstance(row, dict) and field in row
            ]
        return combos

    with django_db_blocker.unblock():
        values = {}
        for role in ROLES:
            readers = [ADMIN] if role in (ANONYMOUS, ADMIN) else [role, ADMIN]
            values[role] = {
                f"{method.upper()} {path}": [combo for who in readers for combo in path_values(path, who)]
                for path, item in paths.items()
                for method in item
                if "{" in path
            }
        schemes = [row["id"] for row in rows("/api/v1/schemes/", ADMIN)]
    assert schemes and all(values[role] for role in ROLES)
    return {"path": values, "schemes": schemes}


def cases_for(operation, path_parameters: list[dict], schemes: list[int]):
    """Positive cases on real objects (twice as likely), negative ones on real objects, and, for an
    operation with path parameters, positive ones with generated path parameters."""
    declared = {parameter.name for parameter in operation.query}
    real_query = {**REAL_QUERY, "scheme": schemes}
    query = st.fixed_dictionaries(
        {"page_size": st.sampled_from(PAGE_SIZES)} if "page_size" in declared else {},
        optional={name: st.sampled_from(values) for name, values in real_query.items() if name in declared},
    )
    branches = []
    if path_parameters or not operation.path_parameters:
        reals = st.sampled_from(path_parameters or [{}])
        real = st.tuples(reals, query).flatmap(
            lambda chosen: operation.as_strategy(GenerationMode.POSITIVE, path_parameters=chosen[0], query=chosen[1])
        )
        branches += [real, real]
        if operation.query or operation.body:
            branches.append(
                reals.flatmap(lambda chosen: operation.as_strategy(GenerationMode.NEGATIVE, path_parameters=chosen))
            )
    if operation.path_parameters:
        branches.append(operation.as_strategy(GenerationMode.POSITIVE))
    return st.one_of(branches)


def fuzz(operation, cases, examples: int, headers: dict, wsgi_app, sent: list) -> None:
    """Send `examples` cases of the operation, each in a savepoint rolled back after it; raise the
    (shrunk) failure of the first case whose answer fails a check."""
    label = f"{operation.method.upper()} {operation.path}"

    @settings(
        max_examples=examples,
        derandomize=SEED is None,
        database=None,
        deadline=None,
        # Each case is a request through the whole stack to the demo's database: slower than
        # Hypothesis expects of a test's input.
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(case=cases)
    def answers_as_declared(case):
        sent.append(label)
        del wsgi_app.tracebacks[:]
        with in_the_tests_connection(), transaction.atomic():
            try:
                response = case.call(base_url=BASE_URL, headers=headers)
                try:
                    case.validate_response(response, checks=CHECKS, headers=headers)
                except AssertionError as error:
                    if wsgi_app.tracebacks:
                        error.add_note("".join(wsgi_app.tracebacks))
                    raise
            finally:
                transaction.set_rollback(True)

    if SEED is not None:
        answers_as_declared = seed(SEED)(answers_as_declared)
    answers_as_declared()


@pytest.mark.parametrize("role", ROLES)
def test_every_operation_answers_as_declared_and_never_a_server_error(role, nanhai, api, real_values, wsgi_app, db):
    headers = auth_headers(nanhai, role)
    failures, sent = [], []
    started, cpu_started, db_started = time.monotonic(), time.process_time(), backend_cpu()
    for result in api.get_all_operations():
        operation = result.ok()
        label = f"{operation.method.upper()} {operation.path}"
        cases = cases_for(operation, real_values["path"][role].get(label, []), real_values["schemes"])
        try:
            fuzz(operation, cases, EXAMPLES[role], headers, wsgi_app, sent)
        except (Exception, BaseExceptionGroup) as error:  # every operation's failure, not only the first
            failures.append(f"{role} {label}: {error}"[:3000])
    print(
        f"\n{role}: {len(set(sent))} operations, {len(sent)} requests, {time.monotonic() - started:.1f} s; "
        f"cpu {time.process_time() - cpu_started:.1f} s, database cpu {backend_cpu() - db_started:.1f} s"
    )
    assert failures == [], "\n\n".join(failures)


def backend_cpu() -> float:
    """Seconds of CPU the database's backend process of this connection has used (same machine)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        [pid] = cursor.fetchone()
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
