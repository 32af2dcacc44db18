"""What the grids app contributes to the portal (governance/registry.py): its role grants, its
private files, its API router and pages, the navigation, the home page's counts, the public
page's handled events, its reports and its computed indicators. Called from GridsConfig.ready()."""

from governance.registry import registry


def register() -> None:
    from grids.grants import GRANTS

    registry.add_grants(GRANTS)
    # Photos of events, downloadable at /files/grids.eventphoto/<pk>/.
    registry.add_private_file_model("grids.EventPhoto")
    registry.demo_steps["grids"] = load_demo_step


def load_demo_step() -> str:
    """The grids part of manage.py load_demo (grids/demo/); its one-line summary."""
    from grids.demo import load_demo_grids

    return load_demo_grids()
