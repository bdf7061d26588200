"""The project's Celery app pointed at a real broker for a test, and put back afterwards
(copied from tests/consult/test_celery_worker.py, with the search tasks routed to a queue of
the test's own so that runs sharing the Redis database never take each other's tasks)."""

import os
import threading
from contextlib import contextmanager

import kombu.pools
import pytest
from django.db import connections
from django.test import override_settings

from econsult.celery import app

REDIS_URL = "redis://127.0.0.1:6379/7"
CLOSED_BROKER = "redis://127.0.0.1:1/0"


def redis_or_skip(url: str = REDIS_URL) -> None:
    """Skip the test, saying why, when no Redis answers at `url`."""
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError as exc:
        pytest.skip(f"Redis is not reachable at {url} ({exc}): no real worker to start")


def _drop_cached_connections():
    app._pool = None
    app._local = threading.local()
    app._backend_cache = None
    app.__dict__.pop("amqp", None)


@contextmanager
def real_broker(url: str, *, queue: str | None = None):
    """Tasks sent to the broker at `url` (the search tasks to `queue`), not run eagerly."""
    conf = app.conf
    keys = ("task_always_eager", "broker_url", "result_backend", "task_routes")
    saved_conf = {key: conf[key] for key in keys}
    # Celery reads CELERY_BROKER_URL from the environment before its configuration (CI sets
    # it), so the environment must name the test's broker too.
    saved_environ = os.environ.get("CELERY_BROKER_URL")
    os.environ["CELERY_BROKER_URL"] = url
    conf.update(
        task_always_eager=False,
        broker_url=url,
        result_backend=url,
        task_routes={"search.tasks.*": {"queue": queue}} if queue else None,
    )
    _drop_cached_connections()
    try:
        with override_settings(
            CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL=url, CELERY_RESULT_BACKEND=url
        ):
            yield
    finally:
        if app._pool is not None:
            app._pool.force_close_all()
        conf.update(saved_conf)
        if saved_environ is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = saved_environ
        # Start afresh rather than put back objects that may hold the closed pool: even eager
        # tasks acquire a producer, and one from a closed pool fails every later post.
        kombu.pools.reset()
        _drop_cached_connections()
        app.set_current()
        app.set_default()


def forget_queue(queue: str) -> None:
    """Drop the run's queue and kombu's bindings for it from the Redis database."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")


def close_worker_connections(**kwargs):
    """The worker thread's database connection would outlive the test otherwise."""
    connections.close_all()
