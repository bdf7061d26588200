"""Celery tasks of answers: the e-mail to the authors of the comments an answer covers.

Each task keeps the name it had before consult/ was split into rooms (`consult.tasks.…`),
so messages queued and beat entries written by an earlier release still find it.
"""

from celery import shared_task

from consult.answers import notifications
from consult.feedback.tasks import RETRY


@shared_task(name="consult.tasks.notify_answered", **RETRY)
def notify_answered(response_id: int) -> int:
    """E-mail the authors of the comments a published response answers."""
    from consult.answers.models import Response

    response = Response.objects.select_related("draft").filter(pk=response_id).first()
    if response is None or not response.is_published:
        return 0
    return notifications.notify_answered(response)
