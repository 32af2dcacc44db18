"""The engagement dashboard's panel of direct contact (五挂钩 links, contact days)."""

from __future__ import annotations


def panel(user, division, period) -> dict | None:
    """The panel's context for a town or district and a period, or None when the user views none of
    the theme: see engagement.pages.dashboard."""
    return None
