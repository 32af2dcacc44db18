"""Scoring runs through a real Celery worker process on the real Redis broker (as
tests/governance/test_celery_worker.py does for a roll-up): the worker's run stores the eager
run's results, and a worker killed while a chunk runs leaves nothing behind that a new worker
does not finish, with no result written twice.

The broker is Redis database SCORING_REDIS_DB of REDIS_URL's server, the tests' own (the other
worker test uses REDIS_URL's database), flushed before each test. The worker is started through
WORKER_COMMAND with a short visibility timeout: an unacknowledged message (the killed worker's
chunk) goes back to the queue after that many seconds instead of Redis's default hour. That is
test configuration of the broker transport, not of the app. The towns are not the shared
world's, so each holds exactly the villages a test makes; dates are fixed (period 2025)."""

import datetime
import os
import signal
import subprocess
import sys
import time
from urllib.parse import urlparse, urlunparse

import psycopg2
import pytest
from django.conf import settings
from django.db import connection

from supervision.choices import ENTERED, ChunkState, RunState
from supervision.models import DisclosureItem, Result, ScoringChunk, ScoringRun
from supervision.services import scoring as services
from supervision.tasks import score_run_task
from supervision.testing.factories import enter, scheme
from tests.conftest import require_service
from tests.governance.test_celery_worker import PROJECT_ROOT, _database_url_of_this_test_database
from villages.testing.factories import division

SCORING_REDIS_DB = 13
WORKER_TIMEOUT_SECONDS = 45
VISIBILITY_TIMEOUT_SECONDS = 2
WORKER_COMMAND = [
    sys.executable,
    "-c",
    "import sys; from governance.celery import app; "
    f"app.conf.broker_transport_options = {{'visibility_timeout': {VISIBILITY_TIMEOUT_SECONDS}, "
    "'unacked_restore_interval': 1, 'unacked_restore_throttle': 1}; app.worker_main(sys.argv[1:])",
    "worker",
    "--pool=solo",
    "--loglevel=warning",
    "--without-gossip",
    "--without-mingle",
    "--without-heartbeat",
]

DISTRICT = "440605"
TOWN = "440605125"
SECOND_TOWN = "440605126"
TODAY = datetime.date(2026, 3, 1)


@pytest.fixture
def scoring_broker():
    """REDIS_URL's server, database SCORING_REDIS_DB (another one if REDIS_URL names that one), flushed."""
    if not settings.REDIS_URL:
        require_service("REDIS_URL is not set: no broker for the scoring worker")
    import redis

    parts = urlparse(settings.REDIS_URL)
    own = SCORING_REDIS_DB if parts.path.strip("/") != str(SCORING_REDIS_DB) else SCORING_REDIS_DB - 1
    url = urlunparse(parts._replace(path=f"/{own}"))
    try:
        redis.Redis.from_url(url, socket_connect_timeout=3).flushdb()
    except redis.RedisError as error:
        require_service(f"Redis at {url} does not answer: {error}")
    return url


