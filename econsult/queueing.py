"""Queueing Celery tasks from a request without letting a broker outage fail the request.

The rows a task works on are saved before it is queued (on commit), so a task that could not
be queued loses no data: what it would have done is repaired later (search_reconcile, the
figures' beat refresh, beat's outbox drain for e-mails, which are outbox rows of the
transaction: see econsult.outbox).
"""

from __future__ import annotations

import logging

from django.db import transaction

logger = logging.getLogger("econsult.queueing")

# One quick second try: a request must not wait on a broker that is down.
PUBLISH_RETRY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}


def enqueue(task, *args, consequence: str = "") -> bool:
    """Queue `task` with `args`; False, with a warning naming `consequence`, when that failed.

    Any exception is caught on purpose: a broker that is down raises kombu's OperationalError
    (or a socket error), and with eager tasks the task's own failure arrives here as well.
    """
    try:
        task.apply_async(args, retry=True, retry_policy=PUBLISH_RETRY)
    except Exception as exc:
        logger.warning(
            "could not queue %s%r (%s: %s)%s",
            task.name,
            args,
            type(exc).__name__,
            exc,
            f"; {consequence}" if consequence else "",
        )
        return False
    return True


def enqueue_on_commit(task, *args, consequence: str = "") -> None:
    """`enqueue` once the current transaction has committed."""
    transaction.on_commit(lambda: enqueue(task, *args, consequence=consequence))
