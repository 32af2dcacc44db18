"""Celery tasks of the villages app: set-based, idempotent, safe to re-run."""

from celery import shared_task

from villages.reports import division_rollup


@shared_task(name="villages.division_rollup")
def division_rollup_task(code: str) -> dict[str, dict[str, int]]:
    """The roll-up of a division's subtree (see villages.reports.division_rollup), as JSON."""
    return division_rollup(code)
