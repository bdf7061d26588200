"""Reads on feedback, shaped for the pages that show them."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q
from django_comments.models import CommentFlag

from consult.diff import word_diff
from consult.models import Feedback
from consult.models.feedback import ENDORSEMENT_FLAG
from drafts.models import DraftPage, Provision


def thread_feedback(
    *, draft: DraftPage, provision: Provision | None, user: AbstractBaseUser | None = None
) -> list[Feedback]:
    """The conversation on one provision (or on the whole draft), in thread order.

    Published comments, the places of removed ones, and the reader's own comments still
    waiting for moderation or confirmation. One query, plus one for the reader's endorsements.
    """
    visible = Q(is_public=True, email_confirmed=True)
    if user is not None and user.is_authenticated:
        visible |= Q(user=user, is_removed=False)
    comments = list(
        Feedback.objects.filter(visible, draft=draft, provision=provision)
        .select_related("user")
        .order_by("thread_id", "order")
    )
    endorsed: set[int] = set()
    if user is not None and user.is_authenticated and comments:
        endorsed = set(
            CommentFlag.objects.filter(
                user=user, flag=ENDORSEMENT_FLAG, comment_id__in=[c.pk for c in comments]
            ).values_list("comment_id", flat=True)
        )
    original = provision.text if provision is not None else ""
    for comment in comments:
        comment.wording_diff = (
            word_diff(original, comment.proposed_wording) if comment.proposed_wording else []
        )
        comment.endorsed_by_reader = comment.pk in endorsed
        comment.is_own = bool(user and user.is_authenticated and comment.user_id == user.pk)
    return comments
