"""The project's Celery app with a real worker on the local Redis: the outbox's drain task
travels through the broker, runs in the worker and sends the e-mail that waited in the outbox.

The worker runs in a thread of the test process (celery.contrib.testing.worker.start_worker),
so it reads the test database and writes to the test mailbox; the test commits its data
(transaction=True) so the worker's own connection sees it. Each run consumes a queue of its
own, so runs that share the Redis database never take each other's tasks.
"""

import threading
import uuid
from contextlib import contextmanager

import kombu.pools
import pytest
from celery.backends.redis import RedisBackend
from celery.contrib.testing.worker import start_worker
from celery.result import EagerResult
from celery.signals import task_postrun, task_prerun
from django.core import mail
from django.db import connections
from django.test import override_settings

from consult.feedback import services
from consult.feedback.models import Feedback
from drafts.models import DraftPage
from econsult.celery import app
from econsult.outbox import tasks
from tests import factories
from tests.search.brokers import redis_or_skip

REDIS_URL = "redis://127.0.0.1:6379/15"
CLOSED_BROKER = "redis://127.0.0.1:1/0"

# Serialized rollback, like the browser tests: the flush after a transactional test would
# otherwise recreate content types under new ids, which the next serialized restore refuses.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@contextmanager
def real_broker(url: str):
    """The project's app sending to, and reading results from, the broker at `url`; its
    settings are put back and its cached connections dropped afterwards."""
    conf = app.conf
    saved_conf = {key: conf[key] for key in ("task_always_eager", "broker_url", "result_backend")}
    conf.update(task_always_eager=False, broker_url=url, result_backend=url)
    app._pool = None
    app._local = threading.local()
    app._backend_cache = None
    app.__dict__.pop("amqp", None)
    try:
        with override_settings(
            CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL=url, CELERY_RESULT_BACKEND=url
        ):
            yield
    finally:
        if app._pool is not None:
            app._pool.force_close_all()
        conf.update(saved_conf)
        # Start afresh rather than put back objects that may hold the closed pool: even eager
        # tasks acquire a producer, and one from a closed pool fails every later post.
        kombu.pools.reset()  # kombu's shared producer pools were closed with the worker
        app._pool = None
        app._local = threading.local()
        app._backend_cache = None
        app.__dict__.pop("amqp", None)
        app.set_current()
        app.set_default()


def forget_queue(queue: str) -> None:
    """Drop the run's queue and kombu's bindings for it from the Redis database."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")


def close_worker_connections(**kwargs):
    """The worker thread's database connection would outlive the test otherwise (on PostgreSQL
    it would keep the test database from being dropped)."""
    connections.close_all()


def comment_waiting_for_its_email() -> Feedback:
    """A comment without an account, stored while the broker is down: its e-mail waits in
    the outbox."""
    page = factories.draft_page()
    page.allow_anonymous = True
    page.save_revision().publish()
    feedback, _ = services.feedback_submit(
        draft=DraftPage.objects.get(pk=page.pk),
        author=services.Author(user=None, name="Phạm Văn Long", email="long@example.vn"),
        text="Cần quy định rõ thời hạn.",
    )
    return feedback


def test_a_real_worker_on_redis_sends_the_confirmation_email():
    redis_or_skip(REDIS_URL)
    with real_broker(CLOSED_BROKER):
        feedback = comment_waiting_for_its_email()
    assert not feedback.email_confirmed
    assert mail.outbox == []
    queue = f"econsult-test-{uuid.uuid4().hex}"

    ran_in: list[int] = []

    def note_thread(**kwargs):
        ran_in.append(threading.get_ident())

    task_prerun.connect(note_thread, weak=False)
    task_postrun.connect(close_worker_connections, weak=False)
    try:
        with (
            real_broker(REDIS_URL),
            start_worker(
                app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=20
            ),
        ):
            result = tasks.outbox_drain.apply_async(queue=queue)
            assert not isinstance(result, EagerResult), "the task ran in the test, not the worker"
            assert isinstance(result.backend, RedisBackend)
            outcome = result.get(timeout=20)
            assert result.status == "SUCCESS"
            result.forget()
    finally:
        task_prerun.disconnect(note_thread)
        task_postrun.disconnect(close_worker_connections)
        forget_queue(queue)

    assert ran_in and threading.get_ident() not in ran_in, "the task did not run in the worker"
    assert outcome == {"sent": 1, "requeued": 0, "failed": 0}
    assert [m.to for m in mail.outbox] == [["long@example.vn"]]
    assert "/gop-y/xac-nhan/" in mail.outbox[0].body
    assert app.conf.task_always_eager is True, "the app's eager setting was not put back"
