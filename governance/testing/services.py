"""Tests that need a real service (Chromium, the Redis broker, a Celery worker): they skip where
it is missing, except in CI (CI=true), where a missing service fails the run instead."""

from __future__ import annotations

import os

import pytest

RUNNING_IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require_service(reason: str) -> None:
    """Skip a test whose service is missing, except in CI, where a missing service fails it."""
    if RUNNING_IN_CI:
        pytest.fail(f"CI=true and {reason}")
    pytest.skip(reason)
