"""Writes on feedback: submitting, confirming by e-mail, endorsing and flagging."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.contrib.sites.models import Site
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django_comments.models import CommentFlag

from consult.feedback import notifications, ratelimit
from consult.feedback.counters import feedback_added, public_feedback_filter
from consult.feedback.events import feedback_touched_on_commit
from consult.feedback.models import ENDORSEMENT_FLAG, Feedback, FeedbackFlagReason
from consult.feedback.tokens import CONFIRMATION_MAX_AGE, CONFIRMATION_SALT
from drafts.models import ConsultationStatus, DraftPage, Moderation, Provision
from econsult.identity.models import Assurance
from econsult.identity.services import is_verified, provider_level, verified_name
from econsult.text import clean_input


class FeedbackRefused(Exception):
    """A post the rules refuse; the message is for the person who posted."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ConsultationClosed(FeedbackRefused):
    status = 403


class RateLimited(FeedbackRefused):
    status = 429


@dataclass(frozen=True)
class Author:
    """Who is posting: an account, or a name and an e-mail address to confirm."""

    user: AbstractBaseUser | None
    name: str
    email: str
    ip_address: str | None = None


def window_refusal(draft: DraftPage, now: datetime | None = None) -> str | None:
    """Why the draft does not take feedback at `now` (server time, Asia/Ho_Chi_Minh), or None."""
    now = now or timezone.now()
    status = draft.status_at(now)
    if status == ConsultationStatus.UPCOMING:
        when = formats.date_format(timezone.localtime(draft.opens_at), "H:i d/m/Y")
        return _("This consultation opens at %(when)s; feedback is accepted from then.") % {
            "when": when
        }
    if status == ConsultationStatus.CLOSED:
        when = formats.date_format(timezone.localtime(draft.closes_at), "H:i d/m/Y")
        return _("This consultation closed at %(when)s; feedback is no longer accepted.") % {
            "when": when
        }
    return None


class IdentityRequired(FeedbackRefused):
    """The consultation requires an identity verified by the national provider that the
    author does not have; nothing is stored."""

    status = 403


def assurance_refusal(draft: DraftPage, user) -> str | None:
    """Why `user` (None when not signed in) may not comment on or endorse comments of
    `draft`, which may require an identity verified by the national provider
    (DraftPage.required_assurance), or None. The 2025 Constitution consultation required
    VNeID level 2. Someone verified at a lower level is told how to raise it rather than
    sent to sign in with the same identity again."""
    required = draft.required_assurance or Assurance.NONE
    if required <= Assurance.NONE or is_verified(user, min_level=required):
        return None
    level = provider_level(user)
    if level is not None:
        return _(
            "Your identity was verified at level %(level)s; this consultation requires level "
            "%(required)s. Raise your electronic identification level in the %(provider)s app, "
            "then sign in with it again."
        ) % {"level": level, "required": int(required), "provider": settings.OIDC_PROVIDER_NAME}
    if required >= Assurance.LEVEL_2:
        return _(
            "This consultation accepts comments only from people whose identity the national "
            "identity provider verified at level 2. Sign in with it to comment."
        )
    return _(
        "This consultation accepts comments only from people whose identity the national "
        "identity provider verified. Sign in with it to comment."
    )


class ReplyRefused(FeedbackRefused):
    """A reply to a comment that cannot take one (removed, rejected, pending, unconfirmed, of
    another draft, or too deep); nothing is stored."""

    status = 409


def reply_refusal(*, draft: DraftPage, parent: Feedback | None) -> str | None:
    """Why `parent` cannot take a reply in `draft` now, or None. `parent` None means the
    comment asked for does not exist in this draft. The consultation's own window is checked
    separately (`window_refusal`).
    """
    if (
        parent is None
        or parent.draft_id != draft.pk
        or parent.is_removed
        or not parent.is_public
        or not parent.email_confirmed
    ):
        return _(
            "The comment you are replying to can no longer take replies: it was removed or is "
            "not published. Your reply was not sent."
        )
    if parent.level >= settings.COMMENTS_XTD_MAX_THREAD_LEVEL:
        return _("This conversation cannot go any deeper; reply higher up.")
    return None


