"""Supervision's daily Celery beat tasks (issue 9): the disclosure reminders and the scoring of the
periods that have just closed (supervision/reminders.py does the work). Registered on beat's
schedule by supervision/contributions.py through governance.registry; imported by
supervision/tasks.py, the module Celery's autodiscovery reads.

Each takes the day as an ISO date for a caller that names it (a test, an operator catching up a
missed day); beat sends none, and the day is then today in the portal's time zone.
"""

from __future__ import annotations

import datetime

from celery.schedules import crontab
from django.utils import timezone

from governance.celery import app
from supervision import reminders

# When beat sends them, in the portal's time zone (CELERY_TIMEZONE): early, before the working day.
REMINDERS_AT = crontab(hour=6, minute=0)
SCORING_AT = crontab(hour=1, minute=30)


def _day(day: str | None) -> datetime.date:
    return datetime.date.fromisoformat(day) if day else timezone.localdate()


@app.task(name="supervision.send_disclosure_reminders", acks_late=True, reject_on_worker_lost=True)
def send_disclosure_reminders(day: str | None = None) -> int:
    return reminders.send_disclosure_reminders(_day(day))


@app.task(name="supervision.score_closing_periods", acks_late=True, reject_on_worker_lost=True)
def score_closing_periods(day: str | None = None) -> list[int]:
    return [run.pk for run in reminders.score_closing_periods(_day(day))]
