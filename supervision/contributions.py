"""What the supervision app contributes to the portal (governance/registry.py): its role grants,
its API router, the scores report and its demo step. Called from SupervisionConfig.ready()."""

from governance.registry import registry


def register() -> None:
    from supervision.api.reports import ScoresReport
    from supervision.grants import GRANTS

    registry.add_grants(GRANTS)
    registry.add_api_urls("supervision.api.urls")
    registry.add_report(ScoresReport)
    registry.demo_steps["supervision"] = load_demo_step


def load_demo_step() -> str:
    """The supervision part of manage.py load_demo (supervision/demo.py); its one-line summary."""
    from supervision.demo import load_demo_supervision

    return load_demo_supervision()
