"""Celery tasks of the consult app: they take ids, call a service, and own their retries.

The e-mail tasks write to the outbox (`econsult.outbox`), one row per recipient and event, so
running one again (a retry, an operator re-sending) e-mails nobody twice. The services write
the same rows in their own transactions; these tasks are there to write them again by hand.
"""

from celery import shared_task
from django.db import DatabaseError

from consult import notifications
from consult.models import Feedback

RETRY = {"autoretry_for": (OSError,), "retry_backoff": 5, "retry_jitter": True, "max_retries": 6}


@shared_task(**RETRY)
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


@shared_task(**RETRY)
def notify_followers(feedback_id: int) -> int:
    """Write the e-mails telling a thread's followers of a published reply; returns how many
    were new."""
    feedback = (
        Feedback.objects.select_related("draft").defer("draft__body").filter(pk=feedback_id).first()
    )
    if feedback is None or not feedback.is_public or feedback.is_removed:
        return 0
    return notifications.notify_followers(feedback)


@shared_task(**RETRY)
def notify_answered(response_id: int) -> int:
    """E-mail the authors of the comments a published response answers."""
    from consult.models import Response

    response = Response.objects.select_related("draft").filter(pk=response_id).first()
    if response is None or not response.is_published:
        return 0
    return notifications.notify_answered(response)


@shared_task(autoretry_for=(DatabaseError,), retry_backoff=5, retry_jitter=True, max_retries=5)
def draft_figures_refresh(draft_id: int) -> None:
    """Recompute one draft's accountability figures (answers, delays, satisfaction)."""
    from consult.accountability import draft_figures_refresh as refresh

    refresh(draft_id=draft_id)


@shared_task
def draft_figures_refresh_active() -> int:
    """Every few minutes (beat): queue a refresh of each draft whose figures still move,
    since a new comment changes a draft's figures without any answer event."""
    from consult.accountability import active_draft_ids

    draft_ids = active_draft_ids()
    for draft_id in draft_ids:
        draft_figures_refresh.delay(draft_id)
    return len(draft_ids)


@shared_task(acks_late=False)
def build_report_export(export_id: int) -> str | None:
    """Write one export of a synthesis report; it records its own failure, so no retries
    (acknowledged on receipt: a build killed half-way is not started over by another worker,
    it is failed by `report_exports_reap` once its heartbeat stops)."""
    from consult.report_exports import report_export_build

    export = report_export_build(export_id=export_id)
    return export.status if export else None


@shared_task
def report_exports_reap() -> int:
    """Every REPORT_EXPORT_STALE_SECONDS / 2 at most (beat): fail the exports whose worker
    died, removing their temporary files; returns how many."""
    from consult.report_exports import report_exports_reap as reap

    return reap()
