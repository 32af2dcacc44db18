"""What the grids app contributes to the portal (governance/registry.py): its role grants, its
private files, its API router and pages, the navigation, the home page's counts, the public
page's handled events, its reports and its computed indicators. Called from GridsConfig.ready()."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from governance.registry import DivisionLink, HubLink, NavItem, Panel, registry

# The app's pages share one drop-down of the top bar, and one heading on a village's page.
GRIDS_GROUP = _("网格")


def register() -> None:
    from grids.grants import GRANTS

    registry.add_grants(GRANTS)
    # Photos of events, downloadable at /files/grids.eventphoto/<pk>/.
    registry.add_private_file_model("grids.EventPhoto")
    register_api()
    register_pages()
    register_merge_counts()
    # Open311 GeoReport v2 (JSON) at the standard's own address, /open311/v2/ (DESIGN.md §7).
    registry.add_root_api_urls("open311/v2/", "grids.api.open311.urls")
    registry.demo_steps["grids"] = load_demo_step


def register_api() -> None:
    """The API's routes (docs/api.md, "Grids"), the reports, the assessment's computed indicators
    (read by supervision's scoring through the registry) and the public page's section."""
    from grids.api.reports import GridEventsByCategoryReport, GridSatisfactionReport, GridTimeToHandleReport
    from grids.indicators import INDICATORS

    registry.add_api_urls("grids.api.urls")
    registry.add_report(GridSatisfactionReport)
    registry.add_report(GridEventsByCategoryReport)
    registry.add_report(GridTimeToHandleReport)
    for indicator in INDICATORS:
        registry.add_indicator(indicator)
    registry.public_sections["grid_events"] = Panel(
        key="grid_events", template="grids/public_events.html", context=public_handled_events, order=60
    )


def public_handled_events(division):
    from grids.pages.public import public_handled_events as context

    return context(division)


def register_pages() -> None:
    """The pages (grids/pages/urls.py), their navigation, the home page's counts of what waits
    for the user and the link of a village's page to its grid map."""
    from grids.pages import centre, dashboard, grids, report

    registry.add_page_urls("grids.pages.urls")
    registry.nav["grid_events"] = NavItem(
        "grid_events",
        _("事件中心"),
        "grids:events",
        (
            "grids:events",
            "grids:events_new",
            "grids:events_to_handle",
            "grids:events_whistled",
            "grids:events_to_evaluate",
            "grids:events_overdue",
            "grids:event",
            "grids:event_assess",
            "grids:event_arrival",
            "grids:event_handle",
            "grids:event_evaluate",
            "grids:event_close",
            "grids:event_photos",
        ),
        order=70,
        shown_to=centre.may_view_events,
        group=GRIDS_GROUP,
    )
    registry.nav["grid_event_report"] = NavItem(
        "grid_event_report",
        _("上报事件"),
        "grids:event_report",
        ("grids:event_report",),
        order=71,
        shown_to=report.may_report_events,
        group=GRIDS_GROUP,
    )
    registry.nav["grids"] = NavItem(
        "grids",
        _("网格"),
        "grids:grids",
        ("grids:grids", "grids:village_grids", "grids:grid_add", "grids:grid_edit"),
        order=72,
        shown_to=grids.may_view_grids,
        group=GRIDS_GROUP,
    )
    registry.nav["grid_dashboard"] = NavItem(
        "grid_dashboard",
        _("网格看板"),
        "grids:dashboard",
        ("grids:dashboard",),
        order=73,
        shown_to=dashboard.may_view_dashboard,
        group=GRIDS_GROUP,
    )
    pending = (
        ("grid_events_to_assess", "to_assess", "grids:events_new", _("去研判"), 60),
        ("grid_events_to_handle", "to_handle", "grids:events_to_handle", _("去处置"), 61),
        ("grid_events_to_evaluate", "to_evaluate", "grids:events_to_evaluate", _("去回访"), 62),
        ("grid_events_overdue", "overdue", "grids:events_overdue", _("去查看"), 63),
    )
    for key, count_key, url_name, link_label, order in pending:
        registry.add_pending_work(
            key,
            PENDING_MESSAGES[count_key],
            count=pending_count(count_key),
            url_name=url_name,
            link_label=link_label,
            order=order,
        )
    registry.division_links["grids"] = DivisionLink("grids", GRIDS_GROUP, _("网格与事件"), grids_link, order=40)


PENDING_MESSAGES = {
    "to_assess": ngettext_lazy("%(count)d 件网格事件待研判。", "%(count)d 件网格事件待研判。", "count"),
    "to_handle": ngettext_lazy("%(count)d 件网格事件待处置。", "%(count)d 件网格事件待处置。", "count"),
    "to_evaluate": ngettext_lazy(
        "%(count)d 件网格事件已办结，待回访评价。", "%(count)d 件网格事件已办结，待回访评价。", "count"
    ),
    "overdue": ngettext_lazy("%(count)d 件网格事件超期未办结。", "%(count)d 件网格事件超期未办结。", "count"),
}


def pending_count(key: str):
    """The home page's count `key` of grids.pages.centre.pending_counts (one query for all four)."""

    def count(user) -> int:
        from grids.pages.centre import pending_counts

        return pending_counts(user)[key]

    return count


def grids_link(division, user) -> HubLink | None:
    """The village's grid map, with how many grids it has and how many of their events are open,
    for who views its grids: one query."""
    from django.db.models import Count, Q
    from django.urls import reverse
    from django.utils.translation import gettext

    from governance.access.querysets import holds_in
    from grids.choices import EventState
    from grids.models import Grid

    if not holds_in(user, "grids.view_grid", division.code):
        return None
    counts = (
        Grid.objects.restrict(user, "view")
        .filter(division_id=division.code)
        .aggregate(
            grids=Count("id", distinct=True),
            open=Count("grid_events", filter=~Q(grid_events__state=EventState.CLOSED)),
        )
    )
    summary = gettext("%(grids)d 个网格 · 未关闭事件 %(open)d") % counts
    return HubLink(url=reverse("grids:village_grids", args=[division.code]), count=summary)


def register_merge_counts() -> None:
    """What a village merged away (撤并) carries over of the grids app (the merge page's preview):
    its grids and their events, which keep its code and count as its successor's."""
    from governance.registry import MergeCount
    from grids.models import Grid, GridEvent

    for line in (
        MergeCount.of("grids", _("网格"), Grid, order=60),
        MergeCount.of("grid_events", _("网格事件"), GridEvent, order=61),
    ):
        registry.merge_counts[line.key] = line


def load_demo_step() -> str:
    """The grids part of manage.py load_demo (grids/demo/); its one-line summary."""
    from grids.demo import load_demo_grids

    return load_demo_grids()
