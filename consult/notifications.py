"""E-mails about feedback, in the language its author used; sent from Celery tasks only."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from consult.models import Feedback


def _absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _send(*, to: str, template: str, context: dict, language: str) -> None:
    with translation.override(language if language in dict(settings.LANGUAGES) else "vi"):
        subject = render_to_string(f"consult/email/{template}_subject.txt", context).strip()
        text = render_to_string(f"consult/email/{template}.txt", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [to])
    message.send()


def send_confirmation_request(feedback: Feedback) -> None:
    from consult.services import confirmation_token

    url = _absolute(reverse("consult:confirm", args=[confirmation_token(feedback)]))
    _send(
        to=feedback.user_email,
        template="confirm_request",
        context={"feedback": feedback, "draft": feedback.draft, "confirm_url": url},
        language=feedback.language,
    )


def notify_followers(feedback: Feedback) -> int:
    """Tell the people who follow a thread (followup ticked) about a new published reply."""
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
    thread_url = _absolute(reverse("consult:feedback", args=[feedback.pk]))
    sent = 0
    for email, language in {email: language for email, language in followers}.items():
        _send(
            to=email,
            template="new_reply",
            context={"feedback": feedback, "draft": feedback.draft, "thread_url": thread_url},
            language=language,
        )
        sent += 1
    return sent


def notify_answered(response) -> int:
    """Tell the authors of the comments a published response covers that they have an answer,
    with a signed link to say whether it satisfied them."""
    from consult.responses import satisfaction_token

    covered = (
        response.feedback.filter(is_public=True, is_removed=False)
        .exclude(user_email="")
        .order_by("pk")
    )
    sent = 0
    for feedback in covered:
        _send(
            to=feedback.user_email,
            template="answered",
            context={
                "feedback": feedback,
                "response": response,
                "draft": response.draft,
                "thread_url": _absolute(reverse("consult:feedback", args=[feedback.pk])),
                "satisfaction_url": _absolute(
                    reverse("consult:satisfaction", args=[satisfaction_token(feedback)])
                ),
            },
            language=feedback.language,
        )
        sent += 1
    return sent
