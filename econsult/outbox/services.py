"""Writing e-mails to the outbox; draining it is in econsult/outbox/drain.py.

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

from django.conf import settings
from django.db import IntegrityError, transaction
from post_office.models import PRIORITY, STATUS, Email

from econsult.outbox.models import OutboxKey
from econsult.queueing import enqueue

logger = logging.getLogger("econsult.outbox")


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
