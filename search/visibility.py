"""Public search agrees with the database at the moment it answers, however far the index lags.

A comment is public when consult's rule says so (consult.feedback.counters.public_feedback_filter:
published, not removed, confirmed) and its draft is live. The index learns of a change only
when a Celery task has run; with the broker or the worker down that can be hours. So:

- The database engine checks the live rule itself: public queries leave out every entry whose
  comment is hidden now (`public_entries`). The hidden comments are few, and partial indexes
  (migration search 0002) list them, so the anti-join costs a few milliseconds whatever the
  number of matches, and hits, counts, facets and cursors are exact.
- The Elasticsearch engine cannot join. The transaction that hides a comment (moderation, a
  deletion) or a draft (unpublishing it) also writes a `search.HiddenSinceIndexed` row
  (`record_hidden`, from search.signals); public queries leave those ids and drafts out
  (`pending_exclusions`), and the hits returned are checked against the database once more
  (`visible_ids`) for any path that wrote no row. A row is deleted (`clear`) only once the index
  holds what the database said after the row was committed: its id is read before the
  comments are, and the write is refreshed before the row goes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q, QuerySet

# Ids sent to Elasticsearch as exclusions at most; beyond, the hits are still checked one by
# one (`visible_ids`) and only the counts may be off until the index catches up.
MAX_EXCLUDED = 10_000


def uses_elasticsearch() -> bool:
    return bool(settings.ELASTICSEARCH_URL)


# The database engine


def hidden_comment_ids() -> list[QuerySet]:
    """Subqueries of the ids of comments that are not public now: the negation of
    consult.feedback.counters.public_feedback_filter, split by table so each reads a partial
    index."""
    from consult.feedback.models import Feedback

    comment = Feedback._meta.get_field("is_public").model  # django_comments' own table
    return [
        comment.objects.order_by().filter(Q(is_public=False) | Q(is_removed=True)).values("pk"),
        Feedback.objects.order_by().filter(email_confirmed=False).values("pk"),
    ]


def hidden_draft_ids() -> QuerySet:
    """Drafts that are not live: none of their comments is public."""
    from drafts.models import DraftPage

    return DraftPage.objects.order_by().filter(live=False).values("pk")


def public_entries(entries: QuerySet) -> QuerySet:
    """`search.FeedbackEntry` rows that are public in the index and in the database now."""
    entries = entries.filter(public=True)
    for hidden in hidden_comment_ids():
        entries = entries.exclude(id__in=hidden)
    return entries.exclude(draft_id__in=hidden_draft_ids())


# The Elasticsearch engine


@dataclass(frozen=True)
class Exclusions:
    """What public Elasticsearch queries must leave out: comments and drafts hidden since
    the index last heard of them."""

    feedback_ids: list[int] = field(default_factory=list)
    draft_ids: list[int] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.feedback_ids or self.draft_ids)


def record_hidden(*, feedback_ids: Iterable[int] = (), draft_ids: Iterable[int] = ()) -> None:
    """Note, in the current transaction, that these comments or drafts are hidden now and the
    index may not know it yet. Only the Elasticsearch engine needs it."""
    from search.models import HiddenSinceIndexed

    if not uses_elasticsearch():
        return
    rows = [HiddenSinceIndexed(feedback_id=int(pk)) for pk in set(feedback_ids)]
    rows += [HiddenSinceIndexed(draft_id=int(pk)) for pk in set(draft_ids)]
    if rows:
        HiddenSinceIndexed.objects.bulk_create(rows)


def pending_exclusions() -> Exclusions:
    """The comments and drafts hidden since the index last heard of them (MAX_EXCLUDED ids at
    most, the newest first)."""
    from search.models import HiddenSinceIndexed

    rows = HiddenSinceIndexed.objects.order_by("-id").values_list("feedback_id", "draft_id")
    feedback_ids, draft_ids = set(), set()
    for feedback_id, draft_id in rows[:MAX_EXCLUDED]:
        if feedback_id is not None:
            feedback_ids.add(feedback_id)
        if draft_id is not None:
            draft_ids.add(draft_id)
    return Exclusions(feedback_ids=sorted(feedback_ids), draft_ids=sorted(draft_ids))


def visible_ids(feedback_ids: Iterable[int]) -> set[int]:
    """Those of these comments the public may see now, by the database."""
    from consult.feedback.counters import public_feedback_filter
    from consult.feedback.models import Feedback

    ids = {int(pk) for pk in feedback_ids}
    if not ids:
        return set()
    return set(
        Feedback.objects.order_by()
        .filter(public_feedback_filter(), draft__live=True, pk__in=ids)
        .values_list("pk", flat=True)
    )


def pending_marks(
    *, feedback_ids: Iterable[int] = (), draft_ids: Iterable[int] = (), everything=False
) -> list[int]:
    """The ids of the committed rows about these comments or drafts (or all of them), read
    BEFORE the comments are read for indexing: what `clear` may delete afterwards."""
    from search.models import HiddenSinceIndexed

    rows = HiddenSinceIndexed.objects.order_by()
    if not everything:
        feedback_ids, draft_ids = list(feedback_ids), list(draft_ids)
        if not feedback_ids and not draft_ids:
            return []
        rows = rows.filter(Q(feedback_id__in=feedback_ids) | Q(draft_id__in=draft_ids))
    return list(rows.values_list("pk", flat=True))


def clear(marks: Iterable[int]) -> None:
    """Delete these rows: the index holds what the database said after they were written."""
    from search.models import HiddenSinceIndexed

    marks = list(marks)
    for start in range(0, len(marks), 1000):
        HiddenSinceIndexed.objects.filter(pk__in=marks[start : start + 1000]).delete()
