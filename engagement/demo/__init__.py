"""The engagement part of the Nanhai demo (manage.py load_demo runs it through
governance.registry.demo_steps, after the other apps' steps, in the same transaction)."""


def load_demo_engagement() -> str:
    """Load the demo's engagement records; a one-line summary."""
    return "engagement: nothing yet"
