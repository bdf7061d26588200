"""Indexing through a real Celery worker on the local Redis: a comment posted over HTTP is
queued when its transaction commits, indexed by the worker, and then found by public search.

The worker runs in a thread of the test process (as in tests/consult/test_celery_worker.py),
so it reads the test database; the test commits its data (transaction=True) so the request's
commit fires the signal and the worker's own connection sees the row.
"""

import threading
import time
import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun, task_prerun

from econsult.celery import app
from tests import factories
from tests.search.brokers import (
    REDIS_URL,
    close_worker_connections,
    forget_queue,
    real_broker,
    redis_or_skip,
)
from tests.search.support import API, citizen, post_comment, token

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def wait_until_found(client, word: str, timeout: float = 20.0) -> list[int]:
    """Poll the public API until it finds `word`. While the worker's transaction writes the
    entry, SQLite's shared-cache test database answers "table is locked" to the reader, which
    search reports as 503 (unavailable): that poll counts as not found yet."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = client.get(API, {"q": word})
        if response.status_code != 503:
            assert response.status_code == 200, response.content
            if ids := [row["id"] for row in response.json()["results"]]:
                return ids
        time.sleep(0.2)
    return []


def test_a_real_worker_indexes_a_comment_posted_over_http(client):
    redis_or_skip()
    draft = factories.draft_page()
    client.force_login(citizen())
    queue = f"econsult-search-test-{uuid.uuid4().hex}"
    word = token()
    ran: list[tuple[str, int]] = []

    def note(sender=None, **kwargs):
        ran.append((sender.name, threading.get_ident()))

    task_prerun.connect(note, weak=False)
    task_postrun.connect(close_worker_connections, weak=False)
    try:
        with (
            real_broker(REDIS_URL, queue=queue),
            start_worker(
                app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=20
            ),
        ):
            feedback = post_comment(client, draft, f"Cần quy định rõ {word} về thời hạn.")
            found = wait_until_found(client, word)
    finally:
        task_prerun.disconnect(note)
        task_postrun.disconnect(close_worker_connections)
        forget_queue(queue)

    assert found == [feedback.pk]
    assert ("search.tasks.index_feedback", threading.get_ident()) not in ran
    assert [name for name, _thread in ran] == ["search.tasks.index_feedback"]
    assert app.conf.task_always_eager is True, "the app's eager setting was not put back"
