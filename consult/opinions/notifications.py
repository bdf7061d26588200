"""E-mails about requests for opinions, through the outbox, one key per (recipient, event):
the invited agency's staff hear of a new request and are reminded before the deadline; the
drafting agency's staff hear of an opinion submitted. Each in the recipient's admin language
(Vietnamese by default)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from consult.feedback.notifications import absolute_url, outbox_message
from econsult.outbox.services import outbox_send


def agency_recipients(agency_id: int) -> list:
    """The active staff of an agency who have an e-mail address, with their language
    (`language`: their admin language preference, else "vi")."""
    people = list(
        get_user_model()
        .objects.filter(agencies=agency_id, is_active=True)
        .exclude(email="")
        .select_related("wagtail_userprofile")
        .order_by("pk")
    )
    for person in people:
        profile = getattr(person, "wagtail_userprofile", None)
        person.language = (profile.preferred_language if profile else "") or "vi"
    return people


def _context(invitation) -> dict:
    request = invitation.request
    return {
        "invitation": invitation,
        "request": request,
        "draft": request.draft,
        "agency": invitation.agency,
        "deadline": timezone.localtime(request.deadline),
        "answer_url": absolute_url(reverse("opinions_received:answer", args=[invitation.pk])),
        "draft_url": absolute_url(request.draft.url or "/"),
    }


def send_invitation(invitation) -> int:
    """Tell the invited agency's staff of a new request; returns the e-mails written."""
    context = _context(invitation)
    messages = [
        outbox_message(
            key=f"opinion-request:{invitation.pk}:{person.pk}",
            to=person.email,
            template="opinions/email/invitation",
            context=context,
            language=person.language,
        )
        for person in agency_recipients(invitation.agency_id)
    ]
    return len(outbox_send(messages))


def send_reminder(invitation, *, when: str) -> int:
    """Remind the invited agency's staff that the opinion is due (`when`: "3d", three days
    before, or "due", on the day); once per (invitation, moment, person)."""
    context = _context(invitation) | {"due_today": when == "due"}
    messages = [
        outbox_message(
            key=f"opinion-reminder:{invitation.pk}:{when}:{person.pk}",
            to=person.email,
            template="opinions/email/reminder",
            context=context,
            language=person.language,
        )
        for person in agency_recipients(invitation.agency_id)
    ]
    return len(outbox_send(messages))


def send_submitted(submission) -> int:
    """Tell the drafting agency's staff that an invited agency submitted its opinion."""
    invitation = submission.invitation
    context = _context(invitation) | {
        "submission": submission,
        "requests_url": absolute_url(reverse("opinions_sent:index")),
    }
    messages = [
        outbox_message(
            key=f"opinion-submitted:{submission.pk}:{person.pk}",
            to=person.email,
            template="opinions/email/submitted",
            context=context,
            language=person.language,
        )
        for person in agency_recipients(invitation.request.draft.agency_id)
    ]
    return len(outbox_send(messages))
