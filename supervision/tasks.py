"""Celery tasks of the supervision app.

A scoring run fans out one task per chunk (whole towns). Both acknowledge late and are rejected
(redelivered) when their worker is lost: a worker killed mid-chunk leaves the chunk's transaction
rolled back, and the redelivered chunk writes the same rows (services.scoring.score_chunk deletes
and rewrites its own). A chunk that raises is retried CHUNK_RETRIES times, each failure noted on
the run; then the run fails. Without a broker the tasks run eagerly, in-process
(governance.settings).

The daily beat tasks (issue 9): the disclosure reminders and the scoring of the periods that have
just closed (supervision.services.reminders does the work), registered on beat's schedule by
supervision/contributions.py through governance.registry. Each takes the day as an ISO date for a
caller that names it (a test, an operator catching up a missed day); beat sends none, and the day
is then today in the portal's time zone.
"""

from __future__ import annotations

import datetime

from celery.schedules import crontab

from governance import clock
from governance.celery import app
from supervision.choices import CHUNK_RETRIES, ChunkState
from supervision.models import ScoringChunk
from supervision.services import reminders, scoring

# When beat sends the daily tasks, in the portal's time zone (CELERY_TIMEZONE): early, before the
# working day.
REMINDERS_AT = crontab(hour=6, minute=0)
SCORING_AT = crontab(hour=1, minute=30)
# The sweep of runs whose task was lost with the broker (scoring.waiting_runs).
WAITING_RUNS_EVERY = crontab(minute="*/5")


# ignore_result: a run's progress and outcome are rows (ScoringRun, ScoringChunk), never a task's
# return value; writing 1,757 empty results to the backend per province run cost a round trip each.
@app.task(name=scoring.SCORE_RUN_TASK, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def score_run_task(run_id: int) -> None:
    """Send every chunk of the run that is not done yet (a redelivered run sends only those)."""
    chunks = ScoringChunk.objects.filter(run_id=run_id).exclude(state=ChunkState.DONE).values_list("pk", flat=True)
    for chunk in list(chunks):
        score_chunk_task.delay(chunk)


@app.task(bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True, max_retries=CHUNK_RETRIES)
def score_chunk_task(self, chunk_id: int) -> None:
    try:
        scoring.score_chunk(chunk_id)
    except Exception as error:
        final = self.request.retries >= self.max_retries
        scoring.record_chunk_error(chunk_id, error, final=final)
        if final:
            return
        if self.request.is_eager:
            # No broker: the retry runs at once, in-process (Celery's eager retry re-raises).
            score_chunk_task.apply(args=(chunk_id,), retries=self.request.retries + 1)
            return
        raise self.retry(exc=error, countdown=2**self.request.retries) from None


def _day(day: str | None) -> datetime.date:
    return datetime.date.fromisoformat(day) if day else clock.today()


@app.task(name="supervision.send_disclosure_reminders", acks_late=True, reject_on_worker_lost=True)
def send_disclosure_reminders(day: str | None = None) -> int:
    return reminders.send_disclosure_reminders(_day(day))


@app.task(name="supervision.score_closing_periods", acks_late=True, reject_on_worker_lost=True)
def score_closing_periods(day: str | None = None) -> list[int]:
    return [run.pk for run in reminders.score_closing_periods(_day(day))]


@app.task(name="supervision.send_waiting_runs", ignore_result=True)
def send_waiting_runs_task() -> int:
    """Send again the runs whose task never reached a worker (the broker was lost between their
    commit and their send); how many."""
    from django.utils import timezone

    runs = scoring.waiting_runs(timezone.now())
    for run_id in runs:
        score_run_task.delay(run_id)
    return len(runs)
