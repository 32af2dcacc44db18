"""A database out of reach mid-request (restarted, failed over) answers 503 with a message in Chinese
— JSON for the API, a page for the browser — never the 500 trace, and the next request is served
again without restarting the portal (issue 19 point 3). The fault is real: the request's own
PostgreSQL connection is terminated by the server (pg_terminate_backend) before the request runs."""

import psycopg2
import pytest
from django.db import close_old_connections, connection
from django.test import Client

pytestmark = pytest.mark.django_db(transaction=True)


def terminate_the_portals_connection() -> None:
    """Ask the server to end the portal's open connection, as a restart of PostgreSQL does."""
    connection.ensure_connection()
    pid = connection.connection.get_backend_pid()
    settings = connection.settings_dict
    killer = psycopg2.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        password=settings["PASSWORD"],
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
    )
    try:
        killer.autocommit = True
        with killer.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        killer.close()


@pytest.fixture
def signed_in(django_user_model):
    user = django_user_model.objects.create_user("outage_reader", password="x")
    # The test client re-raises a view's exception by default: a real browser gets the response.
    client = Client(raise_request_exception=False)
    client.force_login(user)
    yield client
    connection.close()


def test_an_api_request_during_a_database_outage_is_a_503_in_json_that_says_to_retry(signed_in):
    terminate_the_portals_connection()

    response = signed_in.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "数据库暂时不可用，请稍后重试。"}
    assert response["Retry-After"] == "5"


def test_a_page_during_a_database_outage_is_a_503_page_in_chinese_without_a_trace(signed_in):
    terminate_the_portals_connection()

    response = signed_in.get("/")

    assert response.status_code == 503
    text = response.content.decode()
    assert "服务暂时不可用" in text and "数据库暂时不可用，请稍后重试。" in text
    assert "Traceback" not in text and "OperationalError" not in text


def test_the_portal_serves_again_by_itself_after_the_outage(signed_in):
    terminate_the_portals_connection()
    assert signed_in.get("/api/v1/me/").status_code == 503

    # What Django does at the start of every request (the test client leaves it out): the
    # health check finds the broken connection and drops it, the request opens a new one.
    close_old_connections()

    assert signed_in.get("/api/v1/me/").status_code == 200


def test_any_other_uncaught_error_is_still_the_portals_500_page(signed_in, settings):
    settings.ROOT_URLCONF = "tests.governance.failing_urls"

    response = signed_in.get("/fails/")

    assert response.status_code == 500
    assert "服务器错误" in response.content.decode()


def test_the_outage_is_logged_in_a_line_without_a_trace(signed_in, caplog):
    terminate_the_portals_connection()

    with caplog.at_level("INFO", logger="django.request"):
        assert signed_in.get("/api/v1/me/").status_code == 503

    (record,) = [record for record in caplog.records if record.name == "django.request"]
    assert record.levelname == "WARNING" and record.exc_info is None
    assert record.getMessage().startswith("Service Unavailable: /api/v1/me/ (database unavailable: ")
