"""The sign-in lockout (django-axes) and the eligibility question's throttle hold under load
(issue 19, point 6): many attempts at once, from threads against the live server (each request in
its own server thread, its own database connection), let no more through than the limit allows,
and lock or throttle the one who was hammering, never someone else."""

import json
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
def fresh_counters():
    cache.clear()
    yield
    cache.clear()


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
    asking, other = UserFactory(username="asking"), UserFactory(username="other")
    asking_token, other_token = Token.objects.create(user=asking).key, Token.objects.create(user=other).key
    url = live_server.url + "/api/v1/eligibility/"
    # A malformed ID number: answered (400) once past the throttle, which is checked first.
    question = {"id_number": "123", "action": "election", "on": "2026-01-05"}

    statuses = at_once([lambda: post(url, question, asking_token)] * ATTEMPTS)

    assert set(statuses) <= {400, 429}
    assert statuses.count(400) <= rate
    assert statuses.count(429) >= ATTEMPTS - rate
    assert post(url, question, asking_token) == 429
    assert post(url, question, other_token) == 400
