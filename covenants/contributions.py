"""What the covenants app contributes to the portal (governance/registry.py): its role grants and
its API router. Called from CovenantsConfig.ready()."""

from governance.registry import registry


def register() -> None:
    from covenants.grants import GRANTS

    registry.add_grants(GRANTS)
    registry.add_api_urls("covenants.api.urls")
    registry.eligibility_checks["covenant_sanctions"] = sanction_reasons


def sanction_reasons(person_id: int, action: str, on) -> list[str]:
    """Why covenant sanctions bar the person from `action` on `on`, one sentence per bar."""
    from covenants.sanctions import eligibility
    from covenants.texts import describe_bar

    return [describe_bar(sanction) for sanction in eligibility(person_id, action, on).reasons]
