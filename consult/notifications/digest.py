"""The daily digest of agency staff: for their agencies' drafts, the comments of the last 24
hours, what waits for moderation, and what other rooms add (requests nearing their deadline).

Other rooms add sections through the `DIGEST_SECTIONS_HOOK` Wagtail hook
("notifications_digest_sections"): a function called as `hook(agency_ids, *, now)` with the
agencies of a batch of staff, returning a list of sections, each a dict
`{"title": str (lazy translations welcome), "items": [{"agency_id": int, "text": str,
"url": str}, …]}`; a member of staff sees the items of their own agencies, a section without
any is left out. For example consult.opinions' `invitations_nearing_deadline(agency_ids, *,
now, days=3)` turned into items.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext
from wagtail import hooks

from consult.feedback.models import Feedback
from consult.feedback.notifications import absolute_url, email_render, unsubscribe_headers
from consult.moderation.services import QueueState
from consult.notifications.models import Kind
from consult.notifications.selectors import opted_out
from consult.notifications.tokens import unsubscribe_url_maker
from drafts.models import Agency, DraftPage
from econsult.accounts import admin_languages
from econsult.outbox.services import Message, outbox_send

DIGEST_SECTIONS_HOOK = "notifications_digest_sections"
DIGEST_BATCH_SIZE = 200  # staff per batch task
EXCERPTS = 3  # latest comments quoted per draft
EXCERPT_CHARS = 200
WINDOW = timedelta(hours=24)
PLACEHOLDER = "\x00unsubscribe\x00"


def digest_recipients() -> QuerySet:
    """The ids of active staff with an e-mail address who belong to an agency, by id."""
    return (
        get_user_model()
        .objects.filter(is_active=True, agencies__isnull=False)
        .exclude(email="")
        .order_by("pk")
        .values_list("pk", flat=True)
        .distinct()
    )


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1].rstrip() + "…"


def agency_digests(agency_ids: list[int], *, now: datetime) -> dict[int, list[dict]]:
    """{agency id: [one dict per draft with something to say]} for the 24 hours before `now`:
    `draft`, `new_count`, `excerpts` (the latest few), `more` (the new comments not quoted),
    `flagged`, `pending`, `inbox_url`,
    `moderation_url`. Five queries for all the agencies, whatever their number."""
    drafts = {
        d.pk: d
        for d in DraftPage.objects.filter(agency_id__in=agency_ids)
        .defer_streamfields()
        .order_by("title")
    }
    if not drafts:
        return {}
    since = now - WINDOW
    all_feedback = Feedback.objects.filter(draft_id__in=list(drafts))
    recent = all_feedback.filter(submit_date__gte=since, submit_date__lt=now, is_removed=False)
    new = dict(recent.values_list("draft_id").annotate(n=Count("pk")).order_by())
    waiting = {
        row["draft_id"]: row
        for row in all_feedback.values("draft_id")
        .annotate(
            flagged=Count("pk", filter=QueueState.filters[QueueState.FLAGGED]),
            pending=Count("pk", filter=QueueState.filters[QueueState.PENDING]),
        )
        .filter(Q(flagged__gt=0) | Q(pending__gt=0))
        .order_by()
    }
    excerpts: dict[int, list[dict]] = defaultdict(list)
    for draft_id, comment, submitted in (
        recent.annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("draft_id")],
                order_by=[F("submit_date").desc(), F("pk").desc()],
            )
        )
        .filter(rank__lte=EXCERPTS)
        .order_by("draft_id", "rank")
        .values_list("draft_id", "comment", "submit_date")
    ):
        excerpts[draft_id].append({"text": _excerpt(comment), "at": submitted})
    by_agency: dict[int, list[dict]] = defaultdict(list)
    for draft_id, draft in drafts.items():
        count = new.get(draft_id, 0)
        flagged = waiting.get(draft_id, {}).get("flagged", 0)
        pending = waiting.get(draft_id, {}).get("pending", 0)
        if not (count or flagged or pending):
            continue
        by_agency[draft.agency_id].append(
            {
                "draft": draft,
                "new_count": count,
                "excerpts": excerpts.get(draft_id, []),
                "more": max(count - len(excerpts.get(draft_id, [])), 0),
                "flagged": flagged,
                "pending": pending,
                "inbox_url": absolute_url(reverse("answers_admin:inbox", args=[draft_id])),
                "moderation_url": absolute_url(reverse("moderation:index") + f"?draft={draft_id}"),
            }
        )
    return by_agency


def digest_sections(agency_ids: list[int], *, now: datetime) -> list[dict]:
    """What the `DIGEST_SECTIONS_HOOK` hooks contribute for these agencies."""
    sections = []
    for hook in hooks.get_hooks(DIGEST_SECTIONS_HOOK):
        sections.extend(hook(agency_ids, now=now))
    return sections


def digest_batch_send(user_ids: list[int], *, now: datetime) -> int:
    """Write the digest of `now`'s day (Asia/Ho_Chi_Minh) to each of these staff who has
    something to read and did not turn the digest off; returns how many e-mails were new.
    Key `digest:<yyyy-mm-dd>:<user id>`: a day's digest is written once."""
    User = get_user_model()
    users = list(
        User.objects.filter(pk__in=user_ids, is_active=True).exclude(email="").order_by("pk")
    )
    memberships = defaultdict(list)
    for user_id, agency_id in Agency.staff.through.objects.filter(
        user_id__in=[u.pk for u in users]
    ).values_list("user_id", "agency_id"):
        memberships[user_id].append(agency_id)
    agency_ids = sorted({a for ids in memberships.values() for a in ids})
    agencies = Agency.objects.in_bulk(agency_ids)
    drafts = agency_digests(agency_ids, now=now)
    sections = digest_sections(agency_ids, now=now)
    off = opted_out(Kind.DIGEST, [u.email for u in users])
    languages = admin_languages(u.pk for u in users)
    day = timezone.localtime(now).date()
    link = unsubscribe_url_maker(Kind.DIGEST)
    # by set of agencies and language
    rendered: dict[tuple[tuple[int, ...], str], tuple[str, str] | None] = {}
    messages = []
    for user in users:
        if user.email.lower() in off:
            continue
        mine = tuple(sorted(set(memberships[user.pk])))
        language = languages.get(user.pk, settings.LANGUAGE_CODE)
        if (mine, language) not in rendered:
            rendered[mine, language] = _render(
                mine, agencies, drafts, sections, day=day, now=now, language=language
            )
        if rendered[mine, language] is None:
            continue  # nothing to say today
        subject, body = rendered[mine, language]
        url = link(user.email)
        messages.append(
            Message(
                to=(user.email,),
                subject=subject,
                body=body.replace(PLACEHOLDER, url),
                key=f"digest:{day.isoformat()}:{user.pk}",
                headers=unsubscribe_headers(url),
            )
        )
    return len(outbox_send(messages))


