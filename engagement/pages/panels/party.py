"""The engagement dashboard's panel of party members' service posts, point rules, points and the pioneer index."""

from __future__ import annotations


def panel(user, division, period) -> dict | None:
    """The panel's context for a town or district and a period, or None when the user views none of
    the theme: see engagement.pages.dashboard."""
    return None
