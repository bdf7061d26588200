"""Reads on requests for opinions (Law 64/2025 Art. 30): each invitation's status, what the
public page and the admin lists show, the figures per agency for the accountability pages and
the invitations nearing their deadline for the staff's daily digest."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Min, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from consult.feedback.notifications import absolute_url
from consult.opinions.models import OpinionInvitation, OpinionItem, OpinionSubmission

CURRENT = OpinionSubmission.State.CURRENT
WITHDRAWN = OpinionSubmission.State.WITHDRAWN
ANSWERING_STATES = (OpinionSubmission.State.CURRENT, OpinionSubmission.State.REPLACED)


class Status:
    """Where an invitation stands: waiting (no current opinion, deadline not passed),
    answered on time, answered late, overdue (deadline passed, no current opinion)."""

    WAITING = "waiting"
    ON_TIME = "on_time"
    LATE = "late"
    OVERDUE = "overdue"

    LABELS = {
        WAITING: _("Waiting for the opinion"),
        ON_TIME: _("Answered on time"),
        LATE: _("Answered late"),
        OVERDUE: _("Overdue"),
    }


def with_answer(invitations: QuerySet) -> QuerySet:
    """`invitations` with `current_submission_id` (None without a current opinion),
    `current_submitted_at` (when the current opinion was submitted) and `answered_at` (when
    the agency first answered: the earliest opinion of the unbroken chain of replacements
    leading to the current one). A withdrawal breaks the chain: an opinion given, withdrawn,
    then given again answered when it was given again (Law 64/2025 Art. 30)."""
    current = OpinionSubmission.objects.filter(invitation=OuterRef("pk"), state=CURRENT)
    last_withdrawn = (
        OpinionSubmission.objects.filter(invitation=OuterRef("pk"), state=WITHDRAWN)
        .order_by("-pk")
        .values("pk")[:1]
    )
    first = (
        OpinionSubmission.objects.filter(
            invitation=OuterRef("pk"),
            state__in=ANSWERING_STATES,
            pk__gt=OuterRef("last_withdrawn_pk"),
        )
        .order_by()
        .values("invitation")
        .annotate(first=Min("submitted_at"))
        .values("first")
    )
    return invitations.annotate(
        current_submission_id=Subquery(current.values("pk")[:1]),
        current_submitted_at=Subquery(current.values("submitted_at")[:1]),
        last_withdrawn_pk=Coalesce(Subquery(last_withdrawn), Value(0)),
        answered_at=Subquery(first[:1]),
    )


def invitation_status(invitation: OpinionInvitation, *, now: datetime | None = None) -> str:
    """The `Status` of an invitation read with `with_answer()` and its request, at `now`."""
    now = now or timezone.now()
    deadline = invitation.request.deadline
    if invitation.current_submission_id:
        answered_at = invitation.answered_at or now
        return Status.ON_TIME if answered_at <= deadline else Status.LATE
    return Status.WAITING if now <= deadline else Status.OVERDUE


def invitations_with_status(invitations: QuerySet, *, now: datetime | None = None) -> list:
    """The invitations (with request, draft and agency read along), each given `status`,
    `status_label`, `is_overdue` and `current_submission_id`."""
    now = now or timezone.now()
    rows = list(
        with_answer(invitations).select_related("request__draft", "agency")
        .defer("request__draft__body", "request__draft__summary")
    )  # fmt: skip
    for row in rows:
        row.status = invitation_status(row, now=now)
        row.status_label = Status.LABELS[row.status]
        row.is_overdue = row.status == Status.OVERDUE
    return rows


def draft_opinions(draft, *, now: datetime | None = None) -> list:
    """The draft's invitations for the public page: agency, deadline, status, and the current
    opinion's signed letter link (`letter_url`, '' without one), by request then agency."""
    rows = invitations_with_status(
        OpinionInvitation.objects.filter(request__draft=draft).order_by(
            "request__sent_at", "agency__name"
        ),
        now=now,
    )
    for row in rows:
        row.letter_url = (
            reverse("opinions:letter", args=[row.current_submission_id])
            if row.current_submission_id
            else ""
        )
    return rows


