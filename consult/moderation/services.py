"""Moderation of feedback: who may moderate what, the queue, and the moderators' decisions.

Every decision goes through one path (`_moderate`): rights first, then the reason, then the
state of every comment concerned, and only when all of that holds are the rows changed, the
decision recorded as a ModerationAction and the public figures of the draft refreshed, all in
one transaction. A batch is therefore all or nothing.

States: pending (not public, not removed), published (public, not removed), rejected (removed
before it was ever published: is_public stays False, so threads do not show it) and removed
(removed after publication: is_public stays True, so threads keep its place and show the
reason).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_comments.models import CommentFlag

from consult.feedback import notifications
from consult.feedback.counters import feedback_changed
from consult.feedback.events import feedback_touched_on_commit
from consult.feedback.hooks import moderation_locks
from consult.feedback.models import Feedback, FeedbackFlagReason
from consult.moderation.models import ModerationAction
from drafts.models import DraftPage
from drafts.permissions import MODERATE, agency_policy
from econsult.text import clean_input

Action = ModerationAction.Action
User = AbstractBaseUser | AnonymousUser

PERMISSION = "feedback.moderate_feedback"
REASON_REQUIRED = frozenset({Action.REJECT, Action.REMOVE})
# Flags that ask moderators to look at a comment; endorsements ("I liked it") are not among them.
MODERATION_FLAGS = (*FeedbackFlagReason.values, CommentFlag.SUGGEST_REMOVAL)
# Actions after which the public may see something else.
CHANGES_PUBLIC_VIEW = frozenset({Action.APPROVE, Action.REJECT, Action.REMOVE, Action.RESTORE})


class QueueState:
    """The states the moderation queue filters on."""

    PENDING = "pending"
    PUBLISHED = "published"
    REMOVED = "removed"
    FLAGGED = "flagged"
    UNCONFIRMED = "unconfirmed"

    choices = [
        (PENDING, gettext_lazy("Waiting for approval")),
        (FLAGGED, gettext_lazy("Flagged by readers")),
        (PUBLISHED, gettext_lazy("Published")),
        (REMOVED, gettext_lazy("Removed or rejected")),
        (UNCONFIRMED, gettext_lazy("Waiting for the author's e-mail confirmation")),
    ]

    filters = {
        PENDING: Q(is_public=False, is_removed=False, email_confirmed=True),
        PUBLISHED: Q(is_public=True, is_removed=False),
        REMOVED: Q(is_removed=True),
        FLAGGED: Q(flag_count__gt=0, is_removed=False),
        UNCONFIRMED: Q(is_removed=False, email_confirmed=False),
    }


# Rights: the agency rule (drafts.permissions.agency_policy), action "moderate", which also
# needs PERMISSION (registered in consult.apps).


def can_moderate(user: User, draft: DraftPage) -> bool:
    """Superusers moderate everything; others their own agencies' drafts, with the permission."""
    return agency_policy.user_has_permission_for_instance(user, MODERATE, draft)


def can_moderate_any(user: User) -> bool:
    """Whether `user` moderates at least one agency's feedback: the admin menu shows the queue."""
    return agency_policy.user_has_permission(user, MODERATE)


def moderatable_drafts(user: User) -> QuerySet[DraftPage]:
    """The drafts whose feedback `user` moderates, without their bodies, by title."""
    return agency_policy.instances_user_has_permission_for(user, MODERATE).order_by("title")


def moderatable_feedback(user: User) -> QuerySet[Feedback]:
    """All the feedback `user` may moderate."""
    if agency_policy.is_superuser(user):
        return Feedback.objects.all()
    return Feedback.objects.filter(draft__agency__in=agency_policy.agency_ids(user, MODERATE))


# Reads


