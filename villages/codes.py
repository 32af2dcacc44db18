"""NBS division codes (统计用区划代码) and the levels they name: pure functions of the code, used
by the models, the querysets, the import and the factories alike (no model, no query)."""

from __future__ import annotations

from villages.choices import CODE_LENGTH_BY_LEVEL, LEVEL_BY_CODE_LENGTH, LEVEL_ORDER, Level


def level_for_code(code: str) -> str | None:
    """The level a code of this length belongs to, or None for a malformed code."""
    if not (code.isascii() and code.isdigit()):  # full-width digits such as "４４" are not codes
        return None
    return LEVEL_BY_CODE_LENGTH.get(len(code))


def parent_code_of(code: str) -> str | None:
    """The code of the parent division: the code cut to the length of the level above."""
    level = level_for_code(code)
    if level is None or level == Level.PROVINCE:
        return None
    return code[: CODE_LENGTH_BY_LEVEL[LEVEL_ORDER[LEVEL_ORDER.index(level) - 1]]]


def ancestor_codes_of(code: str) -> list[str]:
    """Codes of every ancestor, from the province down to the parent."""
    level = level_for_code(code)
    if level is None:
        return []
    return [code[: CODE_LENGTH_BY_LEVEL[upper]] for upper in LEVEL_ORDER[: LEVEL_ORDER.index(level)]]


def child_level_of(level: str) -> str | None:
    """The level right below `level` (None below the cooperative, the lowest)."""
    index = LEVEL_ORDER.index(level) + 1
    return LEVEL_ORDER[index] if index < len(LEVEL_ORDER) else None
