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
