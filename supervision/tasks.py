"""Celery tasks of the supervision app: a scoring run fans out one task per chunk (whole towns).

Both tasks acknowledge late and are rejected (redelivered) when their worker is lost: a worker
killed mid-chunk leaves the chunk's transaction rolled back, and the redelivered chunk writes the
same rows (services.score_chunk deletes and rewrites its own). A chunk that raises is retried
CHUNK_RETRIES times, each failure noted on the run; then the run fails. Without a broker the
tasks run eagerly, in-process (governance.settings).
"""

from __future__ import annotations

import supervision.reminder_tasks  # noqa: F401 (the daily beat tasks: autodiscovery reads this module)
from governance.celery import app
from supervision import services
from supervision.choices import CHUNK_RETRIES, ChunkState
from supervision.models import ScoringChunk


# ignore_result: a run's progress and outcome are rows (ScoringRun, ScoringChunk), never a task's
# return value; writing 1,757 empty results to the backend per province run cost a round trip each.
@app.task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def score_run_task(run_id: int) -> None:
    """Send every chunk of the run that is not done yet (a redelivered run sends only those)."""
    chunks = ScoringChunk.objects.filter(run_id=run_id).exclude(state=ChunkState.DONE).values_list("pk", flat=True)
    for chunk in list(chunks):
        score_chunk_task.delay(chunk)


@app.task(bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True, max_retries=CHUNK_RETRIES)
def score_chunk_task(self, chunk_id: int) -> None:
    try:
        services.score_chunk(chunk_id)
    except Exception as error:
        final = self.request.retries >= self.max_retries
        services.record_chunk_error(chunk_id, error, final=final)
        if final:
            return
        if self.request.is_eager:
            # No broker: the retry runs at once, in-process (Celery's eager retry re-raises).
            score_chunk_task.apply(args=(chunk_id,), retries=self.request.retries + 1)
            return
        raise self.retry(exc=error, countdown=2**self.request.retries) from None
