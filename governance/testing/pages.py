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
