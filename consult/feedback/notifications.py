"""E-mails about feedback, in the language its author used.

They are written to the outbox (`econsult.outbox`) in the transaction of the change that
causes them, each under a key naming its (recipient, event): calling a function here again for
the same event, from a retried task or a repeated service, e-mails nobody twice.
"""

from collections.abc import Iterable

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from wagtail import hooks

from consult.feedback.models import Feedback
from consult.feedback.tokens import confirmation_token
from econsult.outbox.services import Message, outbox_send


def absolute_url(path: str) -> str:
    """`path` ("/gop-y/12/") under the one configured public base URL, WAGTAILADMIN_BASE_URL
    ("https://thamvan.example.gov.vn"; `make demo PORT=…` sets it): every link in an e-mail
    or an export is built here, never from a request's or the Wagtail site's host."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


# Who still wants which e-mails, and the one-click link to stop them, are the business of
# consult.notifications, above this room: it answers through this hook, a function called as
# `hook(kind=, addresses=)` ("answer", "reply", …; addresses lower-cased) that returns
# {address: unsubscribe URL} for the addresses that still receive `kind`; an address missing
# from the answer has turned that kind of e-mail off.
MAIL_PREFERENCES_HOOK = "mail_preferences"


# Whether the author of a comment asked for news of its draft otherwise than by ticking the
# followup box (consult.notifications: they follow the draft or its agency): a function called
# as `hook(draft=, user_ids=)` returning the set of those user ids who did.
REPLY_INTEREST_HOOK = "reply_interest"


def reply_interest(*, draft, user_ids: list[int]) -> set[int]:
    """Those of `user_ids` who asked for news of `draft` (the `REPLY_INTEREST_HOOK` hooks)."""
    interested: set[int] = set()
    for hook in hooks.get_hooks(REPLY_INTEREST_HOOK):
        interested |= set(hook(draft=draft, user_ids=user_ids))
    return interested


def mail_preferences(kind: str, addresses: Iterable[str]) -> dict[str, str]:
    """{address (lower-cased): unsubscribe URL, or ""} for those of `addresses` who still
    receive e-mails of `kind`, as the `MAIL_PREFERENCES_HOOK` hooks say (all of them, without
    links, when no hook is registered)."""
    wanted = {address.lower(): "" for address in addresses if address}
    for hook in hooks.get_hooks(MAIL_PREFERENCES_HOOK):
        answer = hook(kind=kind, addresses=list(wanted))
        wanted = {
            address: answer[address] or url for address, url in wanted.items() if address in answer
        }
    return wanted


def unsubscribe_headers(url: str) -> dict:
    """The one-click unsubscribe headers of RFC 8058 for `url` (empty without a URL)."""
    if not url:
        return {}
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def email_render(template: str, context: dict, language: str) -> tuple[str, str]:
    """(subject on one line, text) of `template` (`<template>_subject.txt` and
    `<template>.txt`) rendered with `context` in `language` (Vietnamese when it is not one of
    LANGUAGES). Batches render once per language and fill each recipient's part in after."""
    with translation.override(language if language in dict(settings.LANGUAGES) else "vi"):
        subject = render_to_string(f"{template}_subject.txt", context)
        text = render_to_string(f"{template}.txt", context)
    return " ".join(subject.split()), text


def outbox_message(
    *,
    key: str,
    to: str,
    template: str,
    context: dict,
    language: str,
    unsubscribe_url: str = "",
) -> Message:
    """One e-mail rendered from `template` (`<template>_subject.txt` and `<template>.txt`) in
    `language` (Vietnamese when it is not one of LANGUAGES). With `unsubscribe_url` the text
    gets it as `unsubscribe_url` and the message carries the List-Unsubscribe headers."""
    if unsubscribe_url:
        context = {**context, "unsubscribe_url": unsubscribe_url}
    subject, text = email_render(template, context, language)
    return Message(
        to=(to,),
        subject=subject,
        body=text,
        key=key,
        headers=unsubscribe_headers(unsubscribe_url) or None,
    )


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
    """Tell the people who follow a thread (followup ticked on one of its published comments)
    about a new published reply, and the author of the comment replied to if they follow its
    draft or agency (consult.notifications) though they did not tick the box; never those who
    turned reply e-mails off. An author who neither ticked the box nor follows the draft said
    no and hears nothing. Returns the number of e-mails written (0 for those already written
    for this reply)."""
    if feedback.level == 0:
        return 0
    published = Feedback.objects.filter(is_public=True, is_removed=False).exclude(user_email="")
    followers = published.filter(thread_id=feedback.thread_id, followup=True).order_by("pk")
    parent = published.filter(pk=feedback.parent_id).values_list(
        "user_email", "language", "user_id", "followup"
    )
    parent_address = ""
    recipients: dict[str, tuple[str, str]] = {}  # lower-cased address → (address, language)
    for email, language, user_id, followup in parent:
        if followup or (
            user_id and user_id in reply_interest(draft=feedback.draft, user_ids=[user_id])
        ):
            parent_address = email.lower()
            recipients[parent_address] = (email, language)
    for email, language in followers.values_list("user_email", "language"):
        recipients.setdefault(email.lower(), (email, language))
    recipients.pop(feedback.user_email.lower(), None)
    wanted = mail_preferences("reply", recipients)
    thread_url = absolute_url(reverse("feedback:feedback", args=[feedback.pk]))
    messages = [
        outbox_message(
            key=f"reply:{feedback.pk}:{address}",
            to=email,
            template="feedback/email/new_reply",
            context={
                "feedback": feedback,
                "draft": feedback.draft,
                "thread_url": thread_url,
                "to_author": address == parent_address,
            },
            language=language,
            unsubscribe_url=wanted[address],
        )
        for address, (email, language) in recipients.items()
        if address in wanted
    ]
    return len(outbox_send(messages))
