"""Writes of following: follow and unfollow, e-mail switches, and the e-mails of the events a
follower hears of, written to the outbox a batch of followers at a time.

Events (Law 64/2025 Art. 30's consultation, seen by the people who follow it):

- `version`: a version of a draft is published for the first time (Dự thảo N); Dự thảo 1 of a
  new draft is "a new consultation" for the followers of its agency.
- `closing`: the consultation closes in 3 days (beat's `closing_soon`).
- `report`: the synthesis report is published (consult.reports' `report_published`).

A person following a draft and its agency hears of an event once: the outbox key
`follow:<kind>:<object id>:<user id>` (for `closing`, `follow:closing:<draft id>@<closing time
as a Unix timestamp>:<user id>`: a new closing date is a new event) is written at most once,
and a batch leaves out the agency's followers who also follow the draft (their follow of the
draft speaks for them, in its language).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse

from consult.feedback.notifications import absolute_url, email_render, unsubscribe_headers
from consult.notifications.models import FOLLOW_KINDS, Dispatch, Follow, Kind, OptOut
from consult.notifications.selectors import opted_out
from consult.notifications.tokens import unsubscribe_url_maker
from drafts.models import Agency, DraftPage, DraftVersion
from econsult.outbox.services import Message, outbox_send

BATCH_SIZE = 1000  # followers per batch task: three INSERTs and a few SELECTs each
PLACEHOLDER = "\x00unsubscribe\x00"


# Following


def follow_set(
    *,
    user,
    draft: DraftPage | None = None,
    agency: Agency | None = None,
    following: bool,
    language: str = "vi",
) -> bool:
    """Make `user` follow (or stop following) one live draft or one agency; returns whether
    they follow it afterwards. Following twice, or unfollowing what is not followed, is
    harmless. Raises ValueError unless exactly one of `draft` and `agency` is given."""
    if (draft is None) == (agency is None):
        raise ValueError("follow one draft or one agency")
    target = {"draft": draft} if draft is not None else {"agency": agency}
    if not following:
        Follow.objects.filter(user=user, **target).delete()
        return False
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    try:
        with transaction.atomic():
            Follow.objects.get_or_create(user=user, **target, defaults={"language": language})
    except IntegrityError:
        pass  # the same person's other request followed it at the same moment
    return True


def kinds_set(*, email: str, kinds_on: set[str]) -> None:
    """Turn on exactly `kinds_on` for `email` and every other kind off."""
    email = email.lower()
    off = set(Kind.values) - set(kinds_on)
    with transaction.atomic():
        OptOut.objects.filter(email=email).exclude(kind__in=off).delete()
        OptOut.objects.bulk_create(
            [OptOut(email=email, kind=kind) for kind in sorted(off)], ignore_conflicts=True
        )


def optout_add(*, email: str, kind: str) -> None:
    """Turn `kind` off for `email` (a one-click unsubscribe); doing it again is harmless."""
    OptOut.objects.bulk_create([OptOut(email=email.lower(), kind=kind)], ignore_conflicts=True)


def mail_preferences(*, kind: str, addresses: list[str]) -> dict[str, str]:
    """The `MAIL_PREFERENCES_HOOK` of consult.feedback's e-mails: {address: unsubscribe URL}
    for the addresses that did not turn `kind` off."""
    off = opted_out(kind, addresses)
    link = unsubscribe_url_maker(kind)
    return {a: link(a) for a in addresses if a not in off}


# The events' fan-out


@dataclass(frozen=True)
class Event:
    """One event: its kind, the object named in its keys, the draft it is about."""

    kind: str
    object_id: int
    draft: DraftPage
    version: DraftVersion | None = None

    @property
    def key(self) -> str:
        """The part of the outbox keys naming the event: a closing notice names the closing
        time it announces, so a consultation extended after its notice gets a new one."""
        if self.kind == Kind.CLOSING and self.draft.closes_at:
            return f"{self.kind}:{self.object_id}@{int(self.draft.closes_at.timestamp())}"
        return f"{self.kind}:{self.object_id}"

    def previous_closes_at(self):
        """For a closing notice: the closing time an earlier notice of the draft announced, when
        it was another one (the date was changed since), else None."""
        if self.kind != Kind.CLOSING:
            return None
        return (
            Dispatch.objects.filter(kind=Kind.CLOSING, object_id=self.draft.pk)
            .exclude(closes_at=self.draft.closes_at)
            .exclude(closes_at__isnull=True)
            .order_by("-created_at", "-pk")
            .values_list("closes_at", flat=True)
            .first()
        )

    @property
    def template(self) -> str:
        if self.kind == Kind.VERSION and self.version and self.version.number == 1:
            return "notifications/email/new_consultation"
        return f"notifications/email/{self.kind}"

    def context(self) -> dict:
        draft = self.draft
        url = draft.url
        return {
            "draft": draft,
            "agency": draft.agency,
            "version": self.version,
            "draft_url": absolute_url(url) if url else "",
            "report_url": absolute_url(f"{url}bao-cao/") if url else "",
            "comparison_url": self.comparison_url(),
            "following_url": absolute_url(reverse("notifications:following")),
            "closes_before": self.previous_closes_at(),
        }

    def comparison_url(self) -> str:
        """Where a new version (Dự thảo N, N > 1) is compared with the one before; ''."""
        version, url = self.version, self.draft.url
        if self.kind != Kind.VERSION or version is None or version.number < 2 or not url:
            return ""
        pair = [version.number - 1, version.number]
        return absolute_url(url + self.draft.reverse_subpage("version_comparison", args=pair))

    def followers(self) -> QuerySet[Follow]:
        """Every follow of the draft or of its agency, by id."""
        return Follow.objects.filter(
            Q(draft_id=self.draft.pk) | Q(agency_id=self.draft.agency_id)
        ).order_by("pk")


def event_load(kind: str, object_id: int) -> Event | None:
    """The event named by (kind, object id), or None when its object is gone, not live or
    not public (a view restriction: private, password, groups):
    a version's id for `version`, a draft's id for `closing` and `report`."""
    # Public drafts only: a private or password-protected draft is news for nobody.
    drafts = DraftPage.objects.live().public().select_related("agency").defer_streamfields()
    if kind == Kind.VERSION:
        version = DraftVersion.objects.filter(pk=object_id).first()
        draft = version and drafts.filter(pk=version.page_id).first()
        return draft and Event(kind, object_id, draft, version)
    if kind in FOLLOW_KINDS:
        draft = drafts.filter(pk=object_id).first()
        return draft and Event(kind, object_id, draft)
    raise ValueError(f"not an event of following: {kind}")


def follower_ranges(event: Event, size: int | None = None) -> Iterator[tuple[int, int]]:
    """(after, upto] ranges of follow ids of `size` (default BATCH_SIZE) followers each, found
    by keyset: one indexed query per range, never the whole list in memory."""
    size = size or BATCH_SIZE
    after = 0
    followers = event.followers()
    while True:
        ids = followers.filter(pk__gt=after).values_list("pk", flat=True)
        upto = ids[size - 1 : size].first()
        if upto is None:
            last = ids.order_by("-pk").first()
            if last is not None:
                yield after, last
            return
        yield after, upto
        after = upto


def event_batch_send(event: Event, *, after: int, upto: int) -> int:
    """Write the e-mails of `event` to the followers whose follow id is in (after, upto];
    returns how many were new. A few queries and one bulk insert, whatever the batch size."""
    rows = list(
        event.followers()
        .filter(pk__gt=after, pk__lte=upto, user__is_active=True)
        .exclude(user__email="")
        .values_list("user_id", "user__email", "language", "draft_id")
    )
    # Whoever follows both the draft and its agency is written to for the draft's follow.
    also_draft = {
        user_id
        for user_id in Follow.objects.filter(
            draft_id=event.draft.pk, user_id__in=[r[0] for r in rows if r[3] is None]
        ).values_list("user_id", flat=True)
    }
    off = opted_out(event.kind, [r[1] for r in rows])
    rendered: dict[str, tuple[str, str]] = {}
    context = event.context()
    link = unsubscribe_url_maker(event.kind)
    messages = []
    seen = set()
    for user_id, email, language, draft_id in rows:
        if (draft_id is None and user_id in also_draft) or email.lower() in off or user_id in seen:
            continue
        seen.add(user_id)
        if language not in rendered:
            rendered[language] = _render(event, context, language)
        subject, body = rendered[language]
        url = link(email)
        messages.append(
            Message(
                to=(email,),
                subject=subject,
                body=body.replace(PLACEHOLDER, url),
                key=f"follow:{event.key}:{user_id}",
                headers=unsubscribe_headers(url),
            )
        )
    return len(outbox_send(messages))


def _render(event: Event, context: dict, language: str) -> tuple[str, str]:
    """The subject and text of `event` in `language`, the unsubscribe link left as
    PLACEHOLDER: rendered once per batch and language, not once per follower."""
    return email_render(event.template, {**context, "unsubscribe_url": PLACEHOLDER}, language)
