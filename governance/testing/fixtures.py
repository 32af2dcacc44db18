"""The shared pytest fixtures of the test world, defined once (tests/conftest.py imports them).

- `world_builder` (session) is not defined here: the app that defines the hierarchy provides it
  (tests/conftest.py: villages.testing.world.build_world), a callable that builds
  governance.testing.world's world and returns its World.
- `world_once` (module): the world built once per test module, inside a transaction that is
  rolled back when the module is done.
- `world` (function): that world, its users read afresh for every test (no grants cached), each
  test in its own savepoint on top (pytest-django's `db`). Tests whose data must be committed
  (`django_db(transaction=True)`: a worker process, a live server) call `world_builder()`
  themselves instead.

Also here: `data_for_a_whole_scope`, for any class- or module-scoped fixture that writes data
once (the API and page test bases use it).
"""

from contextlib import contextmanager

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import override_settings

from governance.testing.world import ROLE_HOME, World

# Password hashing is deliberately slow; tests sign in with a fast hasher (MD5 is fine here).
FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

OUTSIDER = "outsider"  # signed in, no assignment (build_world's world.outsider)


@contextmanager
def data_for_a_whole_scope(django_db_blocker):
    """Write data once for a class or module of tests: it lives in a transaction that is rolled
    back when the scope ends, and each test runs in a savepoint on top of it (pytest-django's
    `db`), so what a test writes is gone before the next one."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS), transaction.atomic():
        try:
            yield
        finally:
            transaction.set_rollback(True)


@pytest.fixture(scope="module")
def world_once(django_db_setup, django_db_blocker, world_builder):
    with data_for_a_whole_scope(django_db_blocker):
        yield world_builder()


@pytest.fixture
def world(request, world_once, db):
    """build_world()'s world, built once per module; every test gets its users read afresh."""
    marker = request.node.get_closest_marker("django_db")
    if (marker and marker.kwargs.get("transaction")) or "transactional_db" in request.fixturenames:
        pytest.fail("`world` lives in a rolled-back transaction: a transactional test calls world_builder()")
    users = {user.username: user for user in get_user_model().objects.filter(username__in=[*ROLE_HOME, OUTSIDER])}
    return World(users={role: users[role] for role in ROLE_HOME}, outsider=users[OUTSIDER])


@contextmanager
def demo_with_only(step: str, django_db_blocker):
    """The Nanhai demo (manage.py load_demo: the hierarchy's load) with only the app's demo step
    `step` of registry.demo_steps (the other apps' steps have their own tests), inside a
    transaction rolled back at the end: for a module-scoped fixture of an app's demo tests. Gives
    what the command printed."""
    import io

    from django.core.management import call_command
    from django.db import connection

    from governance.registry import registry

    steps = dict(registry.demo_steps)
    registry.demo_steps.clear()
    registry.demo_steps[step] = steps[step]
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            out = io.StringIO()
            call_command("load_demo", force=True, stdout=out)
            with connection.cursor() as cursor:  # run the load's deferred checks once
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            yield out.getvalue()
            transaction.set_rollback(True)
    finally:
        registry.demo_steps.clear()
        registry.demo_steps.update(steps)
