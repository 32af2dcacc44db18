"""Report reads on a read replica (issue 19 point 7; docs/architecture.md, "Going past one machine").

A report reads many rows and writes none: with DATABASE_REPORTS_URL set (a streaming replica of
the primary), every ORM read made inside `report_reads()` (the report views, governance.api.reports)
goes to the alias "reports"; everything else, and every write, stays on "default". The caller's
grants and token are read before (authentication), on the primary. A replica lags the primary by
its replication delay (usually under a second): a report may miss a row written that instant,
which a report can afford and a form's next page could not (hence reports only).

Raw SQL that names `django.db.connection` (a few reports' set-based statements) stays on the
primary; it can move by taking `connections[router.db_for_read(model)]` instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

REPORTS_ALIAS = "reports"
_reading_reports: ContextVar[bool] = ContextVar("reading_reports", default=False)


@contextmanager
def report_reads() -> Iterator[None]:
    """Reads inside go to the replica when one is configured (REPORTS_FROM_REPLICA)."""
    token = _reading_reports.set(True)
    try:
        yield
    finally:
        _reading_reports.reset(token)


class ReportReplicaRouter:
    def db_for_read(self, model, **hints):
        if settings.REPORTS_FROM_REPLICA and _reading_reports.get():
            return REPORTS_ALIAS
        return None

    def db_for_write(self, model, **hints):
        return None

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the primary's rows: an object read there relates to one read here.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica is migrated by replication, never by manage.py migrate.
        return False if db == REPORTS_ALIAS else None
