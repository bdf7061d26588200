"""Celery tasks of notifications: they take ids (and ISO times), call a service, own retries.

Fan-out never makes one giant task: an event's task walks its followers by id and queues one
`follow_batch` per BATCH_SIZE followers (a few integers each); the digest queues one
`digest_batch` per DIGEST_BATCH_SIZE staff (their ids). Each batch writes its e-mails to the
outbox under keys, so a batch run again (a retry, a redelivery) e-mails nobody twice.

Beat runs `closing_soon` every hour and `staff_digest` at 07:00 Asia/Ho_Chi_Minh; tests call
them with a chosen `now` (ISO 8601).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from celery import shared_task
from django.db import IntegrityError, transaction
from django.utils import timezone

from consult.notifications import digest, services
from consult.notifications.models import Dispatch, Kind
from drafts.models import DraftPage

RETRY = {"autoretry_for": (OSError,), "retry_backoff": 5, "retry_jitter": True, "max_retries": 6}
CLOSING_NOTICE = timedelta(days=3)


def _moment(now: str | None) -> datetime:
    if not now:
        return timezone.now()
    moment = datetime.fromisoformat(now)
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


@shared_task(name="consult.notifications.tasks.follow_event", ignore_result=True, **RETRY)
def follow_event(kind: str, object_id: int) -> int:
    """Queue one `follow_batch` per BATCH_SIZE followers of the event; returns how many."""
    event = services.event_load(kind, object_id)
    if event is None:
        return 0
    batches = 0
    for after, upto in services.follower_ranges(event):
        follow_batch.delay(kind, object_id, after, upto)
        batches += 1
    return batches


@shared_task(name="consult.notifications.tasks.follow_batch", ignore_result=True, **RETRY)
def follow_batch(kind: str, object_id: int, after: int, upto: int) -> int:
    """Write the event's e-mails to the followers with a follow id in (after, upto]; returns
    how many were new."""
    event = services.event_load(kind, object_id)
    if event is None:
        return 0
    return services.event_batch_send(event, after=after, upto=upto)


@shared_task(name="consult.notifications.tasks.closing_soon", ignore_result=True, **RETRY)
def closing_soon(now: str | None = None) -> list[int]:
    """Fan out "closes in 3 days" for each open, live consultation that closes within
    CLOSING_NOTICE of `now` (default: the current time) and was not fanned out before for its
    present closing time (a closing date changed after the notice gives a new one); returns the
    drafts' ids. Beat runs it every hour."""
    moment = _moment(now)
    drafts = (
        DraftPage.objects.live()
        .public()
        .filter(opens_at__lte=moment, closes_at__gt=moment, closes_at__lte=moment + CLOSING_NOTICE)
    )
    done = set(Dispatch.objects.filter(kind=Kind.CLOSING).values_list("object_id", "closes_at"))
    fanned = []
    for draft_id, closes_at in drafts.order_by("closes_at", "pk").values_list("pk", "closes_at"):
        if (draft_id, closes_at) in done:
            continue
        try:
            with transaction.atomic():
                Dispatch.objects.create(kind=Kind.CLOSING, object_id=draft_id, closes_at=closes_at)
        except IntegrityError:
            continue  # another run took it
        try:
            follow_event.delay(Kind.CLOSING, draft_id)
        except Exception:
            Dispatch.objects.filter(
                kind=Kind.CLOSING, object_id=draft_id, closes_at=closes_at
            ).delete()
            raise  # the next run tries again
        fanned.append(draft_id)
    return fanned


@shared_task(name="consult.notifications.tasks.staff_digest", ignore_result=True, **RETRY)
def staff_digest(now: str | None = None) -> int:
    """Queue one `digest_batch` per DIGEST_BATCH_SIZE agency staff, for the 24 hours before
    `now` (default: the current time); returns how many batches."""
    moment = _moment(now).isoformat()
    batches = 0
    batch: list[int] = []
    for user_id in digest.digest_recipients().iterator(chunk_size=2000):
        batch.append(user_id)
        if len(batch) == digest.DIGEST_BATCH_SIZE:
            digest_batch.delay(batch, moment)
            batches += 1
            batch = []
    if batch:
        digest_batch.delay(batch, moment)
        batches += 1
    return batches


@shared_task(name="consult.notifications.tasks.digest_batch", ignore_result=True, **RETRY)
def digest_batch(user_ids: list[int], now: str) -> int:
    """Write the digests of these staff; returns how many were new."""
    return digest.digest_batch_send(user_ids, now=_moment(now))
