"""E-mails of answers: telling the authors of the comments an answer covers (through the outbox)."""

from django.urls import reverse
from wagtail import hooks

from consult.answers.tokens import satisfaction_token
from consult.feedback.notifications import absolute_url, mail_preferences, outbox_message
from econsult.outbox.services import outbox_send

# Rooms that tell of an answer themselves: a function registered under this Wagtail hook takes
# (response, comments) and returns the ids of the comments whose news it sent itself (consult.
# opinions: one notice per answer to the invited agency's staff, without the satisfaction
# link, for the parts of an official opinion); those comments' authors get no e-mail from here.
ANSWERED_NOTICE_HOOK = "answers_answered_notice"


def notify_answered(response) -> int:
    """Tell the authors of the comments a published response covers that they have an answer,
    with a signed link to say whether it satisfied them, unless they turned answer e-mails off
    or a room told of it itself (ANSWERED_NOTICE_HOOK); returns the number of e-mails written
    here (0 for those already written for this response)."""
    covered = list(response.feedback.filter(is_public=True, is_removed=False).order_by("pk"))
    told: set[int] = set()
    for notice in hooks.get_hooks(ANSWERED_NOTICE_HOOK):
        told |= set(notice(response, covered))
    covered = [f for f in covered if f.user_email and f.pk not in told]
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
