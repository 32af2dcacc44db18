"""Celery tasks of the villages app: set-based, idempotent, safe to re-run."""

from celery import shared_task

from villages.models import Division


@shared_task(name="villages.division_rollup")
def division_rollup_task(code: str) -> dict[str, dict[str, int]]:
    """The roll-up of a division's subtree (DivisionQuerySet.rollup), as JSON."""
    return Division.objects.rollup(code)
