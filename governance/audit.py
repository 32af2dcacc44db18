"""Audit trail: django-pghistory triggers record every insert, update and delete.

The acting user and URL are attached by pghistory's middleware for requests, and by
`acting_as(user)` in services and commands. Event tables are append-only (PGHISTORY_APPEND_ONLY
installs a protecting trigger against UPDATE and DELETE on them).
"""

from contextlib import contextmanager

import pghistory
from django.db.models import QuerySet


def track_history(model):
    """Class decorator: record inserts, updates and deletes of `model` in its event table.

    Fresh tracker instances per model: pghistory binds each tracker to the model it tracks.
    """
    return pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())(model)


def track_history_per_statement(model):
    """Class decorator: as track_history, but the triggers fire once per statement and write the
    statement's events in one set-based INSERT from its transition table: the same event rows
    (label, the row's values, the context) as the row triggers would write.

    For tables written a thousand rows at a time by one statement (a scoring run's results,
    200,000 per province run): a row trigger costs a plpgsql call, a queued after-trigger event
    and a one-row INSERT per row, which made writing the events cost several times writing the
    rows themselves (bench/README.md, bench/score_period).
    """
    return pghistory.track(
        pghistory.InsertEvent(level=pghistory.Statement),
        pghistory.UpdateEvent(level=pghistory.Statement),
        pghistory.DeleteEvent(level=pghistory.Statement),
    )(model)


@contextmanager
def acting_as(user, **extra):
    """Attach the acting user (and any extra context) to every audit event written inside."""
    with pghistory.context(user=getattr(user, "pk", None), **extra):
        yield


def history_of(obj) -> QuerySet:
    """The audit events of one object, newest first, with their context (user, url)."""
    # Events of one transaction share a timestamp: the event id breaks the tie.
    return pghistory.models.Events.objects.tracks(obj).order_by("-pgh_created_at", "-pgh_id")


def keep_audit_triggers_linear(cursor) -> str:
    """Make sure pgtrigger.ignore is defined in this transaction, and return its value.

    The audit triggers first ask `_pgtrigger_should_ignore()`, which reads pgtrigger.ignore
    inside a plpgsql EXCEPTION block: unset, every written row raises and rolls back a
    subtransaction, and each rollback rescans the queue of deferred foreign-key checks, so a bulk
    write grows with the square of its rows (bench/README.md). Settings define it for every
    connection, but leaving a `pgtrigger.ignore(...)` block resets it to unset for the session:
    bulk writers call this first, and again (with the returned value) after such a block.
    An empty list ignores nothing and raises nothing.
    """
    cursor.execute("SELECT current_setting('pgtrigger.ignore', true)")
    (value,) = cursor.fetchone()
    value = value or "{}"
    cursor.execute("SELECT set_config('pgtrigger.ignore', %s, true)", [value])
    return value
