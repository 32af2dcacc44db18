"""The Celery app. REDIS_URL selects the broker; without it, tasks run eagerly in-process.

Beat's schedule is settings.CELERY_BEAT_SCHEDULE and every app's entries in
governance.registry.beat_schedule (registered in the apps' ready()), read when beat reads it:
by then Django is set up (Celery's Django fixup runs django.setup() as beat loads its modules).
"""

import os
from collections.abc import Iterator, Mapping

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "governance.settings")


class BeatSchedule(Mapping):
    """The portal's beat schedule: the settings' entries, then the apps' (an app's wins on a name)."""

    def _merged(self) -> dict:
        from django.conf import settings

        from governance.registry import registry

        return {**getattr(settings, "CELERY_BEAT_SCHEDULE", {}), **registry.beat_schedule}

    def __getitem__(self, name: str) -> dict:
        return self._merged()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._merged())

    def __len__(self) -> int:
        return len(self._merged())


app = Celery("governance")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.beat_schedule = BeatSchedule()
app.autodiscover_tasks()


class QueueUnavailable(Exception):
    """The broker (Redis) cannot be reached: work that must be queued is refused before anything
    is written, and the caller is told to retry (503 in the API, a message on a page)."""


# How long a request waits for the broker before it says the queue is unavailable.
BROKER_CHECK_SECONDS = 2


def require_queue() -> None:
    """Raise QueueUnavailable unless tasks can be sent now: always when they run eagerly
    (no broker configured), else when the broker accepts a connection within BROKER_CHECK_SECONDS."""
    from kombu.exceptions import OperationalError

    if app.conf.task_always_eager:
        return
    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=BROKER_CHECK_SECONDS)
    except OperationalError as error:
        raise QueueUnavailable(str(error)) from error


def send_after_commit(signature) -> None:
    """Send a task once the transaction commits; a broker lost in between is logged, not raised
    (the caller's records are committed and a periodic sweep sends their work again)."""
    import logging

    from django.db import transaction
    from kombu.exceptions import OperationalError

    def send() -> None:
        try:
            signature.delay()
        except OperationalError:
            logging.getLogger(__name__).warning("broker unreachable: %s not sent, left for the sweep", signature.task)

    transaction.on_commit(send)