@dataclass
class OpinionTally:
    """An agency's record of requests for opinions it received (Law 64/2025 Art. 30)."""

    received: int = 0
    on_time: int = 0
    late: int = 0
    never: int = 0  # the deadline passed and no opinion is current
    waiting: int = 0

    def add(self, status: str) -> None:
        self.received += 1
        field = {
            Status.ON_TIME: "on_time",
            Status.LATE: "late",
            Status.OVERDUE: "never",
            Status.WAITING: "waiting",
        }[status]
        setattr(self, field, getattr(self, field) + 1)


def agency_opinion_tallies(
    agency_ids: Iterable[int] | None = None, *, now: datetime | None = None
) -> dict[int, OpinionTally]:
    """{agency id: OpinionTally} of the requests each agency received (all agencies that
    received one when `agency_ids` is None); agencies asked nothing are absent."""
    invitations = OpinionInvitation.objects.all()
    if agency_ids is not None:
        invitations = invitations.filter(agency_id__in=list(agency_ids))
    now = now or timezone.now()
    tallies: dict[int, OpinionTally] = {}
    for row in (
        with_answer(invitations).select_related("request").only("agency_id", "request__deadline")
    ):
        tallies.setdefault(row.agency_id, OpinionTally()).add(invitation_status(row, now=now))
    return tallies


def agency_opinion_tally(agency_id: int, *, now: datetime | None = None) -> OpinionTally:
    """The `OpinionTally` of one agency (all zero when it was asked nothing)."""
    return agency_opinion_tallies([agency_id], now=now).get(agency_id, OpinionTally())


def invitations_nearing_deadline(
    agency_ids: Iterable[int], *, now: datetime, days: int = 3
) -> QuerySet:
    """The invitations of these agencies still without a current opinion whose deadline falls
    between `now` and `days` days later, soonest first, with request, draft and agency read
    along (for the staff's daily digest)."""
    invitations = OpinionInvitation.objects.filter(agency_id__in=list(agency_ids))
    return _awaited_within(invitations, now=now, days=days)


def _awaited_within(invitations: QuerySet, *, now: datetime, days: int) -> QuerySet:
    """Those of `invitations` without a current opinion whose deadline falls between `now`
    and `days` days later, soonest first, with request, draft, drafting and invited agency."""
    return (
        with_answer(
            invitations.filter(
                request__deadline__gte=now, request__deadline__lte=now + timedelta(days=days)
            )
        )
        .filter(current_submission_id__isnull=True)
        .select_related("request__draft__agency", "agency")
        .defer("request__draft__body", "request__draft__summary")
        .order_by("request__deadline", "pk")
    )


def _request_name(request) -> str:
    """Which request: its letter number and subject (several may concern one draft)."""
    return f"{request.reference} {request.subject}".strip()


def digest_sections(agency_ids: Iterable[int], *, now: datetime) -> list[dict]:
    """The staff's daily digest (consult.notifications' "notifications_digest_sections" hook):
    for the invited agencies, the opinions they must give within 3 days; for the drafting
    agencies, the opinions on their drafts still awaited within 3 days. Each item is
    `{"agency_id", "text", "url"}`; texts name the draft, the agency and the deadline
    (Asia/Ho_Chi_Minh) and the request (letter number, subject)."""
    agency_ids = list(agency_ids)
    to_give, awaited = [], []
    due_soon = invitations_nearing_deadline(agency_ids, now=now)
    for invitation in due_soon:
        deadline = timezone.localtime(invitation.request.deadline).strftime("%H:%M %d/%m/%Y")
        to_give.append(
            {
                "agency_id": invitation.agency_id,
                "text": f"{invitation.request.draft.title} ({invitation.request.draft.agency.name})"
                f" · {_request_name(invitation.request)} · {deadline}",
                "url": absolute_url(reverse("opinions_received:answer", args=[invitation.pk])),
            }
        )
    on_our_drafts = _awaited_within(
        OpinionInvitation.objects.filter(request__draft__agency_id__in=agency_ids), now=now, days=3
    )
    for invitation in on_our_drafts:
        deadline = timezone.localtime(invitation.request.deadline).strftime("%H:%M %d/%m/%Y")
        awaited.append(
            {
                "agency_id": invitation.request.draft.agency_id,
                "text": f"{invitation.request.draft.title}: {invitation.agency.name}"
                f" · {_request_name(invitation.request)} · {deadline}",
                "url": absolute_url(reverse("opinions_sent:index")),
            }
        )
    sections = []
    if to_give:
        sections.append({"title": _("Opinions your agency must give soon"), "items": to_give})
    if awaited:
        sections.append({"title": _("Opinions on your drafts still awaited"), "items": awaited})
    return sections


