"""A Redis cache that degrades to "nothing cached" while Redis is unreachable, instead of failing the request.

Why: the cache holds only what can be lost: copies of sessions ("cached_db" keeps them in the database) and
allauth's rate-limit counters (sign-in, password reset, sign-up, confirmation mails). A Redis outage must not
stop people signing in, so every operation that cannot reach Redis logs a warning and answers as an empty
cache would: reads miss, writes are dropped, and `add` (allauth's lock
around a counter) succeeds. Rate limits therefore fail OPEN while Redis is down; django-axes, whose lockout is in
the database, still stops password guessing. Nothing in the portal uses the cache for correctness (locks,
idempotency): those are in the database.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
LOG_EVERY_SECONDS = 30  # one warning per process and half-minute, not one per request during an outage
# After a failure, skip Redis for a few seconds: a Redis that does not answer (rather than refuses) would cost
# every cache call its connect timeout, and a sign-in makes several.
RETRY_AFTER_SECONDS = 5


class DegradingRedisCache(RedisCache):
    # Per Redis location, for this process: when a warning was last logged, and until when Redis is skipped.
    _last_warning: dict[str, float] = {}
    _down_until: dict[str, float] = {}

    def _degraded(self, operation: str, exc: Exception) -> None:
        now = time.monotonic()
        DegradingRedisCache._down_until[self._location] = now + RETRY_AFTER_SECONDS
        if now - DegradingRedisCache._last_warning.get(self._location, -LOG_EVERY_SECONDS) >= LOG_EVERY_SECONDS:
            DegradingRedisCache._last_warning[self._location] = now
            logger.warning(
                "Cache unreachable (%s failed: %s): serving without cache; rate limits are not applied", operation, exc
            )

    @property
    def _location(self) -> str:
        return ",".join(self._servers)

    def _guarded(self, operation: str, fallback, call, *args, **kwargs):
        if time.monotonic() < DegradingRedisCache._down_until.get(self._location, 0.0):
            return fallback
        try:
            return call(*args, **kwargs)
        except UNREACHABLE as exc:
            self._degraded(operation, exc)
            return fallback

    def add(self, key, value, timeout=None, version=None):
        return self._guarded("add", True, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._guarded("get", default, super().get, key, default, version)

    def set(self, key, value, timeout=None, version=None):
        return self._guarded("set", None, super().set, key, value, timeout, version)

    def touch(self, key, timeout=None, version=None):
        return self._guarded("touch", False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._guarded("delete", False, super().delete, key, version)

    def get_many(self, keys, version=None):
        return self._guarded("get_many", {}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._guarded("has_key", False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        return self._guarded("incr", delta, super().incr, key, delta, version)

    def set_many(self, data, timeout=None, version=None):
        return self._guarded("set_many", list(data), super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._guarded("delete_many", None, super().delete_many, keys, version)

    def clear(self):
        return self._guarded("clear", False, super().clear)
