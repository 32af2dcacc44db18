"""The town's event centre (事件中心): the events of the jurisdiction under tabs (newly reported,
to handle, whistled to departments, awaiting evaluation, overdue, all) with each tab's count, and
filters by village, category and the day reported. And the home page's counts of what waits for
the visitor (pending_counts), from one query per request.

Overdue is computed at the moment of the request (grids.querysets): the "overdue" tab lists the
events still not handled after their due time; every row says whether the event is overdue (an
event handled late stays so)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.access.querysets import held_condition, holds_anywhere
from governance.pages.mixins import ScopedFilterListView
from grids.choices import EventState, Route
from grids.filters import EventCentreFilterSet
from grids.models import GridEvent


def may_view_events(user) -> bool:
    """The navigation's item: for those who view events somewhere (no query)."""
    return holds_anywhere(user, "grids.view_gridevent")


@dataclass(frozen=True)
class Tab:
    key: str
    label: object
    url_name: str
    condition: callable  # now → Q: the events of the tab

    def q(self, now) -> Q:
        return self.condition(now)


TABS: tuple[Tab, ...] = (
    Tab("new", _("新上报"), "grids:events_new", lambda now: Q(state=EventState.REPORTED)),
    Tab("to_handle", _("待处置"), "grids:events_to_handle", lambda now: Q(state=EventState.ASSESSED)),
    Tab(
        "whistled",
        _("吹哨报到"),
        "grids:events_whistled",
        lambda now: Q(state=EventState.ASSESSED, route=Route.WHISTLE),
    ),
    Tab("to_evaluate", _("待评价"), "grids:events_to_evaluate", lambda now: Q(state=EventState.HANDLED)),
    Tab("overdue", _("超期未办结"), "grids:events_overdue", lambda now: Q(handled_at__isnull=True, due_at__lt=now)),
    Tab("all", _("全部"), "grids:events", lambda now: Q()),
)
TABS_BY_KEY = {tab.key: tab for tab in TABS}


class EventCentreView(ScopedFilterListView):
    """事件中心 (grids/events/ and a path per tab): one page of the tab's events, the counts of every
    tab under the same filters (one aggregate), in a fixed number of queries."""

    model = GridEvent
    filterset_class = EventCentreFilterSet
    shown_filters = ("division", "category", "reported_from", "reported_to")
    template_name = "grids/event_centre.html"
    tab = "all"

    def get_context_data(self, **kwargs):
        now = timezone.now()
        filtered = kwargs.pop("object_list", self.object_list)
        counts = filtered.order_by().aggregate(**{tab.key: Count("id", filter=tab.q(now)) for tab in TABS})
        tab = TABS_BY_KEY[self.tab]
        self.now = now
        rows = filtered.filter(tab.q(now)).order_by(
            *(("due_at", "id") if tab.key == "overdue" else ("-reported_at", "-id"))
        )
        context = super().get_context_data(object_list=rows, **kwargs)
        context.update(
            tab=tab,
            tabs=[{"tab": each, "count": counts[each.key], "active": each.key == tab.key} for each in TABS],
            now=now,
        )
        return context

    def paginate_queryset(self, queryset, page_size):
        """A deferred join: the paginator counts and slices the tab's ids, which the indexes give
        alone (grid_event_division_reported, grid_event_unhandled_division), and the page's rows
        are then read by id with their grid, category, village and town, in the same order. One
        query for the page that reads its 50 rows, instead of reading every event of the tab (a
        town's year: 9,408) to sort them (bench/README.md, grid_events)."""
        paginator, page, ids, is_paginated = super().paginate_queryset(queryset.values("pk"), page_size)
        page.object_list = (
            GridEvent.objects.filter(pk__in=ids)  # the ids of the restricted, filtered tab
            .select_related("category", "grid", "division__parent")
            .with_overdue(self.now)
            .order_by(*queryset.query.order_by)
        )
        return paginator, page, page.object_list, is_paginated


# --- the home page's counts ----------------------------------------------------------------------

_PENDING_CACHE = "_grids_pending_counts"


def _where(user, action: str) -> Q | None:
    """Where `user` may take the step `action` on events (None: nowhere)."""
    if user.is_superuser:
        return Q()
    return held_condition(user, f"grids.{action}_gridevent", "division__code")


def pending_counts(user) -> dict[str, int]:
    """What waits for `user`, counted where they may act: events to assess (the town), to handle
    (the village's clerk and grid workers), awaiting the reporter's evaluation, and overdue (not
    handled after their due time, where they assess or handle). One query, kept on the user for
    the request; none for a user who takes no step anywhere."""
    cached = getattr(user, _PENDING_CACHE, None)
    if cached is not None:
        return cached
    counts = {"to_assess": 0, "to_handle": 0, "to_evaluate": 0, "overdue": 0}
    if not (user.is_authenticated and user.is_active):
        return counts
    where = {action: _where(user, action) for action in ("assess", "handle", "evaluate")}
    acting = [condition for condition in (where["assess"], where["handle"]) if condition is not None]
    wanted = {}
    if where["assess"] is not None:
        wanted["to_assess"] = Count("id", filter=Q(state=EventState.REPORTED) & where["assess"])
    if where["handle"] is not None:
        wanted["to_handle"] = Count("id", filter=Q(state=EventState.ASSESSED) & where["handle"])
    if where["evaluate"] is not None:
        wanted["to_evaluate"] = Count("id", filter=Q(state=EventState.HANDLED) & where["evaluate"])
    if acting:
        anywhere = Q()
        for condition in acting:
            anywhere |= condition
        wanted["overdue"] = Count(
            "id", filter=Q(handled_at__isnull=True, due_at__lt=timezone.now()) & (anywhere if anywhere else Q())
        )
    if wanted:
        counts.update(GridEvent.objects.restrict(user, "view").exclude(state=EventState.CLOSED).aggregate(**wanted))
    setattr(user, _PENDING_CACHE, counts)
    return counts
