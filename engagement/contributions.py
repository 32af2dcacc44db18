"""What the engagement app contributes to the portal (governance/registry.py). So far its role
grants; its API, pages, reports, indicators and demo follow (issue 18)."""

from governance.registry import registry


def register() -> None:
    from engagement.grants import GRANTS

    registry.add_grants(GRANTS)
