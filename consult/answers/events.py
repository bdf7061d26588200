"""Signals the answers room sends for work that other rooms do (accountability's figures).

`answering_changed` is sent once the transaction has committed, with the id of a draft whose
record of answering changed: an answer published, or revised once public, an author's rating
of an answer, the synthesis report published (consult.reports). Receivers must be quick (queue
a task); they never see uncommitted rows.
"""

from django.db import transaction
from django.dispatch import Signal

answering_changed = Signal()  # kwargs: draft_id (int)


def answering_changed_on_commit(draft_id: int) -> None:
    """Send `answering_changed` for this draft when the current transaction commits."""
    transaction.on_commit(lambda: answering_changed.send(sender=None, draft_id=draft_id))