def start_worker(broker: str) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": _database_url_of_this_test_database(), "REDIS_URL": broker}
    return subprocess.Popen(
        WORKER_COMMAND, cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def stop(worker: subprocess.Popen) -> str:
    if worker.poll() is None:
        worker.terminate()
    try:
        output, _ = worker.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()
        output, _ = worker.communicate()
    return output or ""


def send_to_worker(run: ScoringRun, broker: str) -> None:
    """What request_run's on_commit does, on the tests' own broker: the run's task, to the worker."""
    from governance.celery import app

    app.conf.task_always_eager = False  # the autouse eager fixture puts it back
    with app.connection_for_write(broker) as broker_connection:
        score_run_task.apply_async(args=[run.pk], connection=broker_connection, ignore_result=True)


def wait_until(condition, worker: subprocess.Popen | None, what: str, run: ScoringRun):
    """Poll `condition` until it holds; fail if it does not in time or if `worker` (if any) exits."""
    deadline = time.monotonic() + WORKER_TIMEOUT_SECONDS
    while not (value := condition()):
        if (worker is not None and worker.poll() is not None) or time.monotonic() > deadline:
            chunks = list(run.chunks.values_list("first_town_id", "last_town_id", "state", "attempts"))
            pytest.fail(f"{what}: not within {WORKER_TIMEOUT_SECONDS} s; chunks {chunks}\n{worker and stop(worker)}")
        time.sleep(0.1)
    return value


def finished(run: ScoringRun):
    run.refresh_from_db()
    return run.state in (RunState.DONE, RunState.FAILED)


def results_of(run: ScoringRun) -> dict:
    return {
        row.unit_id: (row.town_id, row.total, row.grade, row.rank, row.scores, row.missing)
        for row in Result.objects.filter(run=run)
    }


def two_towns_scored(admin):
    """A scheme of the district (the world's villages and two towns' of its own): an entered
    indicator (one score missing) and a computed one (a quarterly item never filed scores 0)."""
    villages = [division(f"{town}{n:03d}").code for town in (TOWN, SECOND_TOWN) for n in range(1, 6)]
    made = scheme(
        DISTRICT,
        indicators=(("work", 70, ENTERED), ("disclosures_on_time", 30, "disclosures_on_time")),
        excellent_share=20,
        created_by=admin,
    )
    for index, unit in enumerate(villages[:-1]):
        enter(made, unit, "work", 60 + 4 * index)
    DisclosureItem.objects.create(
        division_id=villages[0], title="村务事项", cadence="quarterly", since=datetime.date(2025, 1, 1)
    )
    return made, villages


def eager_results(made, admin) -> dict:
    """The run without a broker: its tasks in-process, as the other scoring tests run it."""
    run = services.request_run(made, acting_user=admin, today=TODAY)  # autocommit: on_commit runs at once
    run.refresh_from_db()
    assert run.state == RunState.DONE, run.errors
    return results_of(run)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_run_through_a_worker_process_stores_the_results_of_the_eager_run(scoring_broker, world_builder):
    admin = world_builder().user("district_admin")  # committed: the worker reads the same database
    made, villages = two_towns_scored(admin)
    eager = eager_results(made, admin)

    run = services.request_run(made, acting_user=admin, today=TODAY, dispatch=False)
    worker = start_worker(scoring_broker)
    try:
        send_to_worker(run, scoring_broker)
        wait_until(lambda: finished(run), worker, "the run through the worker", run)
    finally:
        output = stop(worker)

    assert run.state == RunState.DONE, (run.errors, output)
    assert results_of(run) == eager, output
    assert set(villages) <= set(eager)
    made.refresh_from_db()
    assert made.scored_run_id == run.pk
    assert set(run.chunks.values_list("state", "attempts")) == {(ChunkState.DONE, 1)}


def blocked_by(lock_holder) -> list[int]:
    """The backends waiting for a lock the connection `lock_holder` holds (asked on another
    connection: pg_stat_activity is a snapshot for the rest of the transaction that reads it)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE %s = ANY(pg_blocking_pids(pid)) ORDER BY pid",
            [lock_holder.info.backend_pid],
        )
        return [pid for (pid,) in cursor.fetchall()]


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_while_a_chunk_runs_leaves_the_run_to_a_new_worker_without_a_result_written_twice(
    scoring_broker, world_builder, settings
):
    """The second town's chunk (the last: chunks are sent in town order, and the solo worker runs
    them one by one) is held while it writes its results: its INSERT waits at the (run, unit)
    unique index for a result of the town's last village that the test has inserted on another
    connection and not committed. The worker is then SIGKILLed; its database session, which
    PostgreSQL would end when it next spoke to the dead client, is ended the same way
    (pg_terminate_backend), so the chunk's transaction is rolled back before the test's own
    (with its row) is."""
    settings.SCORING_CHUNK_UNITS = 1  # a chunk per town: the second town's is the last
    admin = world_builder().user("district_admin")
    made, villages = two_towns_scored(admin)
    eager = eager_results(made, admin)
    run = services.request_run(made, acting_user=admin, today=TODAY, dispatch=False)
    assert run.chunks.filter(first_town=SECOND_TOWN, last_town=SECOND_TOWN).exists()

    lock_holder = psycopg2.connect(_database_url_of_this_test_database())
    with lock_holder.cursor() as cursor:
        cursor.execute(
            "INSERT INTO supervision_result (run_id, unit_id, town_id, total, grade, rank, scores, missing)"
            " VALUES (%s, %s, %s, 0, 'fail', 1, '{}', '[]')",
            [run.pk, villages[-1], SECOND_TOWN],
        )
    first = start_worker(scoring_broker)
    try:
        send_to_worker(run, scoring_broker)
        (held,) = wait_until(
            lambda: blocked_by(lock_holder), first, "the second town's chunk waiting at the unique index", run
        )
        assert ScoringChunk.objects.get(run=run, first_town_id=TOWN).state == ChunkState.DONE
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [held])
        wait_until(lambda: not blocked_by(lock_holder), None, "the killed worker's session ending", run)
    finally:
        lock_holder.rollback()
        lock_holder.close()
        first_output = stop(first)

    run.refresh_from_db()
    assert run.state == RunState.RUNNING, first_output
    # The other towns' chunks committed; none of the second town's results.
    assert set(results_of(run)) == {unit for unit, row in eager.items() if row[0] != SECOND_TOWN}
    assert dict(run.chunks.values_list("first_town_id", "state"))[SECOND_TOWN] == ChunkState.QUEUED

    second = start_worker(scoring_broker)
    try:
        wait_until(lambda: finished(run), second, "the new worker finishing the run", run)
    finally:
        output = stop(second)

    assert run.state == RunState.DONE, (run.errors, output)
    assert results_of(run) == eager, output
    # Every chunk tried once: the killed attempt was rolled back with its count.
    assert set(run.chunks.values_list("state", "attempts")) == {(ChunkState.DONE, 1)}
    # No result written twice: one insert event per unit of the run, the killed attempt's gone with it.
    inserts = Result.pgh_event_model.objects.filter(run_id=run.pk, pgh_label="insert")
    assert sorted(inserts.values_list("unit_id", flat=True)) == sorted(eager)
    assert run.errors == []
