"""Comparing two versions of a covenant clause by clause (by number), for the version page.

Pure: it takes the clauses' numbers and texts, so tests need no database. A clause is added when
only the newer version has its number, removed when only the older one has, changed when both
have it with different texts, and the same otherwise.

A changed clause is compared with the clause of the same number only, and word by word: a run of
Latin letters or digits is one word ("50" becomes "100", not "5" → "10" around a kept "0"), a
Chinese character is one (Chinese text has no spaces to split words on). Two texts that share
less than SIMILAR_ENOUGH of their words are two different clauses under one number (a clause
inserted before them renumbers the rest): the old text is shown deleted and the new inserted,
whole, never their characters interleaved ("红白喜事从简饲养犬只须办理登记…"). Within a clause,
a kept stretch shorter than MIN_KEPT characters between two changes is folded into them, so that
a change reads as one deleted phrase and one inserted phrase.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

ADDED = "added"
REMOVED = "removed"
CHANGED = "changed"
SAME = "same"

# Our reading of "the same clause, edited": at least half of the words in common (difflib's ratio,
# 2 × common / total), else the clause under that number was replaced by another one.
SIMILAR_ENOUGH = 0.5
# A kept stretch between two changes, shorter than this (in characters), is folded into them.
MIN_KEPT = 3

# A word: a run of Latin letters or digits (with their decimal point), a run of spaces, or any
# other single character (a Chinese character, a punctuation mark).
_WORD = re.compile(r"[A-Za-z0-9]+(?:\.[0-9]+)?|\s+|.", re.DOTALL)


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


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def text_segments(old: str, new: str) -> list[Segment]:
    """The old and new texts of one clause as one sequence of kept, deleted and inserted stretches."""
    old_words, new_words = words(old), words(new)
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    if matcher.ratio() < SIMILAR_ENOUGH:
        return [segment for segment in (Segment("delete", old), Segment("insert", new)) if segment.text]
    stretches: list[tuple[str, str, str]] = []  # (op, old part, new part)
    for op, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        stretches.append((op, "".join(old_words[a_start:a_end]), "".join(new_words[b_start:b_end])))
    return _merged(_folded(stretches))


def _folded(stretches: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """Short kept stretches between two changes become part of the change."""
    folded = []
    for index, (op, old_part, new_part) in enumerate(stretches):
        between_changes = 0 < index < len(stretches) - 1
        if op == "equal" and between_changes and len(old_part) < MIN_KEPT:
            op = "replace"
        folded.append((op, old_part, new_part))
    return folded


def _merged(stretches: list[tuple[str, str, str]]) -> list[Segment]:
    """Consecutive changes as one deleted stretch followed by one inserted stretch."""
    segments: list[Segment] = []
    deleted, inserted = "", ""

    def flush():
        nonlocal deleted, inserted
        if deleted:
            segments.append(Segment("delete", deleted))
        if inserted:
            segments.append(Segment("insert", inserted))
        deleted, inserted = "", ""

    for op, old_part, new_part in stretches:
        if op == "equal":
            flush()
            segments.append(Segment("equal", old_part))
        else:
            deleted += old_part
            inserted += new_part
    flush()
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
