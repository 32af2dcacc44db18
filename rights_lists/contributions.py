"""What the rights_lists app contributes to the portal (governance/registry.py): its role grants,
its API router and its part of the demo. Called from RightsListsConfig.ready()."""

from governance.registry import registry


def register() -> None:
    from rights_lists.grants import GRANTS

    registry.add_grants(GRANTS)
    registry.add_api_urls("rights_lists.api.urls")
    registry.demo_steps["rights_lists"] = load_demo_step


def load_demo_step() -> str:
    """The rights_lists part of manage.py load_demo (rights_lists/demo.py); its one-line summary."""
    from rights_lists.demo import load_demo_lists

    return load_demo_lists()
