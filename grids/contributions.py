"""What the grids app contributes to the portal (governance/registry.py): its role grants, its
private files, its API router and pages, the navigation, the home page's counts, the public
page's handled events, its reports and its computed indicators. Called from GridsConfig.ready()."""

from governance.registry import Panel, registry


def register() -> None:
    from grids.grants import GRANTS

    registry.add_grants(GRANTS)
    # Photos of events, downloadable at /files/grids.eventphoto/<pk>/.
    registry.add_private_file_model("grids.EventPhoto")
    register_api()
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


def load_demo_step() -> str:
    """The grids part of manage.py load_demo (grids/demo/); its one-line summary."""
    from grids.demo import load_demo_grids

    return load_demo_grids()
