"""Each user's grants kept by the worker between requests, as long as the grants stamp says they
still hold.

Reading a user's grants is a recursive statement over assignments, roles, permissions,
departments and mergers: a millisecond of PostgreSQL's time on every request, most of what a
detail costs (bench/api_load). The grants change rarely. The stamp (governance migration 0006)
is one row whose version changes, by triggers, with every statement that writes to a table the
grants are read from; the version is read in the same statement as the user (the API's token,
PortalTokenAuthentication) or on its own (0.1 ms), and the grants kept for (user, version, day)
are used only when the version is the one they were read under. So a change is seen by the
next request that starts after its commit, as without the cache; nothing one user holds is ever
answered for another (the key is the user's id); and the day is in the key because a merger
hands over the merged subtree on its `retired_on`.

The version read with the grants comes from the same statement as the grants (grants_of), so a
change committed between the stamp's read and the grants' read is kept only under the newer
version. Without the stamp row (a test flush emptied it) nothing is kept.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from types import MappingProxyType

# Users whose grants a worker keeps. About 15 KB each (a town official holds 125 permissions),
# so 1,000 is 15 MB per worker at most; the least recently used go first.
KEPT_USERS = 1000

# The version of the grants, as text: the stamp row's writing transaction and its counter.
STAMP_SQL = "SELECT xmin::text || ':' || changes::text FROM governance_grants_stamp WHERE id = 1"

_kept: OrderedDict[tuple, tuple] = OrderedDict()
_lock = threading.Lock()

# Off, the grants are read on every request: the test suite's pinned query counts are counted so
# (each request as if its user's grants were not kept), whatever the requests before it; the
# tests of this module turn it on.
keeping = True


def recall(user_id: int, stamp: str | None, day) -> tuple | None:
    """(grants, departments) kept for the user under this version and day, or None."""
    if stamp is None or not keeping:
        return None
    key = (user_id, stamp, day)
    with _lock:
        kept = _kept.get(key)
        if kept is not None:
            _kept.move_to_end(key)
        return kept


def remember(user_id: int, stamp: str | None, day, grants: dict, departments: tuple) -> tuple:
    """Keep the user's grants (read in the same statement as `stamp`); answer them read-only."""
    kept = (MappingProxyType(grants), departments)
    if stamp is None or not keeping:
        return kept
    with _lock:
        _kept[(user_id, stamp, day)] = kept
        _kept.move_to_end((user_id, stamp, day))
        while len(_kept) > KEPT_USERS:
            _kept.popitem(last=False)
    return kept


def forget_all() -> None:
    """Drop every kept grant (a test that compares the cached path with the direct one)."""
    with _lock:
        _kept.clear()
