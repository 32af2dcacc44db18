"""Fixtures the supervision tests share: the demo, loaded once per module that asks for it."""

import pytest

from governance.testing.fixtures import demo_with_only


@pytest.fixture(scope="module")
def loaded_demo(django_db_setup, django_db_blocker):
    """villages' load and this app's step only, rolled back when the module is done."""
    with demo_with_only("supervision", django_db_blocker) as printed:
        yield printed


@pytest.fixture
def demo(loaded_demo, db):
    return loaded_demo
