"""E-mails of answers: telling the authors of the comments an answer covers (through the outbox)."""

from django.urls import reverse

from consult.answers.tokens import satisfaction_token
from consult.feedback.notifications import absolute_url, outbox_message
from econsult.outbox.services import outbox_send


def notify_answered(response) -> int:
    """Tell the authors of the comments a published response covers that they have an answer,
    with a signed link to say whether it satisfied them; returns the number of e-mails written
    (0 for those already written for this response)."""
    covered = (
        response.feedback.filter(is_public=True, is_removed=False)
        .exclude(user_email="")
        .order_by("pk")
    )
    messages = [
        outbox_message(
            key=f"answered:{response.pk}:{feedback.pk}",
            to=feedback.user_email,
            template="answers/email/answered",
            context={
                "feedback": feedback,
                "response": response,
                "draft": response.draft,
                "thread_url": absolute_url(reverse("feedback:feedback", args=[feedback.pk])),
                "satisfaction_url": absolute_url(
                    reverse("answers:satisfaction", args=[satisfaction_token(feedback)])
                ),
            },
            language=feedback.language,
        )
        for feedback in covered
    ]
    return len(outbox_send(messages))
