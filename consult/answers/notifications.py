"""E-mails of answers: telling the authors of the comments an answer covers (through the outbox)."""

from django.urls import reverse

from consult.answers.tokens import satisfaction_token
from consult.feedback.notifications import absolute_url, mail_preferences, outbox_message
from econsult.outbox.services import outbox_send


def notify_answered(response) -> int:
    """Tell the authors of the comments a published response covers that they have an answer,
    with a signed link to say whether it satisfied them, unless they turned answer e-mails off;
    returns the number of e-mails written (0 for those already written for this response)."""
    covered = list(
        response.feedback.filter(is_public=True, is_removed=False)
        .exclude(user_email="")
        .order_by("pk")
    )
    wanted = mail_preferences("answer", (feedback.user_email for feedback in covered))
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
            unsubscribe_url=wanted[feedback.user_email.lower()],
        )
        for feedback in covered
        if feedback.user_email.lower() in wanted
    ]
    return len(outbox_send(messages))
