"""What the engagement app's party members' service posts, point rules, points and the pioneer index contributes: reports, navigation, home counts, merge lines."""


def register() -> None:
    """Called once from engagement.contributions.register()."""
