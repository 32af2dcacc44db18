"""What the engagement app's visits, visiting cadres and their quotas, kept contacts contributes: reports, navigation, home counts, merge lines."""


def register() -> None:
    """Called once from engagement.contributions.register()."""
