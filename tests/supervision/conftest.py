"""Fixtures the supervision tests share: the demo, loaded once per module that asks for it."""

import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from governance.registry import registry


@pytest.fixture(scope="module")
def loaded_demo(django_db_setup, django_db_blocker):
    """villages' load and this app's step only (the other apps' steps have their own tests), in a
    transaction rolled back when the module is done."""
    steps = dict(registry.demo_steps)
    registry.demo_steps.clear()
    registry.demo_steps["supervision"] = steps["supervision"]
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


@pytest.fixture
def demo(loaded_demo, db):
    return loaded_demo
