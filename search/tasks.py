"""Celery tasks that keep the feedback index in step with the database.

They take ids, ask the configured backend to (re)write those comments, and own their retries:
an engine or database that is briefly away is retried with exponential back-off; after the
last retry the task gives up with a warning and `search_reconcile --repair` repairs the gap.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator

from celery import Task, shared_task
from django.db import InterfaceError, OperationalError
from elastic_transport import TransportError

from search.engines import get_backend

logger = logging.getLogger(__name__)

BATCH = 500
TRANSIENT = (OSError, TransportError, OperationalError, InterfaceError)
# Nobody reads their results: with ignore_result a post does not touch the result backend.
RETRY = {
    "ignore_result": True,
    "autoretry_for": TRANSIENT,
    "retry_backoff": 2,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 8,
}


class IndexTask(Task):
    """Logs, once, that it gave up, and how the index gets repaired."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        logger.warning(
            "search: %s%r gave up after %d retries (%s); "
            "run `manage.py search_reconcile --repair` to bring the index up to date",
            self.name,
            tuple(args),
            self.request.retries,
            type(exc).__name__,
        )


def batches(ids: Iterable[int], size: int = BATCH) -> Iterator[list[int]]:
    batch: list[int] = []
    for pk in ids:
        batch.append(int(pk))
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


@shared_task(base=IndexTask, **RETRY)
def index_feedback(feedback_ids: list[int]) -> int:
    """Write these comments to the index; the backend deletes those whose row is gone."""
    return get_backend().index(feedback_ids)


@shared_task(base=IndexTask, **RETRY)
def index_draft(draft_id: int) -> int:
    """Write every comment of a draft again: its publication decides their public visibility."""
    from consult.feedback.models import Feedback
    from search import visibility

    backend = get_backend()
    marks = visibility.pending_marks(draft_ids=[draft_id])  # before the comments are read
    ids = Feedback.objects.filter(draft_id=draft_id).order_by("pk").values_list("pk", flat=True)
    written = sum(backend.index(batch) for batch in batches(ids.iterator(chunk_size=BATCH)))
    if marks:
        backend.flush()
        visibility.clear(marks)
    return written
