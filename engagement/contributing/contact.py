"""What the engagement app's direct contact (五挂钩 links, contact days) contributes: reports, navigation, home counts, merge lines."""


def register() -> None:
    """Called once from engagement.contributions.register()."""
