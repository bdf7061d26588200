"""A fixed-window rate limit on posting feedback, per account and per network address.

Counters live in the cache (Redis in production, so every web worker shares them). On Redis
both counters are counted in one round trip; other caches use add() and incr().
"""

import time

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache


def _count_redis(cache: RedisCache, keys: list[str], ttl: int) -> list[int]:
    client = cache._cache.get_client(write=True)
    pipe = client.pipeline(transaction=False)
    for key in keys:
        full = cache.make_and_validate_key(key)
        pipe.incr(full)
        pipe.expire(full, ttl, nx=True)
    return pipe.execute()[::2]


def _count_generic(cache, keys: list[str], ttl: int) -> list[int]:
    counts = []
    for key in keys:
        if cache.add(key, 1, timeout=ttl):
            counts.append(1)
            continue
        try:
            counts.append(cache.incr(key))
        except ValueError:  # expired between add() and incr()
            cache.add(key, 1, timeout=ttl)
            counts.append(1)
    return counts


def allow_post(*, user_id: int | None, ip_address: str | None, window: int = 60) -> bool:
    """Count one post; False when the account or the address is over its limit."""
    slot = int(time.time() // window)
    keys = [f"feedback-rate:u{user_id}:{slot}"] if user_id else []
    if ip_address:
        keys.append(f"feedback-rate:ip{ip_address}:{slot}")
    if not keys:
        return True
    cache = caches["default"]
    count = _count_redis if isinstance(cache, RedisCache) else _count_generic
    return max(count(cache, keys, window + 5)) <= settings.FEEDBACK_RATE_PER_MINUTE
