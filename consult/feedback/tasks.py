"""Celery tasks of feedback: they take ids, call a service, and own their retries.

The e-mail tasks write to the outbox (`econsult.outbox`), one row per recipient and event, so
running one again (a retry, an operator re-sending) e-mails nobody twice. The services write
the same rows in their own transactions; these tasks are there to write them again by hand.

Each task keeps the name it had before consult/ was split into rooms (`consult.tasks.…`),
so messages queued and beat entries written by an earlier release still find it.
"""

from celery import shared_task

from consult.feedback import notifications
from consult.feedback.models import Feedback

RETRY = {"autoretry_for": (OSError,), "retry_backoff": 5, "retry_jitter": True, "max_retries": 6}


@shared_task(name="consult.tasks.send_confirmation_request", **RETRY)
def send_confirmation_request(feedback_id: int) -> bool:
    """Write the confirmation e-mail of a comment posted without an account, if it still
    waits for one; True if the comment does (the e-mail is written at most once)."""
    feedback = (
        Feedback.objects.select_related("draft").defer("draft__body").filter(pk=feedback_id).first()
    )
    if feedback is None or feedback.email_confirmed or feedback.is_removed:
        return False
    notifications.send_confirmation_request(feedback)
    return True


@shared_task(name="consult.tasks.notify_followers", **RETRY)
def notify_followers(feedback_id: int) -> int:
    """Write the e-mails telling a thread's followers of a published reply; returns how many
    were new."""
    feedback = (
        Feedback.objects.select_related("draft").defer("draft__body").filter(pk=feedback_id).first()
    )
    if feedback is None or not feedback.is_public or feedback.is_removed:
        return 0
    return notifications.notify_followers(feedback)
