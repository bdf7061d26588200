"""Signals the reports room sends for work that rooms above it do (consult.notifications).

`report_published` is sent once the transaction that first published a draft's synthesis
report has committed, with `draft_id` (int). Publishing it again (a new introduction) sends
nothing. Receivers must be quick (queue a task); they never see uncommitted rows.
"""

from django.db import transaction
from django.dispatch import Signal

report_published = Signal()  # kwargs: draft_id (int)


def report_published_on_commit(draft_id: int) -> None:
    """Send `report_published` for this draft when the current transaction commits."""
    transaction.on_commit(lambda: report_published.send(sender=None, draft_id=draft_id))
