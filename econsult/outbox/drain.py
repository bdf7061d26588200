"""Draining the outbox: sending the e-mails that are due, each claimed first (see
econsult/outbox/services.py for the guarantees). Run by the `outbox_drain` task, by beat and by
the `outbox_drain` command."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from post_office.connections import connections
from post_office.models import STATUS, Email, Log
from post_office.settings import get_default_mailer

DUE_STATUSES = (STATUS.queued, STATUS.requeued)

logger = logging.getLogger("econsult.outbox")


@dataclass(frozen=True)
class DrainResult:
    """What one drain did: e-mails sent, put back for a later try, and given up on."""

    sent: int = 0
    requeued: int = 0
    failed: int = 0


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
