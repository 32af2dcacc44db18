"""Audit trail: django-pghistory triggers record every insert, update and delete.

The acting user and URL are attached by pghistory's middleware for requests, and by
`acting_as(user)` in services and commands. Event tables are append-only (PGHISTORY_APPEND_ONLY
installs a protecting trigger against UPDATE and DELETE on them).
"""

import datetime
from collections import defaultdict
from contextlib import contextmanager

import pghistory
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from governance.money import fen_text
from governance.people_names import display_name
from governance.privacy import masked, masked_diff


def track_history(model=None, *, model_name: str | None = None):
    """Class decorator: record inserts, updates and deletes of `model` in its event table
    (`<Model>Event`, or `model_name` where that would clash with a model of the app: the grids
    app's Grid and GridEvent).

    Fresh tracker instances per model: pghistory binds each tracker to the model it tracks.
    """

    def decorate(tracked):
        trackers = (pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
        return pghistory.track(*trackers, model_name=model_name)(tracked)

    return decorate(model) if model is not None else decorate


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


# --- how a history page reads ------------------------------------------------------------------

# pghistory's event labels, as the history pages name them.
EVENT_LABELS = {"insert": _("新增"), "update": _("修改"), "delete": _("删除")}


def date_text(day: datetime.date) -> str:
    """A day as the pages write it in Chinese: 2026年5月12日."""
    return gettext("%(year)s年%(month)s月%(day)s日") % {"year": day.year, "month": day.month, "day": day.day}


def datetime_text(moment: datetime.datetime) -> str:
    """A moment in local time (settings.TIME_ZONE), to the minute: 2026年5月12日 14:30."""
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return f"{date_text(moment)} {moment:%H:%M}"


class HistoryRenderer:
    """What a history page shows of a record's audit events (governance.audit.history_of): every
    page showing a history goes through here, so that it reads as the record's own page does.

    Fields are named by their verbose_name; a choice by its label; a foreign key by the str() of
    the record it points to (a user by their name, governance.people_names); days and moments in
    Chinese, moments in local time; booleans 是/否; amounts in fen (`…_fen`) as yuan. The records
    the events point to are read once per related model for the whole page, whatever its length
    (their own non-null foreign keys joined, for the str() that names them), together with the
    acting users. Personal data is masked first unless `visible` (governance.privacy).
    """

    def __init__(self, model: type[models.Model], *, visible: bool):
        self.model = model
        self.visible = visible
        self.fields = {field.attname: field for field in model._meta.concrete_fields}
        self.order = {attname: index for index, attname in enumerate(self.fields)}

    def describe(self, events) -> list[dict]:
        """One dict per event: created_at (text), label, user (the acting user's name or None),
        is_diff, changes [(field label, before, after)] with the values as text (None when empty)."""
        events = list(events)
        snapshots = [self._changes(event) for event in events]
        user_model = get_user_model()
        wanted: dict[type[models.Model], set] = defaultdict(set)
        for event in events:
            user_id = (event.pgh_context or {}).get("user")
            if user_id is not None:
                wanted[user_model].add(user_id)
        for changes in snapshots:
            for attname, before, after in changes:
                field = self.fields.get(attname)
                if field is not None and (field.many_to_one or field.one_to_one):
                    wanted[field.related_model].update(value for value in (before, after) if value is not None)
        found = {
            related: related._default_manager.select_related().in_bulk(list(pks))
            for related, pks in wanted.items()
            if pks
        }
        users = found.get(user_model, {})
        return [
            {
                "created_at": datetime_text(event.pgh_created_at),
                "label": EVENT_LABELS.get(event.pgh_label, event.pgh_label),
                "user": self._user(event, users),
                "is_diff": bool(event.pgh_diff),
                "changes": [
                    (self._label(attname), self._text(attname, before, found), self._text(attname, after, found))
                    for attname, before, after in changes
                ],
            }
            for event, changes in zip(events, snapshots, strict=True)
        ]

    @staticmethod
    def _user(event, users: dict) -> str | None:
        """The acting user's name; None for an event written outside any request or command."""
        user = users.get((event.pgh_context or {}).get("user"))
        return display_name(user) if user is not None else None

    def _changes(self, event) -> list[tuple]:
        """(attname, before, after) of one event, in the model's field order, masked."""
        if event.pgh_diff:
            diff = masked_diff(event.pgh_diff, self.visible)
            changes = [(name, before, after) for name, (before, after) in diff.items()]
        else:
            # An insert (or a delete) has no diff: the whole snapshot, as the values it holds.
            data = masked(event.pgh_data or {}, self.visible)
            changes = [(name, None, value) for name, value in data.items()]
        return sorted(changes, key=lambda change: self.order.get(change[0], len(self.order)))

    def _label(self, attname: str) -> str:
        field = self.fields.get(attname)
        return str(field.verbose_name) if field is not None else attname

    def _text(self, attname: str, value, found: dict) -> str | None:
        """One stored value (as the event's JSON holds it) as the page writes it; None when empty."""
        if value is None or value == "":
            return None
        field = self.fields.get(attname)
        if field is None:
            return str(value)
        if field.many_to_one or field.one_to_one:
            target = found.get(field.related_model, {}).get(field.target_field.to_python(value))
            if target is None:
                return str(value)  # a record since deleted: its key is all the event still knows
            return display_name(target) if field.related_model is get_user_model() else str(target)
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(field, models.BooleanField):
            return gettext("是") if value else gettext("否")
        if isinstance(field, models.DateTimeField):
            moment = parse_datetime(value) if isinstance(value, str) else value
            return datetime_text(moment) if moment is not None else str(value)
        if isinstance(field, models.DateField):
            day = parse_date(value) if isinstance(value, str) else value
            return date_text(day) if day is not None else str(value)
        if isinstance(field, models.IntegerField) and attname.endswith("_fen") and isinstance(value, int):
            return gettext("%(amount)s 元") % {"amount": fen_text(value)}
        return str(value)
