"""Signal handlers that queue indexing, connected from SearchConfig.ready().

Consult sends `feedback_touched` once its transaction has committed; a draft's publication
decides whether its comments are public, so publishing and unpublishing reindex them too.
Queueing never fails the request that caused it: a comment is saved whether or not the broker
(or, with eager tasks, the search engine) answers, and `search_reconcile --repair` catches up.
"""

from __future__ import annotations

from django.db import transaction
from wagtail.signals import page_published, page_unpublished

from consult.events import feedback_touched
from econsult.queueing import enqueue
from search import tasks

REPAIR = "`manage.py search_reconcile --repair` will index it"


def index_touched_feedback(sender, feedback_ids, **kwargs) -> None:
    for batch in tasks.batches(sorted(set(feedback_ids))):
        enqueue(tasks.index_feedback, batch, consequence=REPAIR)


def index_draft_feedback(sender, instance, **kwargs) -> None:
    """Publishing or unpublishing a draft changes whether its comments are public."""
    from consult.models import Feedback

    draft_id = instance.pk

    def queue():
        if Feedback.objects.filter(draft_id=draft_id).exists():
            enqueue(tasks.index_draft, draft_id, consequence=REPAIR)

    transaction.on_commit(queue)


def connect() -> None:
    from drafts.models import DraftPage

    feedback_touched.connect(index_touched_feedback, dispatch_uid="search_index_feedback")
    page_published.connect(
        index_draft_feedback, sender=DraftPage, dispatch_uid="search_index_draft_published"
    )
    page_unpublished.connect(
        index_draft_feedback, sender=DraftPage, dispatch_uid="search_index_draft_unpublished"
    )
