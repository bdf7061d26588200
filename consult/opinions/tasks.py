"""Celery tasks of agency opinions: the reminders before a request's deadline."""

from __future__ import annotations

from datetime import datetime, timedelta

from celery import shared_task
from django.utils import timezone

REMIND_DAYS = 3


@shared_task(name="consult.opinions.tasks.opinion_reminders", ignore_result=True)
def opinion_reminders(now: str | None = None) -> int:
    """Beat (hourly): remind the invited agencies' staff of the opinions still not submitted
    (Law 64/2025 Art. 30): once when the deadline is at most 3 days away ("3d"), once more on
    the deadline's day ("due"), in Asia/Ho_Chi_Minh days. `now` is an ISO datetime (default:
    the current time). Idempotent: every e-mail has its outbox key
    `opinion-reminder:<invitation>:<3d|due>:<user>`, so running again sends nothing twice.
    Returns the number of e-mails written."""
    from consult.opinions.models import OpinionInvitation
    from consult.opinions.notifications import send_reminder
    from consult.opinions.selectors import with_answer

    at = datetime.fromisoformat(now) if now else timezone.now()
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    today = timezone.localdate(at)
    invitations = (
        with_answer(
            OpinionInvitation.objects.filter(
                request__deadline__gte=at,
                request__deadline__lte=at + timedelta(days=REMIND_DAYS + 1),
            )
        )
        .filter(current_submission_id__isnull=True)
        .select_related("request__draft__agency", "agency")
        .defer("request__draft__body", "request__draft__summary")
    )
    written = 0
    for invitation in invitations:
        due_day = timezone.localdate(invitation.request.deadline)
        days_left = (due_day - today).days
        if days_left == 0:
            written += send_reminder(invitation, when="due")
        elif 0 < days_left <= REMIND_DAYS:
            written += send_reminder(invitation, when="3d", days_left=days_left)
    return written
