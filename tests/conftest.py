"""Shared fixtures. Tests run against real PostgreSQL: embedded, or DATABASE_URL's server."""

import os

import pytest
from rest_framework.test import APIClient

from governance.testing.world import build_world

RUNNING_IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require_service(reason: str) -> None:
    """Skip a test whose service is missing, except in CI, where a missing service fails it."""
    if RUNNING_IN_CI:
        pytest.fail(f"CI=true and {reason}")
    pytest.skip(reason)


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def client_for(db):
    """A function giving an API client signed in as a user (by force_authenticate)."""

    def make(user):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return make