def moderation_queue(
    *, user: User, draft_id: int | None = None, state: str = ""
) -> QuerySet[Feedback]:
    """The queue: flagged comments first (most flags first), then those waiting for approval,
    then the rest, newest first. Removed comments do not count as flagged: they are dealt with.

    Each comment comes with its draft, provision and author, and its readers' flags as
    `moderation_flags`, so listing a page of it costs two queries.
    """
    queue = moderatable_feedback(user)
    if draft_id:
        queue = queue.filter(draft_id=draft_id)
    if state in QueueState.filters:
        queue = queue.filter(QueueState.filters[state])
    return (
        queue.annotate(
            attention=Case(
                When(QueueState.filters[QueueState.FLAGGED], then=Value(0)),
                When(QueueState.filters[QueueState.PENDING], then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .select_related("draft", "provision", "user")
        .defer("draft__body")
        .prefetch_related(
            Prefetch(
                "flags",
                queryset=CommentFlag.objects.filter(flag__in=MODERATION_FLAGS).order_by("flag"),
                to_attr="moderation_flags",
            )
        )
        .order_by("attention", "-flag_count", "-submit_date", "-pk")
    )


def flag_label(value: str) -> str:
    """The reader's reason for a flag, in words."""
    if value == CommentFlag.SUGGEST_REMOVAL:
        return _("Suggested for removal")
    return str(dict(FeedbackFlagReason.choices).get(value, value))


def flag_summary(flags: Iterable[CommentFlag]) -> list[tuple[str, int]]:
    """Readers' reasons with how many gave each, most frequent first: [("Spam…", 2), …]."""
    counts: dict[str, int] = defaultdict(int)
    for flag in flags:
        counts[flag.flag] += 1
    return [
        (flag_label(value), n)
        for value, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


def state_label(feedback: Feedback) -> str:
    if feedback.is_removed:
        return _("Removed") if feedback.is_public else _("Rejected")
    if feedback.is_public:
        return _("Published")
    if not feedback.email_confirmed:
        return _("Waiting for e-mail confirmation")
    return _("Waiting for approval")


def allowed_actions(feedback: Feedback, *, locked: str | None = None) -> list[str]:
    """The decisions that may be taken on `feedback` in its present state: none when it is
    locked (`locked`, the reason from `moderation_lock`, e.g. an agency's official opinion)."""
    if locked:
        return []
    return [action for action in Action.values if _refusal(feedback, action, flagged=set()) is None]


def moderation_lock(feedback: Feedback) -> str:
    """Why no moderator may act on `feedback` (consult.feedback.hooks.MODERATION_LOCKS: an
    agency's official opinion is withdrawn or replaced by that agency only), '' if they may."""
    return moderation_locks([feedback.pk]).get(feedback.pk, "")


# Writes


def feedback_approve(*, feedback: Feedback, user: User, reason: str = "") -> Feedback:
    """Publish a comment waiting for approval (pre-moderation)."""
    return _moderate_one(feedback=feedback, user=user, action=Action.APPROVE, reason=reason)


def feedback_reject(*, feedback: Feedback, user: User, reason: str) -> Feedback:
    """Refuse a comment waiting for approval: it is never published."""
    return _moderate_one(feedback=feedback, user=user, action=Action.REJECT, reason=reason)


def feedback_remove(*, feedback: Feedback, user: User, reason: str) -> Feedback:
    """Take down a published comment; its place in the thread shows the reason."""
    return _moderate_one(feedback=feedback, user=user, action=Action.REMOVE, reason=reason)


def feedback_restore(*, feedback: Feedback, user: User, reason: str = "") -> Feedback:
    """Undo a removal or a rejection: the comment is published, or waits for approval, again."""
    return _moderate_one(feedback=feedback, user=user, action=Action.RESTORE, reason=reason)


def feedback_dismiss_flags(*, feedback: Feedback, user: User, reason: str = "") -> Feedback:
    """Clear the readers' flags on a comment that needs no action; endorsements stay."""
    return _moderate_one(feedback=feedback, user=user, action=Action.DISMISS_FLAGS, reason=reason)


def feedback_bulk_moderate(
    *, feedback_ids: Iterable[int], action: str, user: User, reason: str = ""
) -> int:
    """Take one decision on many comments; returns how many. All or nothing: if the user may
    not moderate one of them, or one is not in a state the decision applies to, or one is
    locked (consult.feedback.hooks.MODERATION_LOCKS: an agency's official opinion), nothing
    changes: PermissionDenied or ValidationError with the reasons.
    """
    return len(_moderate(feedback_ids=feedback_ids, action=action, user=user, reason=reason))


def _moderate_one(*, feedback: Feedback, user: User, action: str, reason: str) -> Feedback:
    (fresh,) = _moderate(feedback_ids=[feedback.pk], action=action, user=user, reason=reason)
    for field in ("is_public", "is_removed", "removal_reason", "flag_count"):
        setattr(feedback, field, getattr(fresh, field))
    return feedback


def _moderate(
    *, feedback_ids: Iterable[int], action: str, user: User, reason: str
) -> list[Feedback]:
    ids = {int(pk) for pk in feedback_ids}
    reason = clean_input(reason).strip()
    if action not in Action.values:
        raise ValidationError(_("Unknown moderation action."))
    if not ids:
        raise ValidationError(_("Select at least one comment."))

    with transaction.atomic():
        rows = list(
            Feedback.objects.select_for_update(of=("self",)).filter(pk__in=ids).order_by("pk")
        )
        _check_rights(user, rows)
        if len(rows) != len(ids):
            raise ValidationError(_("Some of the selected comments no longer exist."))
        if locked := moderation_locks(ids):
            refusals = [locked[pk] for pk in sorted(locked)]
            if len(locked) < len(ids):
                refusals.append(
                    _("Nothing was changed: leave out the comments above and try again.")
                )
            raise ValidationError(refusals)
        if action in REASON_REQUIRED and not reason:
            raise ValidationError(
                _("Give a reason to reject or remove a comment: it is shown in its place.")
            )
        flagged = set(
            CommentFlag.objects.filter(comment_id__in=ids, flag__in=MODERATION_FLAGS).values_list(
                "comment_id", flat=True
            )
        )
        refusals = [r for row in rows if (r := _refusal(row, action, flagged=flagged))]
        if refusals:
            raise ValidationError(refusals)

        for row in rows:
            row.save(update_fields=_apply(row, action, reason))
        if action == Action.DISMISS_FLAGS:
            CommentFlag.objects.filter(comment_id__in=ids, flag__in=MODERATION_FLAGS).delete()
        ModerationAction.objects.bulk_create(
            ModerationAction(feedback=row, action=action, reason=reason, actor=user) for row in rows
        )
        if action in CHANGES_PUBLIC_VIEW:
            feedback_touched_on_commit(ids)
            provisions: dict[int, set[int]] = defaultdict(set)
            for row in rows:
                provisions[row.draft_id].add(row.provision_id)
            for draft_id, provision_ids in provisions.items():
                feedback_changed(draft_id=draft_id, provision_ids=provision_ids)
        if action == Action.APPROVE:
            _notify_followers(rows)
    return rows


def _check_rights(user: User, rows: list[Feedback]) -> None:
    drafts = DraftPage.objects.filter(pk__in={row.draft_id for row in rows}).only("agency_id")
    for draft in drafts:
        agency_policy.check(user, MODERATE, draft)


def _refusal(feedback: Feedback, action: str, *, flagged: set[int]) -> str | None:
    """Why `action` does not apply to `feedback` as it stands, or None."""
    n = feedback.pk
    if action == Action.APPROVE:
        if feedback.is_removed:
            return _("Comment #%(n)d was removed: restore it first.") % {"n": n}
        if feedback.is_public:
            return _("Comment #%(n)d is already published.") % {"n": n}
        if not feedback.email_confirmed:
            return _(
                "Comment #%(n)d waits for its author to confirm their e-mail address; "
                "approve it after that."
            ) % {"n": n}
    elif action == Action.REJECT:
        if feedback.is_removed:
            return _("Comment #%(n)d is already removed.") % {"n": n}
        if feedback.is_public:
            return _("Comment #%(n)d is published: remove it instead of rejecting it.") % {"n": n}
    elif action == Action.REMOVE:
        if feedback.is_removed:
            return _("Comment #%(n)d is already removed.") % {"n": n}
        if not feedback.is_public:
            return _("Comment #%(n)d is not published: reject it instead of removing it.") % {
                "n": n
            }
    elif action == Action.RESTORE:
        if not feedback.is_removed:
            return _("Comment #%(n)d is not removed.") % {"n": n}
    elif action == Action.DISMISS_FLAGS and not (feedback.flag_count or feedback.pk in flagged):
        return _("Comment #%(n)d has no flags to dismiss.") % {"n": n}
    return None


def _apply(feedback: Feedback, action: str, reason: str) -> list[str]:
    """Change `feedback` for `action`; returns the fields changed."""
    if action == Action.APPROVE:
        feedback.is_public = True
        return ["is_public"]
    if action == Action.REJECT:
        feedback.is_public = False
        feedback.is_removed = True
        feedback.removal_reason = reason
        return ["is_public", "is_removed", "removal_reason"]
    if action == Action.REMOVE:
        feedback.is_removed = True
        feedback.removal_reason = reason
        return ["is_removed", "removal_reason"]
    if action == Action.RESTORE:
        feedback.is_removed = False
        feedback.removal_reason = ""
        return ["is_removed", "removal_reason"]
    feedback.flag_count = 0
    return ["flag_count"]


def _notify_followers(rows: list[Feedback]) -> None:
    """A comment approved under pre-moderation reaches the thread's followers only now: the
    e-mails are outbox rows of the approval's transaction."""
    for row in rows:
        if row.is_public and not row.is_removed:
            notifications.notify_followers(row)
