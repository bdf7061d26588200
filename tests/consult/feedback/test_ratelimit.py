"""The rate limit counts the same way on the process cache and on the real Redis."""

import pytest
from django.core.cache import caches
from django.test import override_settings

from consult.feedback import ratelimit


def redis_available() -> bool:
    import redis

    try:
        return bool(redis.Redis(host="127.0.0.1", port=6379, socket_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.mark.parametrize(
    "backend",
    [
        {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rl"},
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/12",
        },
    ],
    ids=["locmem", "redis"],
)
def test_account_and_address_limits(backend):
    if "redis" in backend["BACKEND"] and not redis_available():
        pytest.skip("no Redis on 127.0.0.1:6379")
    with override_settings(CACHES={"default": backend}, FEEDBACK_RATE_PER_MINUTE=3):
        cache = caches["default"]
        cache.clear()
        try:
            allowed = [ratelimit.allow_post(user_id=1, ip_address="10.0.0.1") for _ in range(4)]
            assert allowed == [True, True, True, False]
            # Another account from the same address is refused too: the address is over.
            assert ratelimit.allow_post(user_id=2, ip_address="10.0.0.1") is False
            assert ratelimit.allow_post(user_id=2, ip_address="10.0.0.2") is True
        finally:
            cache.clear()