def official_opinions_attach(comments: list, *, user=None) -> None:
    """Give each comment that is part of a current official opinion `official_opinion`: a
    dict with the agency's name and the signed letter's URL (consult.feedback.hooks); None
    for the others. A part of a withdrawn or replaced opinion gets `opinion_retired`: what
    its place in the thread says, naming the agency (withdrawn: with its reason; replaced:
    when the agency's current opinion was given, or that the later opinion was withdrawn
    too), '' for the others. Two queries."""
    ids = [comment.pk for comment in comments]
    items = list(
        OpinionItem.objects.filter(feedback_id__in=ids).select_related(
            "submission__invitation__agency"
        )
    )
    retired_invitations = {
        item.submission.invitation_id for item in items if item.submission.state != CURRENT
    }
    current_of = {
        row["invitation_id"]: row
        for row in OpinionSubmission.objects.filter(
            invitation_id__in=retired_invitations, state=CURRENT
        ).values("invitation_id", "pk", "submitted_at")
    }
    found, retired = {}, {}
    for item in items:
        submission = item.submission
        if submission.state == CURRENT:
            found[item.feedback_id] = item
        else:
            retired[item.feedback_id] = _retired_text(
                submission, current_of.get(submission.invitation_id)
            )
    for comment in comments:
        item = found.get(comment.pk)
        comment.opinion_retired = retired.get(comment.pk, "")
        comment.official_opinion = (
            {
                "agency": item.submission.invitation.agency.name,
                "letter_url": reverse("opinions:letter", args=[item.submission_id]),
                "submitted_at": item.submission.submitted_at,
            }
            if item
            else None
        )


def _retired_text(submission: OpinionSubmission, current: dict | None) -> str:
    """What the public sees in place of a part of a withdrawn or replaced opinion."""
    agency = submission.invitation.agency.name
    if submission.state == WITHDRAWN:
        return gettext("%(agency)s withdrew this official opinion: %(reason)s") % {
            "agency": agency,
            "reason": submission.withdrawal_reason,
        }
    if current is not None:
        when = formats.date_format(timezone.localtime(current["submitted_at"]), "H:i d/m/Y")
        return gettext(
            "%(agency)s replaced this official opinion; its current opinion was given at %(when)s."
        ) % {"agency": agency, "when": when}
    return gettext(
        "%(agency)s replaced this official opinion, then withdrew the one that replaced it."
    ) % {"agency": agency}


def official_parts(draft_id: int) -> dict[int, str]:
    """{feedback id: agency name} for the parts of the current official opinions given on the
    draft `draft_id` (Law 64/2025 Art. 30), for the synthesis report's exports. One query."""
    return dict(
        OpinionItem.objects.filter(
            feedback__draft_id=draft_id, submission__state=CURRENT
        ).values_list("feedback_id", "submission__invitation__agency__name")
    )


def official_opinion_locks(feedback_ids: list[int]) -> dict[int, str]:
    """{feedback id: why no moderator may act on it} for the comments of `feedback_ids` that
    are parts of an official opinion, current, replaced or withdrawn (consult.feedback.hooks.
    MODERATION_LOCKS): only the invited agency withdraws or replaces its opinion (Law 64/2025
    Art. 30). One query."""
    items = OpinionItem.objects.filter(feedback_id__in=list(feedback_ids)).values_list(
        "feedback_id", "submission__invitation__agency__name"
    )
    return {
        pk: gettext(
            "Comment #%(n)d is part of the official opinion of %(agency)s: moderation cannot "
            "hide or restore it; only that agency may withdraw or replace its opinion."
        )
        % {"n": pk, "agency": agency}
        for pk, agency in items
    }
