"""One Celery round trip through a real worker process on the real Redis broker."""

import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from governance.testing import world as w
from tests.conftest import require_service
from villages.models import Division
from villages.tasks import division_rollup_task

PROJECT_ROOT = Path(__file__).resolve().parents[2]
WORKER_TIMEOUT_SECONDS = 90


def _database_url_of_this_test_database() -> str:
    db = connection.settings_dict
    host = quote(db["HOST"] or "", safe="")
    port = f":{db['PORT']}" if db.get("PORT") else ""
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{host}{port}/{db['NAME']}"


@pytest.fixture
def redis_broker():
    if not settings.REDIS_URL:
        require_service("REDIS_URL is not set: no broker for the worker round trip")
    import redis

    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=3).ping()
    except redis.RedisError as error:
        require_service(f"Redis at {settings.REDIS_URL} does not answer: {error}")
    return settings.REDIS_URL


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_worker_process_computes_a_rollup_sent_through_redis(redis_broker, world_builder):
    """The worker reads the same (committed) test database and answers through the result backend."""
    from governance.celery import app

    world_builder()  # committed: the shared `world` fixture lives in a transaction the worker cannot see

    queue = f"roundtrip-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DATABASE_URL": _database_url_of_this_test_database(), "REDIS_URL": redis_broker}
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "governance",
            "worker",
            "--pool=solo",
            "--queues",
            queue,
            "--loglevel=warning",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    app.conf.task_always_eager = False
    try:
        result = division_rollup_task.apply_async(args=[w.DISTRICT], queue=queue)
        answer = result.get(timeout=WORKER_TIMEOUT_SECONDS)
    finally:
        worker.terminate()
        try:
            output, _ = worker.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            output, _ = worker.communicate()
    assert answer == Division.objects.rollup(w.DISTRICT), output
    assert answer[w.TOWN]["village"] == 2
