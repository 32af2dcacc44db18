"""The sign-in lockout (django-axes) and the eligibility question's throttle hold under load
(issue 19, point 6): many attempts at once, from threads against the live server (each request in
its own server thread, its own database connection), let no more through than the limit allows,
and lock or throttle the one who was hammering, never someone else. Against gunicorn with two
worker processes too (Redis holding the throttle's counts, the database axes' failures): one count
for all workers. With Redis unreachable the question is still throttled (per process), never a
500."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.cache import cache
from rest_framework.authtoken.models import Token

from covenants.api.views import EligibilityThrottle
from governance.testing.factories import TEST_PASSWORD, UserFactory
from governance.testing.schema import SchemaCheckedAPIClient
from governance.testing.services import require_service
from tests.governance.test_celery_worker import PROJECT_ROOT, _database_url_of_this_test_database

pytestmark = pytest.mark.django_db(transaction=True)

ATTEMPTS = 40
THREADS = 20


def post(url: str, body: dict, token: str | None = None) -> int:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", **({"Authorization": f"Token {token}"} if token else {})},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def at_once(calls) -> list[int]:
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        return list(pool.map(lambda call: call(), calls))


@pytest.fixture(autouse=True)
def fresh_counters(settings, request):
    """The throttle's counts in a cache of this test's own (the user ids of a flushed database come
    again)."""
    settings.CACHES = {
        **settings.CACHES,
        "throttle": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": request.node.nodeid},
    }
    cache.clear()
    yield
    cache.clear()


def questioners(*names: str) -> list[str]:
    return [Token.objects.create(user=UserFactory(username=name)).key for name in names]


def test_many_wrong_passwords_at_once_get_no_more_than_the_failure_limit_checked_and_lock_only_that_user(
    live_server,
):
    UserFactory(username="hammered")
    UserFactory(username="bystander")
    token_url = live_server.url + "/api/v1/auth/token/"
    limit = settings.AXES_FAILURE_LIMIT

    statuses = at_once([lambda: post(token_url, {"username": "hammered", "password": "wrong"})] * ATTEMPTS)

    # 400: the password was checked and was wrong; 429: refused by the lockout, unchecked.
    assert set(statuses) <= {400, 429}
    assert statuses.count(400) <= limit
    assert statuses.count(429) >= ATTEMPTS - limit
    attempt = AccessAttempt.objects.get(username="hammered")
    assert attempt.failures_since_start >= limit
    # Locked: the right password no longer helps, for the token and for the sign-in form.
    assert post(token_url, {"username": "hammered", "password": TEST_PASSWORD}) == 429
    # Someone else, from the same address, signs in.
    assert post(token_url, {"username": "bystander", "password": TEST_PASSWORD}) == 200
    assert not AccessAttempt.objects.filter(username="bystander").exists()


def test_wrong_passwords_for_many_users_at_once_lock_each_at_its_own_limit(live_server):
    names = [f"user{number}" for number in range(4)]
    for name in names:
        UserFactory(username=name)
    token_url = live_server.url + "/api/v1/auth/token/"
    limit = settings.AXES_FAILURE_LIMIT

    calls = [
        (lambda name=name: (name, post(token_url, {"username": name, "password": "wrong"})))
        for _ in range(limit + 5)
        for name in names
    ]
    answers = at_once(calls)

    for name in names:
        statuses = [status for who, status in answers if who == name]
        assert statuses.count(400) <= limit, name
        assert statuses.count(429) >= 5, name
        assert post(token_url, {"username": name, "password": TEST_PASSWORD}) == 429


def test_many_eligibility_questions_at_once_get_no_more_answers_than_the_rate_and_throttle_only_that_user(
    live_server, monkeypatch
):
    rate = 5
    monkeypatch.setattr(EligibilityThrottle, "THROTTLE_RATES", {"eligibility": f"{rate}/min"})
    asking_token, other_token = questioners("asking", "other")
    url = live_server.url + "/api/v1/eligibility/"
    # A malformed ID number: answered (400) once past the throttle, which is checked first.
    question = {"id_number": "123", "action": "election", "on": "2026-01-05"}

    statuses = at_once([lambda: post(url, question, asking_token)] * ATTEMPTS)

    assert set(statuses) <= {400, 429}
    assert statuses.count(400) <= rate
    assert statuses.count(429) >= ATTEMPTS - rate
    assert post(url, question, asking_token) == 429
    assert post(url, question, other_token) == 400


def test_with_redis_unreachable_the_question_is_still_throttled_in_the_process_never_a_500(settings, monkeypatch):
    rate = 3
    monkeypatch.setattr(EligibilityThrottle, "THROTTLE_RATES", {"eligibility": f"{rate}/min"})
    settings.CACHES = {
        **settings.CACHES,
        "throttle": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        },
    }
    (token,) = questioners("asking_without_redis")
    client = SchemaCheckedAPIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    question = {"id_number": "123", "action": "election", "on": "2026-01-05"}

    statuses = [client.post("/api/v1/eligibility/", question).status_code for _ in range(rate + 2)]

    assert statuses == [400] * rate + [429, 429]


# --- against gunicorn: two worker processes ------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_url():
    if not settings.REDIS_URL:
        require_service("REDIS_URL is not set: no shared cache for the throttle's counts")
    import redis

    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=3).ping()
    except redis.RedisError as error:
        require_service(f"Redis at {settings.REDIS_URL} does not answer: {error}")
    return settings.REDIS_URL


@pytest.fixture
def gunicorn(redis_url, transactional_db):
    """The portal under gunicorn with two workers on this test database (committed rows only),
    the eligibility rate 5/min, Redis for the throttle's counts (a key prefix of this run's)."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": _database_url_of_this_test_database(),
        "REDIS_URL": redis_url,
        "ELIGIBILITY_RATE": "5/min",
        "THROTTLE_KEY_PREFIX": f"test-{port}-{time.time_ns()}",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "governance.wsgi:application",
            "--workers",
            "2",
            "--threads",
            "4",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(url + "/accounts/login/", timeout=30)
                break
            except OSError:  # refused while starting, or a first answer slower than the timeout
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"gunicorn did not start: {server.communicate()[0]}")
                time.sleep(0.3)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.services
def test_under_gunicorn_with_two_workers_the_lockout_and_the_rate_are_one_count_for_all_workers(gunicorn, settings):
    from django.conf import global_settings

    # Passwords gunicorn's settings can check (the tests' fast hasher is not among them).
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    UserFactory(username="hammered")
    UserFactory(username="bystander")
    asking_token, other_token = questioners("asking", "other")
    limit, rate = settings.AXES_FAILURE_LIMIT, 5
    question = {"id_number": "123", "action": "election", "on": "2026-01-05"}

    sign_ins = at_once(
        [lambda: post(gunicorn + "/api/v1/auth/token/", {"username": "hammered", "password": "x"})] * ATTEMPTS
    )
    questions = at_once([lambda: post(gunicorn + "/api/v1/eligibility/", question, asking_token)] * ATTEMPTS)

    assert set(sign_ins) <= {400, 429} and sign_ins.count(400) <= limit
    assert post(gunicorn + "/api/v1/auth/token/", {"username": "hammered", "password": TEST_PASSWORD}) == 429
    assert post(gunicorn + "/api/v1/auth/token/", {"username": "bystander", "password": TEST_PASSWORD}) == 200
    assert set(questions) <= {400, 429} and questions.count(400) <= rate
    assert questions.count(400) == rate  # every worker answered until the shared count was reached
    assert post(gunicorn + "/api/v1/eligibility/", question, other_token) == 400
