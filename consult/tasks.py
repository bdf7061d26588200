"""Celery tasks of the consult app: they take ids, call a service, and own their retries."""

from celery import shared_task

from consult import notifications
from consult.models import Feedback

RETRY = {"autoretry_for": (OSError,), "retry_backoff": 5, "retry_jitter": True, "max_retries": 6}


@shared_task(**RETRY)
def send_confirmation_request(feedback_id: int) -> bool:
    feedback = (
        Feedback.objects.select_related("draft").defer("draft__body").filter(pk=feedback_id).first()
    )
    if feedback is None or feedback.email_confirmed or feedback.is_removed:
        return False
    notifications.send_confirmation_request(feedback)
    return True


@shared_task(**RETRY)
def notify_followers(feedback_id: int) -> int:
    feedback = (
        Feedback.objects.select_related("draft").defer("draft__body").filter(pk=feedback_id).first()
    )
    if feedback is None or not feedback.is_public or feedback.is_removed:
        return 0
    return notifications.notify_followers(feedback)
