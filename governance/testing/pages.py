"""Helpers for tests of the browser pages."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def signed_in_client(user) -> Client:
    """A browser session signed in as `user` (anonymous for None)."""
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def queries_for(client: Client, url: str) -> int:
    """The number of SQL queries a GET of `url` costs; the page must answer 200."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(captured.captured_queries)


def expected_status(role: str, allowed: set[str], viewers: set[str]) -> int:
    """What a page on a record inside every role's jurisdiction answers `role`: 200 when the
    role may do what the page does, 403 when it only sees the record, 404 when it does not."""
    if role in allowed:
        return 200
    return 403 if role in viewers else 404
