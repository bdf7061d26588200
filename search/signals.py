"""Signal handlers that queue indexing, connected from SearchConfig.ready().

Consult sends `feedback_touched` once its transaction has committed; a draft's publication
decides whether its comments are public, so publishing and unpublishing reindex them too.
Queueing never fails the request that caused it: a comment is saved whether or not the broker
(or, with eager tasks, the search engine) answers, and `search_reconcile --repair` catches up.

Until it does, public search must not show what the database hides (search.visibility): in the
transaction that hides a comment or a draft, the handlers below note it for the Elasticsearch
engine, and delete a deleted comment's entry of the database engine at once.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished

from consult.feedback.events import feedback_touched
from econsult.queueing import enqueue
from search import tasks, visibility

REPAIR = "`manage.py search_reconcile --repair` will index it"


def index_touched_feedback(sender, feedback_ids, **kwargs) -> None:
    for batch in tasks.batches(sorted(set(feedback_ids))):
        enqueue(tasks.index_feedback, batch, consequence=REPAIR)


def index_draft_feedback(sender, instance, **kwargs) -> None:
    """Publishing or unpublishing a draft changes whether its comments are public."""
    from consult.feedback.models import Feedback

    draft_id = instance.pk

    def queue():
        if Feedback.objects.filter(draft_id=draft_id).exists():
            enqueue(tasks.index_draft, draft_id, consequence=REPAIR)

    transaction.on_commit(queue)


def note_hidden_feedback(sender, instance, raw=False, **kwargs) -> None:
    """A comment saved hidden (removed, rejected, waiting): the index may still show it."""
    from consult.feedback.counters import public_feedback_filter

    if raw or not visibility.uses_elasticsearch():
        return
    if not sender.objects.filter(public_feedback_filter(), pk=instance.pk).exists():
        visibility.record_hidden(feedback_ids=[instance.pk])


def note_deleted_feedback(sender, instance, **kwargs) -> None:
    """A deleted comment leaves public search now: the database engine's entry goes in the
    same transaction, the Elasticsearch engine excludes it until the index task confirms."""
    from search.models import FeedbackEntry

    if visibility.uses_elasticsearch():
        visibility.record_hidden(feedback_ids=[instance.pk])
    else:
        FeedbackEntry.objects.filter(id=instance.pk).delete()


def note_hidden_draft(sender, instance, **kwargs) -> None:
    """An unpublished or deleted draft: none of its comments is public any more."""
    visibility.record_hidden(draft_ids=[instance.pk])


def connect() -> None:
    from consult.feedback.models import Feedback
    from drafts.models import DraftPage

    post_save.connect(note_hidden_feedback, sender=Feedback, dispatch_uid="search_hidden_saved")
    post_delete.connect(
        note_deleted_feedback, sender=Feedback, dispatch_uid="search_hidden_deleted"
    )
    page_unpublished.connect(
        note_hidden_draft, sender=DraftPage, dispatch_uid="search_hidden_draft_unpublished"
    )
    post_delete.connect(
        note_hidden_draft, sender=DraftPage, dispatch_uid="search_hidden_draft_deleted"
    )

    feedback_touched.connect(index_touched_feedback, dispatch_uid="search_index_feedback")
    page_published.connect(
        index_draft_feedback, sender=DraftPage, dispatch_uid="search_index_draft_published"
    )
    page_unpublished.connect(
        index_draft_feedback, sender=DraftPage, dispatch_uid="search_index_draft_unpublished"
    )