def _render(mine, agencies, drafts, sections, *, day, now, language) -> tuple[str, str] | None:
    """The subject and text in `language` of the digest of the staff of the agencies `mine`
    (the unsubscribe link left as PLACEHOLDER), or None when there is nothing to say: rendered
    once per set of agencies and language, not once per member of staff."""
    ordered = sorted(mine, key=lambda a: agencies[a].name)
    own_drafts = [d for a in ordered for d in drafts.get(a, [])]
    own_sections = [
        {"title": s["title"], "items": [i for i in s["items"] if i["agency_id"] in mine]}
        for s in sections
    ]
    own_sections = [s for s in own_sections if s["items"]]
    if not own_drafts and not own_sections:
        return None
    context = {
        "day": day,
        "until": now,
        "agencies": [agencies[a] for a in ordered],
        "drafts": own_drafts,
        "sections": own_sections,
        "new_total": sum(d["new_count"] for d in own_drafts),
        "unsubscribe_url": PLACEHOLDER,
    }
    with translation.override(language):
        context["summary"] = _summary(own_drafts, own_sections)
    return email_render("notifications/email/digest", context, language)


def _summary(drafts: list[dict], sections: list[dict]) -> str:
    """What the digest holds, for its subject, in the active language: e.g. "2 góp ý mới;
    1 góp ý cần kiểm duyệt; Ý kiến cơ quan bạn phải gửi sớm (1)". Only what is inside: a
    digest of one section says nothing of comments."""
    parts = []
    new = sum(d["new_count"] for d in drafts)
    waiting = sum(d["flagged"] + d["pending"] for d in drafts)
    if new:
        parts.append(ngettext("%(n)s new comment", "%(n)s new comments", new) % {"n": new})
    if waiting:
        parts.append(
            ngettext("%(n)s comment to moderate", "%(n)s comments to moderate", waiting)
            % {"n": waiting}
        )
    parts.extend(f"{section['title']} ({len(section['items'])})" for section in sections)
    return "; ".join(parts)
