"""E-mails about requests for opinions, through the outbox, one key per (recipient, event):
the invited agency's staff hear of a new request and are reminded before the deadline; the
drafting agency's staff hear of an opinion submitted. Each in the recipient's admin language
(Vietnamese by default)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from consult.feedback.notifications import absolute_url, outbox_message
from econsult.accounts import admin_languages
from econsult.outbox.services import outbox_send


def agency_recipients(agency_id: int) -> list:
    """The active staff of an agency who have an e-mail address, with their language
    (`language`: their admin language preference, else LANGUAGE_CODE)."""
    people = list(
        get_user_model()
        .objects.filter(agencies=agency_id, is_active=True)
        .exclude(email="")
        .order_by("pk")
    )
    languages = admin_languages(person.pk for person in people)
    for person in people:
        person.language = languages.get(person.pk, settings.LANGUAGE_CODE)
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
        "letter_url": absolute_url(reverse("opinions_sent:letter", args=[request.pk])),
        "draft_url": absolute_url(request.draft.url or "/"),
    }


def _to_invited(invitation, *, key: str, template: str, **extra) -> int:
    """Write `template` to each of the invited agency's staff, under `key`:<person id>."""
    context = _context(invitation) | extra
    messages = [
        outbox_message(
            key=f"{key}:{person.pk}",
            to=person.email,
            template=template,
            context=context,
            language=person.language,
        )
        for person in agency_recipients(invitation.agency_id)
    ]
    return len(outbox_send(messages))


def send_invitation(invitation) -> int:
    """Tell the invited agency's staff of a new request; returns the e-mails written."""
    return _to_invited(
        invitation, key=f"opinion-request:{invitation.pk}", template="opinions/email/invitation"
    )


def send_reminder(invitation, *, when: str, days_left: int = 0) -> int:
    """Remind the invited agency's staff that the opinion is due (`when`: "3d", at most three
    days before, saying the `days_left`, or "due", on the day); the e-mail names the request
    (subject, letter number), as several may concern one draft. Once per (invitation, moment,
    person)."""
    return _to_invited(
        invitation,
        key=f"opinion-reminder:{invitation.pk}:{when}",
        template="opinions/email/reminder",
        due_today=when == "due",
        days_left=days_left,
    )


def _to_drafters(submission, *, event: str, template: str, **extra) -> int:
    invitation = submission.invitation
    context = _context(invitation) | {
        "submission": submission,
        "requests_url": absolute_url(reverse("opinions_sent:index")),
        "inbox_url": absolute_url(
            reverse("answers_admin:inbox", args=[invitation.request.draft_id])
            + "?respondent_type=agency"
        ),
        **extra,
    }
    messages = [
        outbox_message(
            key=f"{event}:{submission.pk}:{person.pk}",
            to=person.email,
            template=template,
            context=context,
            language=person.language,
        )
        for person in agency_recipients(invitation.request.draft.agency_id)
    ]
    return len(outbox_send(messages))


def send_submitted(submission, *, replaced: bool = False) -> int:
    """Tell the drafting agency's staff that an invited agency submitted its opinion, or
    (`replaced`) replaced its earlier one; returns the e-mails written."""
    return _to_drafters(
        submission,
        event="opinion-submitted",
        template="opinions/email/submitted",
        replaced=replaced,
    )


def send_withdrawn(submission) -> int:
    """Tell the drafting agency's staff that an invited agency withdrew its opinion, with
    the reason; returns the e-mails written."""
    return _to_drafters(submission, event="opinion-withdrawn", template="opinions/email/withdrawn")


def send_answered(response, comments: list) -> list[int]:
    """consult.answers' "answers_answered_notice" hook: of `comments` (those a published
    answer covers), the parts of official opinions are the invited agency's, not its clerk's;
    tell that agency's active staff once per (answer, request), without asking whether the
    answer satisfied them. Returns the ids of those parts (told here)."""
    from consult.opinions.models import OpinionItem

    items = list(
        OpinionItem.objects.filter(feedback_id__in=[c.pk for c in comments]).select_related(
            "submission__invitation__request__draft", "submission__invitation__agency"
        )
    )
    by_invitation: dict[int, list] = {}
    invitations = {}
    for item in items:
        invitation = item.submission.invitation
        invitations[invitation.pk] = invitation
        by_invitation.setdefault(invitation.pk, []).append(item.feedback_id)
    comment_of = {c.pk: c for c in comments}
    messages = []
    for pk, ids in by_invitation.items():
        invitation = invitations[pk]
        context = _context(invitation) | {
            "response": response,
            "parts": [comment_of[i] for i in ids],
            "thread_url": absolute_url(reverse("feedback:feedback", args=[ids[0]])),
        }
        messages += [
            outbox_message(
                key=f"opinion-answered:{response.pk}:{invitation.pk}:{person.pk}",
                to=person.email,
                template="opinions/email/answered",
                context=context,
                language=person.language,
            )
            for person in agency_recipients(invitation.agency_id)
        ]
    outbox_send(messages)
    return [item.feedback_id for item in items]


def agencies_unreachable(agency_ids) -> set[int]:
    """Of `agency_ids`, the agencies with no active staff member who has an e-mail address:
    nobody there can receive a request on the platform. One query."""
    ids = set(agency_ids)
    reachable = set(
        get_user_model()
        .objects.filter(agencies__in=ids, is_active=True)
        .exclude(email="")
        .values_list("agencies", flat=True)
    )
    return ids - reachable
