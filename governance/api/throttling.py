"""Throttles whose counts every web worker shares.

DRF's throttles keep each client's request history in Django's cache, read and written back
without a lock. In the default cache (local memory) that is one count per gunicorn worker: with 4
workers a client got 4 × the rate. `SharedScopedRateThrottle` keeps the history in the cache
named "throttle" (settings.CACHES: Redis when REDIS_URL is set, one count for every worker and
machine) and reads and writes it under a lock per client (a Redis lock, or a process lock for a
local cache), so that concurrent requests count once each.

When Redis does not answer, the throttle counts in this process's memory instead (logged): the
question is still limited, per worker, and is answered rather than failing with a 500 (issue 19:
Redis down, the API keeps serving).
"""

from __future__ import annotations

import logging
import threading
from contextlib import contextmanager

from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError
from rest_framework.throttling import ScopedRateThrottle

logger = logging.getLogger(__name__)

# Longest a lock is held (a request's read and write of its history take milliseconds) and
# longest a request waits for it, in seconds.
LOCK_TIMEOUT = 5
LOCK_WAIT = 5

_local_lock = threading.Lock()
# Where the counts go while Redis is unreachable: this process's memory.
_fallback_cache = LocMemCache("throttle-fallback", {})


class SharedScopedRateThrottle(ScopedRateThrottle):
    """ScopedRateThrottle (`throttle_scope` on the view, its rate in DEFAULT_THROTTLE_RATES) with
    its counts shared by every worker and safe under concurrent requests."""

    def allow_request(self, request, view) -> bool:
        shared = caches["throttle"]
        try:
            self.cache = shared
            with self._lock(shared, request, view):
                return super().allow_request(request, view)
        except RedisError as error:
            logger.warning("the throttle's Redis does not answer (%s): counting in this process", error)
            self.cache = _fallback_cache
            with _local_lock:
                return super().allow_request(request, view)

    def _client_name(self, request, view) -> str:
        user = getattr(request, "user", None)
        who = f"user-{user.pk}" if user is not None and user.is_authenticated else f"ip-{self.get_ident(request)}"
        return f"throttle-lock:{getattr(view, self.scope_attr, '')}:{who}"

    @contextmanager
    def _lock(self, cache, request, view):
        if isinstance(cache, RedisCache):
            client = cache._cache.get_client(write=True)
            name = cache.make_key(self._client_name(request, view))
            with client.lock(name, timeout=LOCK_TIMEOUT, blocking_timeout=LOCK_WAIT):
                yield
        else:
            with _local_lock:
                yield
