"""What the grids app contributes to the portal (governance/registry.py): its role grants, its
private files, its API router and pages, the navigation, the home page's counts, the public
page's handled events, its reports and its computed indicators. Called from GridsConfig.ready()."""

from governance.registry import registry


def register() -> None:
    from grids.grants import GRANTS

    registry.add_grants(GRANTS)
    # Photos of events, downloadable at /files/grids.eventphoto/<pk>/.
    registry.add_private_file_model("grids.EventPhoto")
    # Open311 GeoReport v2 (JSON) at the standard's own address, /open311/v2/ (DESIGN.md §7).
    registry.add_root_api_urls("open311/v2/", "grids.api.open311.urls")
