"""A fixed-window rate limit on posting feedback, per account and per network address.

Counters live in the cache (Redis in production, so every web worker shares them); a counter
is created with its expiry and incremented atomically.
"""

import time

from django.conf import settings
from django.core.cache import cache


def _hit(key: str, window: int) -> int:
    if cache.add(key, 1, timeout=window + 5):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=window + 5)
        return 1


def allow_post(*, user_id: int | None, ip_address: str | None, window: int = 60) -> bool:
    """Count one post; False when the account or the address is over its limit."""
    limit = settings.FEEDBACK_RATE_PER_MINUTE
    slot = int(time.time() // window)
    allowed = True
    for who in ([f"u{user_id}"] if user_id else []) + ([f"ip{ip_address}"] if ip_address else []):
        if _hit(f"feedback-rate:{who}:{slot}", window) > limit:
            allowed = False
    return allowed
