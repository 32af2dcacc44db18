"""What the engagement app's service centres, operating funds, emergency plans and drills contributes: reports, navigation, home counts, merge lines."""


def register() -> None:
    """Called once from engagement.contributions.register()."""
