"""Signals the consult app sends for work that cuts across apps (the search index).

Consult's services send `feedback_touched` once their transaction has committed, with the ids
of every comment whose searchable state changed: its text, its publication, its endorsements,
its answer. Receivers must be quick (queue a task); they never see uncommitted rows.
"""

from collections.abc import Iterable

from django.db import transaction
from django.dispatch import Signal

feedback_touched = Signal()  # kwargs: feedback_ids (list[int])


def feedback_touched_on_commit(feedback_ids: Iterable[int]) -> None:
    """Send `feedback_touched` for these comments when the current transaction commits."""
    ids = sorted({int(pk) for pk in feedback_ids})
    if ids:
        transaction.on_commit(lambda: feedback_touched.send(sender=None, feedback_ids=ids))