def feedback_submit(
    *,
    draft: DraftPage,
    author: Author,
    text: str,
    provision: Provision | None = None,
    parent: Feedback | None = None,
    stance: str = "",
    proposed_wording: str = "",
    respondent_type: str = "citizen",
    organisation: str = "",
    province: str = "",
    show_name: bool = True,
    followup: bool = False,
    attachment: UploadedFile | None = None,
    attachment_type: str = "",
    submission_key: uuid.UUID | None = None,
    now: datetime | None = None,
    official: bool = False,
) -> tuple[Feedback, bool]:
    """Store one comment, or refuse it with a reason; returns (feedback, created).

    Nothing is partly saved: the checks come first and the row is written in one transaction.
    The same submission key sent twice (a double click, a resubmitted form) returns the comment
    already stored: the unique key refuses the second row, and the first is returned.
    Every text is stored as people meant it (econsult.text.clean_input: NFC, no invisible
    controls).

    `official`: a part of an agency's official opinion asked for in writing (consult.opinions,
    Law 64/2025 Art. 30), posted by its staff member `author.user`: it answers the request's
    own deadline, not the public consultation's window, is not rate-limited, needs no verified
    identity (the agency answers, through its staff's admin account) and is published at
    once, whatever the draft's moderation.
    """
    text, proposed_wording = clean_input(text), clean_input(proposed_wording)
    organisation = clean_input(organisation)
    if not official and (refusal := window_refusal(draft, now)):
        raise ConsultationClosed(refusal)
    user = author.user if author.user and author.user.is_authenticated else None
    if not official and (refusal := assurance_refusal(draft, user)):
        raise IdentityRequired(refusal)
    if user is None and not draft.allow_anonymous:
        raise FeedbackRefused(_("Sign in to comment on this consultation."))
    if provision is not None and (provision.version.page_id != draft.pk or provision.withdrawn):
        raise FeedbackRefused(_("This provision is no longer part of the draft."))
    if parent is not None:
        if refusal := reply_refusal(draft=draft, parent=parent):
            raise ReplyRefused(refusal)
        provision = parent.provision
    if not official and not ratelimit.allow_post(
        user_id=user.pk if user else None, ip_address=author.ip_address
    ):
        raise RateLimited(
            _("You are posting too fast: at most %(n)d comments a minute. Wait a moment.")
            % {"n": settings.FEEDBACK_RATE_PER_MINUTE}
        )

    published = user is not None and (official or draft.moderation == Moderation.POST)
    feedback = Feedback(
        content_type=ContentType.objects.get_for_model(DraftPage),
        object_pk=str(draft.pk),
        site_id=Site.objects.get_current().pk,
        user=user,
        user_name=_author_name(author, user),
        user_email=(user.email if user else author.email),
        comment=text,
        submit_date=now or timezone.now(),
        ip_address=author.ip_address,
        is_public=published,
        followup=followup,
        parent_id=parent.pk if parent else 0,
        draft=draft,
        provision=provision,
        stance="" if parent else stance,
        proposed_wording="" if parent else proposed_wording,
        respondent_type=respondent_type,
        organisation=organisation,
        province=province,
        show_name=show_name,
        attachment_type=attachment_type if attachment else "",
        submission_key=submission_key,
        email_confirmed=user is not None,
        # The badge: how the provider had verified the author when they posted.
        verified_level=provider_level(user),
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    if attachment:
        feedback.attachment.save(f"{uuid.uuid4().hex}.{attachment_type}", attachment, save=False)
    # Uniqueness and the check constraint are the database's to enforce (an IntegrityError on
    # the submission key is a resubmission, handled below); validating them here would cost
    # two more queries on every post.
    feedback.full_clean(
        exclude=["content_type", "site", "user", "draft", "provision"],
        validate_unique=False,
        validate_constraints=False,
    )
    try:
        with transaction.atomic():
            if parent is not None:
                # Checked again under the parent's lock: a moderator may have removed it since.
                locked = Feedback.objects.select_for_update(of=("self",)).filter(pk=parent.pk)
                if refusal := reply_refusal(draft=draft, parent=locked.first()):
                    raise ReplyRefused(refusal)
            feedback.save()
            if feedback.is_public:
                feedback_added(feedback)
            # The e-mails are outbox rows of this transaction: a broker that is down delays
            # them, never loses them.
            if not feedback.email_confirmed:
                notifications.send_confirmation_request(feedback)
            elif feedback.is_public and feedback.level > 0:
                # Only a reply has a conversation whose followers want to hear of it.
                notifications.notify_followers(feedback)
    except IntegrityError:
        if submission_key is not None:
            existing = Feedback.objects.filter(submission_key=submission_key).first()
            if existing is not None:
                return existing, False
        raise

    feedback_touched_on_commit([feedback.pk])
    return feedback, True


def _author_name(author: Author, user: AbstractBaseUser | None) -> str:
    """The name stored with a comment: for an account the national provider verified, the
    name it asserted (the badge vouches for that name, not for one typed); else the one given
    with it, else the account's display name; never the username, which is a sign-in name,
    not a public one ('' shows as “Anonymous”)."""
    name = (verified_name(user) if user else "") or clean_input(author.name)
    name = name or (clean_input(user.get_full_name()) if user else "")
    return name[:50]


def feedback_confirm(*, token: str) -> Feedback:
    """Confirm a comment posted without an account, from the link e-mailed to its author.

    Confirming twice is harmless. Under pre-moderation the comment then waits for a moderator.
    """
    try:
        data = signing.loads(token, salt=CONFIRMATION_SALT, max_age=CONFIRMATION_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise FeedbackRefused(_("This confirmation link has expired.")) from exc
    except signing.BadSignature as exc:
        raise FeedbackRefused(_("This confirmation link is not valid.")) from exc
    with transaction.atomic():
        feedback = (
            Feedback.objects.select_for_update(of=("self",))
            .select_related("draft")
            .filter(pk=data.get("id"), user_email=data.get("email"))
            .first()
        )
        if feedback is None or feedback.is_removed:
            raise FeedbackRefused(_("This comment no longer exists."))
        if feedback.email_confirmed:
            return feedback
        feedback.email_confirmed = True
        feedback.is_public = feedback.draft.moderation == Moderation.POST
        feedback.save(update_fields=["email_confirmed", "is_public"])
        if feedback.is_public:
            feedback_added(feedback)
            notifications.notify_followers(feedback)
        feedback_touched_on_commit([feedback.pk])
    return feedback


def _public(feedback: Feedback) -> bool:
    return Feedback.objects.filter(public_feedback_filter(), pk=feedback.pk).exists()


def feedback_endorse(*, feedback: Feedback, user: AbstractBaseUser) -> bool:
    """“I agree with this comment”: once per person; returns False if already endorsed.

    The count stored on the comment is recounted from the endorsement rows under the comment's
    row lock, so it equals the number of distinct people endorsing whatever the order or
    concurrency of requests; the rows are unique per (person, comment) in the database.
    """
    if not _public(feedback):
        raise FeedbackRefused(_("Only published comments can be endorsed."))
    if feedback.user_id == user.pk:
        raise FeedbackRefused(_("You cannot endorse your own comment."))
    # Endorsements are counted like comments: the same verified identity is required.
    if refusal := assurance_refusal(feedback.draft, user):
        raise IdentityRequired(refusal)
    with transaction.atomic():
        _lock(feedback)
        _flag, created = CommentFlag.objects.get_or_create(
            comment_id=feedback.pk, user=user, flag=ENDORSEMENT_FLAG
        )
        if created:
            feedback.endorsement_count = endorsements_recount(feedback.pk)
    return created


def feedback_unendorse(*, feedback: Feedback, user: AbstractBaseUser) -> bool:
    """Withdraw one's endorsement; returns False if there was none. Allowed whatever the
    comment's state: withdrawing never shows anything."""
    with transaction.atomic():
        _lock(feedback)
        deleted, _rows = CommentFlag.objects.filter(
            comment_id=feedback.pk, user=user, flag=ENDORSEMENT_FLAG
        ).delete()
        if deleted:
            feedback.endorsement_count = endorsements_recount(feedback.pk)
    return bool(deleted)


def _lock(feedback: Feedback) -> None:
    list(Feedback.objects.select_for_update(of=("self",)).filter(pk=feedback.pk).values("pk"))


def endorsements_recount(feedback_id: int) -> int:
    """Store on comment `feedback_id` the number of people endorsing it; returns it. Exact when
    the caller holds the comment's row lock (or on SQLite, one writer at a time)."""
    count = CommentFlag.objects.filter(comment_id=feedback_id, flag=ENDORSEMENT_FLAG).count()
    Feedback.objects.filter(pk=feedback_id).update(endorsement_count=count)
    feedback_touched_on_commit([feedback_id])
    return count


def feedback_flag(*, feedback: Feedback, user: AbstractBaseUser, reason: str) -> bool:
    """A reader asks moderators to look at a comment; once per person and reason."""
    if reason not in FeedbackFlagReason.values:
        raise ValidationError(_("Choose why you are reporting this comment."))
    if not _public(feedback):
        raise FeedbackRefused(_("Only published comments can be reported."))
    with transaction.atomic():
        _flag, created = CommentFlag.objects.get_or_create(comment=feedback, user=user, flag=reason)
        if created:
            Feedback.objects.filter(pk=feedback.pk).update(flag_count=F("flag_count") + 1)
    return created
