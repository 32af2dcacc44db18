"""The shapes of the Open311 answers (GeoReport v2's field names and values), as plain data.

A service is an event category of a district; a service request is a grid event. What a read
shows depends on who asks: with a key, what the caller's jurisdiction allows, as in the REST API;
without one, what the public page shows (category, village, times, status): no description, no
grid, no departments, no names.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from grids.choices import EventState, Route
from grids.models import EventCategory, GridEvent

# GeoReport v2 GET Service List: the categories need no further form fields (no service
# definition), and an event's id comes back at once.
SERVICE_TYPE = "realtime"
# The fields of a service request in the order of the specification (GET Service Requests).
REQUEST_FIELDS = (
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
)
SERVICE_FIELDS = ("service_code", "service_name", "description", "metadata", "type", "group")
# Parts of an address, most specific first (GeoReport v2: "from most specific to most general").
ADDRESS_SEPARATOR = "，"
# What every read loads with the events: one query whatever their number.
EVENT_RELATIONS = ("category", "grid", "division__parent__parent")


def w3c(moment: datetime.datetime | None, zone: datetime.tzinfo | None = None) -> str | None:
    """ISO 8601 with the offset, in the portal's local time: 2026-03-02T17:00:00+08:00."""
    if moment is None:
        return None
    return moment.astimezone(zone or timezone.get_current_timezone()).isoformat(timespec="seconds")


def service(category: EventCategory) -> dict:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": _("%(name)s：办理时限 %(hours)s 小时。")
        % {"name": category.name, "hours": category.time_limit_hours},
        "metadata": False,
        "type": SERVICE_TYPE,
        # The district whose category it is: a list that spans districts tells them apart by it.
        "group": category.district.name,
    }


class Shapes:
    """Shapes events for one answer: the time zone and the translated texts are looked up once,
    not once per event (a thousand events cost them a third of their time)."""

    def __init__(self) -> None:
        self.zone = timezone.get_current_timezone()
        self.notice = _("由镇（街道）网格中心研判后处置，办理时限 %(hours)s 小时，应于 %(due)s 前办结。")
        self.whistled = _("%(state)s：已吹哨，职能部门报到处置")
        self.states = {state: str(label) for state, label in EventState.choices}

    def service_notice(self, event: GridEvent) -> str:
        """What will be done, and by when: the event's own time limit (fixed when it was reported)."""
        hours = round((event.due_at - event.reported_at) / datetime.timedelta(hours=1))
        return self.notice % {"hours": hours, "due": event.due_at.astimezone(self.zone).strftime("%Y-%m-%d %H:%M")}

    def status_notes(self, event: GridEvent) -> str:
        """Where the flow stands (已上报, 已研判, 已办结...), beyond open or closed."""
        notes = self.states[event.state]
        if event.state == EventState.ASSESSED and event.route == Route.WHISTLE:
            notes = self.whistled % {"state": notes}
        return notes

    @staticmethod
    def address(event: GridEvent, *, full: bool) -> str:
        village = event.division
        town = village.parent
        district = town.parent if town is not None else None
        parts = [event.location, event.grid.name] if full else []
        parts += [division.name for division in (village, town, district) if division is not None]
        return ADDRESS_SEPARATOR.join(part for part in parts if part)

    def service_request(self, event: GridEvent, *, full: bool) -> dict:
        """An event as a service request; `full` for a caller with a key (their jurisdiction's
        events), the public fields otherwise."""
        closed = event.state == EventState.CLOSED
        return {
            "service_request_id": str(event.pk),
            "status": "closed" if closed else "open",
            "status_notes": self.status_notes(event),
            "service_name": event.category.name,
            "service_code": event.category.code,
            "description": event.description if full else None,
            # The departments it was whistled to (吹哨报到); none when the village handles it.
            "agency_responsible": ("、".join(event.departments) or None) if full else None,
            "service_notice": self.service_notice(event),
            "requested_datetime": w3c(event.reported_at, self.zone),
            # For a closed request, when it was closed (GeoReport v2, updated_datetime).
            "updated_datetime": w3c(event.closed_at if closed and event.closed_at else event.updated_at, self.zone),
            "expected_datetime": w3c(event.due_at, self.zone),
            "address": self.address(event, full=full),
            "address_id": str(event.grid_id) if full else None,
            "zipcode": None,
            "lat": None,
            "long": None,
            "media_url": None,
        }


def service_requests(events, *, full: bool) -> list[dict]:
    shapes = Shapes()
    return [shapes.service_request(event, full=full) for event in events]


def created(event: GridEvent, user) -> dict:
    """The answer to a report (POST Service Request): its id at once (type realtime)."""
    return {
        "service_request_id": str(event.pk),
        "service_notice": Shapes().service_notice(event),
        "account_id": user.get_username(),
    }
