"""Comparing two versions of a covenant clause by clause (by number), for the version page.

Pure: it takes the clauses' numbers and texts, so tests need no database. A clause is added when
only the newer version has its number, removed when only the older one has, changed when both
have it with different texts (with the changed stretches marked, character by character: Chinese
text has no spaces to split words on), and the same otherwise.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field

ADDED = "added"
REMOVED = "removed"
CHANGED = "changed"
SAME = "same"


@dataclass(frozen=True)
class Segment:
    """A stretch of a changed clause: `op` is "equal", "insert" (only in the new text) or
    "delete" (only in the old one)."""

    op: str
    text: str


@dataclass(frozen=True)
class ClauseChange:
    number: int
    kind: str  # ADDED, REMOVED, CHANGED or SAME
    old_text: str | None
    new_text: str | None
    segments: list[Segment] = field(default_factory=list)  # CHANGED only


def text_segments(old: str, new: str) -> list[Segment]:
    """The old and new texts as one sequence of kept, deleted and inserted stretches."""
    segments: list[Segment] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        if op == "equal":
            segments.append(Segment("equal", old[a_start:a_end]))
            continue
        if op in ("delete", "replace"):
            segments.append(Segment("delete", old[a_start:a_end]))
        if op in ("insert", "replace"):
            segments.append(Segment("insert", new[b_start:b_end]))
    return segments


def compare_clauses(old: Iterable[tuple[int, str]], new: Iterable[tuple[int, str]]) -> list[ClauseChange]:
    """Every clause number of either version, in order, with what became of it."""
    before = dict(old)
    after = dict(new)
    changes = []
    for number in sorted(before.keys() | after.keys()):
        old_text, new_text = before.get(number), after.get(number)
        if old_text is None:
            changes.append(ClauseChange(number, ADDED, None, new_text))
        elif new_text is None:
            changes.append(ClauseChange(number, REMOVED, old_text, None))
        elif old_text != new_text:
            changes.append(ClauseChange(number, CHANGED, old_text, new_text, text_segments(old_text, new_text)))
        else:
            changes.append(ClauseChange(number, SAME, old_text, new_text))
    return changes
