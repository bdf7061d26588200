"""E-mails about feedback, in the language its author used.

They are written to the outbox (`econsult.outbox`) in the transaction of the change that
causes them, each under a key naming its (recipient, event): calling a function here again for
the same event, from a retried task or a repeated service, e-mails nobody twice.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from consult.feedback.models import Feedback
from consult.feedback.tokens import confirmation_token
from econsult.outbox.services import Message, outbox_send


def absolute_url(path: str) -> str:
    """`path` ("/gop-y/12/") under the one configured public base URL, WAGTAILADMIN_BASE_URL
    ("https://thamvan.example.gov.vn"; `make demo PORT=…` sets it): every link in an e-mail
    or an export is built here, never from a request's or the Wagtail site's host."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def outbox_message(*, key: str, to: str, template: str, context: dict, language: str) -> Message:
    with translation.override(language if language in dict(settings.LANGUAGES) else "vi"):
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        text = render_to_string(f"{template}.txt", context)
    return Message(to=(to,), subject=" ".join(subject.split()), body=text, key=key)


def send_confirmation_request(feedback: Feedback) -> int:
    """Write the e-mail with the confirmation link of a comment posted without an account;
    returns 1, or 0 if it was already written."""

    url = absolute_url(reverse("feedback:confirm", args=[confirmation_token(feedback)]))
    message = outbox_message(
        key=f"confirm:{feedback.pk}",
        to=feedback.user_email,
        template="feedback/email/confirm_request",
        context={"feedback": feedback, "draft": feedback.draft, "confirm_url": url},
        language=feedback.language,
    )
    return len(outbox_send([message]))


def notify_followers(feedback: Feedback) -> int:
    """Tell the people who follow a thread (followup ticked) about a new published reply;
    returns the number of e-mails written (0 for those already written for this reply)."""
    if feedback.level == 0:
        return 0
    followers = (
        Feedback.objects.filter(
            thread_id=feedback.thread_id, followup=True, is_public=True, is_removed=False
        )
        .exclude(user_email=feedback.user_email)
        .exclude(user_email="")
        .values_list("user_email", "language")
        .distinct()
    )
    thread_url = absolute_url(reverse("feedback:feedback", args=[feedback.pk]))
    messages = [
        outbox_message(
            key=f"reply:{feedback.pk}:{email.lower()}",
            to=email,
            template="feedback/email/new_reply",
            context={"feedback": feedback, "draft": feedback.draft, "thread_url": thread_url},
            language=language,
        )
        for email, language in {email: language for email, language in followers}.items()
    ]
    return len(outbox_send(messages))
