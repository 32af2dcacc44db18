"""What the engagement app's deliberation bodies, the guiding catalogue, topics and meetings contributes: reports, navigation, home counts, merge lines."""


def register() -> None:
    """Called once from engagement.contributions.register()."""
