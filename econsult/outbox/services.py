"""Writing e-mails to the outbox and draining it.

Guarantees:

- An e-mail is a row (`post_office.models.Email`) written in the caller's transaction: it
  exists exactly when the change that caused it was committed, whatever the broker does.
- `outbox_send` with a `key` writes at most one row per key (a unique constraint), so a task
  that is retried, or a service that runs twice, does not e-mail anyone twice.
- `outbox_drain` claims each due row with one conditional UPDATE (a lease) before sending it,
  so two drains running at the same time, on one host or several, never send the same row;
  a row whose drain died mid-send becomes due again when its lease ends (`OUTBOX_LEASE_SECONDS`).
- A failed send is retried with exponential back-off (`OUTBOX_RETRY_SECONDS` doubled at each
  try, at most `OUTBOX_RETRY_MAX_SECONDS`) up to `OUTBOX_MAX_RETRIES` times, then marked failed.

Rows are written here rather than through `post_office.mail.send`, which renders the subject
and body as Django templates once more: a comment quoted in an e-mail that contains ``{{`` or
``{%`` would be altered or make the send fail.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from post_office.connections import connections
from post_office.models import PRIORITY, STATUS, Email, Log
from post_office.settings import get_default_mailer

from econsult.outbox.models import OutboxKey
from econsult.queueing import enqueue

logger = logging.getLogger("econsult.outbox")

DUE_STATUSES = (STATUS.queued, STATUS.requeued)


@dataclass(frozen=True)
class Message:
    """One e-mail to write to the outbox: plain text, optional HTML, one or more recipients.

    `key` names the (recipient, event) it is for; None for e-mails that carry no such identity
    (an account's verification mail, written through the e-mail backend).
    """

    to: tuple[str, ...]
    subject: str
    body: str
    key: str | None = None
    html: str = ""
    from_email: str = ""
    cc: tuple[str, ...] = ()
    bcc: tuple[str, ...] = ()
    headers: dict | None = None


@dataclass(frozen=True)
class DrainResult:
    """What one drain did: e-mails sent, put back for a later try, and given up on."""

    sent: int = 0
    requeued: int = 0
    failed: int = 0


def _row(message: Message) -> Email:
    return Email(
        from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
        to=list(message.to),
        cc=list(message.cc),
        bcc=list(message.bcc),
        subject=message.subject[:989],
        message=message.body,
        html_message=message.html,
        headers=message.headers or None,
        priority=PRIORITY.medium,
        status=STATUS.queued,
    )


def outbox_send(messages: Iterable[Message]) -> list[Email]:
    """Write `messages` to the outbox in the current transaction and drain once it commits.

    Messages whose key is already in the outbox (sent or not) are skipped. Returns the rows
    written. Raises nothing for a duplicate key, even one written at the same moment by
    another transaction.
    """
    messages = list(messages)
    keys = [m.key for m in messages if m.key]
    taken = set(OutboxKey.objects.filter(key__in=keys).values_list("key", flat=True))
    fresh: list[Message] = []
    for message in messages:
        if message.key and message.key in taken:
            continue
        if message.key:
            taken.add(message.key)
        fresh.append(message)
    if not fresh:
        return []
    try:
        with transaction.atomic():
            rows = _write(fresh)
    except IntegrityError:
        # Another transaction wrote one of these keys in the meantime: one at a time.
        rows = []
        for message in fresh:
            try:
                with transaction.atomic():
                    rows += _write([message])
            except IntegrityError:
                logger.info("e-mail %s is already in the outbox", message.key)
    if rows:
        drain_on_commit()
    return rows


def _write(messages: list[Message]) -> list[Email]:
    if len(messages) == 1:
        rows = [_row(messages[0])]
        rows[0].save()
    else:
        rows = Email.objects.bulk_create([_row(m) for m in messages])
    OutboxKey.objects.bulk_create(
        OutboxKey(key=m.key, email=row) for m, row in zip(messages, rows, strict=True) if m.key
    )
    return rows


def drain_on_commit() -> None:
    """Queue the drain task once the current transaction commits. If the broker is down the
    rows wait for beat's next drain; with eager tasks (the embedded default) they go at once."""
    from econsult.outbox import tasks

    transaction.on_commit(
        lambda: enqueue(tasks.outbox_drain, consequence="e-mail sent by beat's next drain")
    )


def _due(now) -> Q:
    return (
        Q(status__in=DUE_STATUSES)
        & (Q(scheduled_time__isnull=True) | Q(scheduled_time__lte=now))
        & (Q(expires_at__isnull=True) | Q(expires_at__gt=now))
    )


def _claim(pk: int, now) -> bool:
    """Take the row for this drain: its scheduled time moves past the lease, in one UPDATE
    whose condition another drain's UPDATE no longer meets."""
    lease = timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
    return bool(Email.objects.filter(_due(now), pk=pk).update(scheduled_time=now + lease))


def retry_delay(tries: int) -> timedelta:
    """Back-off before try number `tries + 1`: OUTBOX_RETRY_SECONDS * 2**tries, capped."""
    seconds = settings.OUTBOX_RETRY_SECONDS * 2**tries
    return timedelta(seconds=min(seconds, settings.OUTBOX_RETRY_MAX_SECONDS))


def outbox_drain(*, batch: int = 100, limit: int | None = None) -> DrainResult:
    """Send every due e-mail of the outbox, `batch` rows at a time, each at most once.

    `limit` caps the number of rows tried in this call (None: until none is due). A send that
    raises is logged on the row (post_office's Log) and the row requeued with back-off.
    """
    sent = requeued = failed = 0
    tried = 0
    try:
        while limit is None or tried < limit:
            now = timezone.now()
            size = batch if limit is None else min(batch, limit - tried)
            due = list(
                Email.objects.filter(_due(now)).order_by("pk").values_list("pk", flat=True)[:size]
            )
            if not due:
                break
            tried += len(due)
            claimed = [pk for pk in due if _claim(pk, now)]
            for email in Email.objects.filter(pk__in=claimed).prefetch_related("attachments"):
                outcome = _send_one(email)
                sent += outcome == STATUS.sent
                requeued += outcome == STATUS.requeued
                failed += outcome == STATUS.failed
    finally:
        connections.close()  # an SMTP connection must not idle in the worker until the next drain
    return DrainResult(sent=sent, requeued=requeued, failed=failed)


def _send_one(email: Email) -> int:
    try:
        message = email.email_message()
        if message.recipients():
            connections[email.backend_alias or get_default_mailer()].send_messages([message])
    except Exception as exc:
        logger.warning("e-mail #%s to %s not sent: %s: %s", email.pk, email.to, type(exc), exc)
        tries = email.number_of_retries or 0
        if tries < settings.OUTBOX_MAX_RETRIES:
            status, scheduled = STATUS.requeued, timezone.now() + retry_delay(tries)
        else:
            status, scheduled = STATUS.failed, None
        Email.objects.filter(pk=email.pk).update(
            status=status,
            number_of_retries=tries + 1,
            scheduled_time=scheduled,
            last_updated=timezone.now(),
        )
        Log.objects.create(
            email=email,
            status=STATUS.failed,
            message=str(exc)[:2000],
            exception_type=type(exc).__name__,
        )
        return status
    # The lease is dropped: the admin's "requeue" makes the row due at once.
    Email.objects.filter(pk=email.pk).update(
        status=STATUS.sent, scheduled_time=None, last_updated=timezone.now()
    )
    Log.objects.create(email=email, status=STATUS.sent)
    return STATUS.sent
