"""Reads on feedback, shaped for the pages that show them."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.paginator import Page, Paginator
from django.db.models import Q
from django_comments.models import CommentFlag

from consult.feedback.diff import word_diff
from consult.feedback.hooks import comment_extras_attach, comment_extras_related
from consult.feedback.models import ENDORSEMENT_FLAG, Feedback, RespondentType, Stance
from consult.feedback.provinces import PROVINCE_NAMES
from drafts.models import DraftPage, Provision

THREADS_PER_PAGE = 50
RESPONDENT_LABELS = dict(RespondentType.choices)
STANCE_LABELS = dict(Stance.choices)


def thread_feedback(
    *,
    draft: DraftPage,
    provision: Provision | None,
    user: AbstractBaseUser | None = None,
    page: int = 1,
) -> tuple[list[Feedback], Page]:
    """The conversation on one provision (or on the whole draft), in thread order, a page of
    conversations at a time.

    Published comments, the places of removed ones, and the reader's own comments still
    waiting for moderation or confirmation. A provision's conversation holds the comments
    made on it in every version of the draft (same key): each comment carries
    `version_number`, the Dự thảo it was made on, `changed_since` (the provision's text or
    title differs in `provision`'s version) and then `earlier_text` and `earlier_title`, the
    provision as the comment read it ("" otherwise). A query for the
    page's conversations, one for their comments, one for the reader's endorsements.
    """
    visible = Q(is_public=True, email_confirmed=True)
    if user is not None and user.is_authenticated:
        visible |= Q(user=user, is_removed=False)
    if provision is None:
        scope = Feedback.objects.filter(visible, draft=draft, provision=None)
    else:
        scope = Feedback.objects.filter(visible, draft=draft, provision__key=provision.key)
    threads = Paginator(
        scope.filter(level=0).order_by("thread_id").values_list("thread_id", flat=True),
        THREADS_PER_PAGE,
    ).get_page(page)
    comments = list(
        scope.filter(thread_id__in=list(threads.object_list))
        .select_related(*comment_extras_related(), "user", "provision__version")
        .order_by("thread_id", "order")
    )
    endorsed: set[int] = set()
    if user is not None and user.is_authenticated and comments:
        endorsed = set(
            CommentFlag.objects.filter(
                user=user, flag=ENDORSEMENT_FLAG, comment_id__in=[c.pk for c in comments]
            ).values_list("comment_id", flat=True)
        )
    for comment in comments:
        made_on = comment.provision
        # A proposed wording is read against the text it was proposed for.
        original = made_on.text if made_on is not None else ""
        comment.wording_diff = (
            word_diff(original, comment.proposed_wording) if comment.proposed_wording else []
        )
        comment.version_number = made_on.version.number if made_on is not None else None
        comment.changed_since = (
            made_on is not None
            and made_on.version_id != provision.version_id
            and (made_on.text, made_on.title) != (provision.text, provision.title)
        )
        comment.earlier_text = made_on.text if comment.changed_since else ""
        comment.earlier_title = made_on.title if comment.changed_since else ""
        comment.endorsed_by_reader = comment.pk in endorsed
        comment.is_own = bool(user and user.is_authenticated and comment.user_id == user.pk)
        comment.respondent_label = RESPONDENT_LABELS.get(comment.respondent_type, "")
        comment.province_label = PROVINCE_NAMES.get(comment.province, "")
        comment.stance_label = STANCE_LABELS.get(comment.stance, "")
    comment_extras_attach(comments, user=user)
    return comments, threads
