"""Validators the covenants models share."""

from __future__ import annotations

from governance.periods import Period


def validate_period(value: str) -> None:
    """A period label as governance.periods reads it ("2026", "2026-H1", "2026-Q3", "2026-05")."""
    Period.parse(value)
