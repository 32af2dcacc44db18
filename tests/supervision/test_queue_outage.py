"""The broker (Redis) out of reach (issue 19 point 3): starting a scoring run says the task queue is
unavailable — a 503 in Chinese from the API, a message on the page — and writes nothing; reading
pages and the API goes on; a run whose task was lost between its commit and its send is sent again
by the sweep once the broker is back. The fault is real: the broker's address is a port where
nothing listens, as when Redis is down."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.celery import app
from governance.testing import world as w
from governance.testing.api import client_as
from governance.testing.pages import signed_in_client
from supervision.choices import RunState
from supervision.models import ScoringRun
from supervision.services import scoring
from supervision.tasks import send_waiting_runs_task
from supervision.testing.factories import enter, scheme

pytestmark = pytest.mark.django_db

# Nothing listens on port 1 of this machine: connecting is refused at once, as with Redis down.
DOWN_BROKER = "redis://127.0.0.1:1/0"


@pytest.fixture
def broker_down():
    """The Celery app configured for a real broker (not eager) whose server is down. Only the
    configuration changes: the check opens a connection of its own from it, and nothing is sent
    (the producer pool, shared with the other tests, is left alone)."""
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=DOWN_BROKER, task_always_eager=False)
    yield
    app.conf.update(saved)


@pytest.fixture
def town_scheme(world):
    made = scheme(w.TOWN)
    enter(made, w.VILLAGE, "work", 80)
    return made


def test_starting_a_run_with_the_queue_down_is_a_503_that_writes_nothing(broker_down, town_scheme):
    response = client_as("town_official").post(reverse("api:scheme-runs", args=[town_scheme.pk]))

    assert response.status_code == 503
    assert response.json() == {"detail": "任务队列暂时不可用，未做任何更改，请稍后重试。"}
    assert not ScoringRun.objects.filter(scheme=town_scheme).exists()


def test_the_page_says_the_queue_is_unavailable_and_starts_nothing(broker_down, town_scheme, world):
    client = signed_in_client(world.user("town_official"))

    response = client.post(reverse("supervision:run_start", args=[town_scheme.pk]), follow=True)

    assert response.status_code == 200
    assert "任务队列暂时不可用，未开始计算，请稍后重试。" in response.content.decode()
    assert not ScoringRun.objects.filter(scheme=town_scheme).exists()


def test_pages_and_the_api_keep_serving_reads_with_the_queue_down(broker_down, town_scheme, world):
    assert client_as("town_official").get(reverse("api:scheme-detail", args=[town_scheme.pk])).status_code == 200
    assert signed_in_client(world.user("town_official")).get(reverse("home")).status_code == 200


def test_a_run_whose_task_was_lost_is_sent_again_by_the_sweep_once_the_broker_is_back(
    town_scheme, world, django_capture_on_commit_callbacks
):
    lost = scoring.request_run(town_scheme, acting_user=world.user("town_official"), dispatch=False)
    ScoringRun.objects.filter(pk=lost.pk).update(requested_at=timezone.now() - datetime.timedelta(minutes=6))
    just_asked = scoring.request_run(town_scheme, acting_user=world.user("town_official"), dispatch=False)

    sent = send_waiting_runs_task()

    assert sent == 1
    lost.refresh_from_db()
    just_asked.refresh_from_db()
    assert lost.state == RunState.DONE
    assert just_asked.state == RunState.QUEUED
