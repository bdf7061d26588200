"""Reads on feedback, shaped for the pages that show them."""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth.models import AbstractBaseUser
from django.core.paginator import Page, Paginator
from django.db.models import Q
from django_comments.models import CommentFlag

from consult.diff import word_diff
from consult.models import Feedback, RespondentType, ResponseRevision, Satisfaction, Stance
from consult.models.feedback import ENDORSEMENT_FLAG
from consult.provinces import PROVINCE_NAMES
from consult.responses import can_rate
from drafts.models import DraftPage, Provision

THREADS_PER_PAGE = 50
RESPONDENT_LABELS = dict(RespondentType.choices)
STANCE_LABELS = dict(Stance.choices)
# What answers_attach() needs read with each comment.
ANSWER_RELATED = ("response", "response__agency")


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
    waiting for moderation or confirmation. A query for the page's conversations, one for
    their comments, one for the reader's endorsements.
    """
    visible = Q(is_public=True, email_confirmed=True)
    if user is not None and user.is_authenticated:
        visible |= Q(user=user, is_removed=False)
    scope = Feedback.objects.filter(visible, draft=draft, provision=provision)
    threads = Paginator(
        scope.filter(level=0).order_by("thread_id").values_list("thread_id", flat=True),
        THREADS_PER_PAGE,
    ).get_page(page)
    comments = list(
        scope.filter(thread_id__in=list(threads.object_list))
        .select_related(*ANSWER_RELATED, "user")
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
        comment.respondent_label = RESPONDENT_LABELS.get(comment.respondent_type, "")
        comment.province_label = PROVINCE_NAMES.get(comment.province, "")
        comment.stance_label = STANCE_LABELS.get(comment.stance, "")
    answers_attach(comments, user=user)
    return comments, threads


def answers_attach(comments: list[Feedback], *, user: AbstractBaseUser | None = None) -> None:
    """Give each comment its published answer as `comment.answer` (None when it has none or
    the answer is not published yet), with `answer.earlier_wordings` for an answer changed
    after publication; and, for comments of the signed-in `user`, `comment.rating` (their
    Satisfaction) and `comment.can_rate`.

    The comments must be read with select_related(*ANSWER_RELATED). At most two queries,
    whatever their number: the earlier wordings of revised answers, the reader's ratings.
    """
    revised: set[int] = set()
    for comment in comments:
        response = comment.response if comment.response_id else None
        comment.answer = response if response is not None and response.is_published else None
        if comment.answer is not None:
            comment.answer.earlier_wordings = []
            if comment.answer.revised_at:
                revised.add(comment.answer.pk)
        comment.rating = None
        comment.can_rate = False
    if revised:
        earlier: dict[int, list[ResponseRevision]] = defaultdict(list)
        for revision in ResponseRevision.objects.filter(response_id__in=revised):
            earlier[revision.response_id].append(revision)
        for comment in comments:
            if comment.answer is not None and comment.answer.pk in earlier:
                comment.answer.earlier_wordings = earlier[comment.answer.pk]
    if user is None or not user.is_authenticated:
        return
    own = [c for c in comments if c.answer is not None and can_rate(user, c)]
    if not own:
        return
    ratings = {
        rating.feedback_id: rating
        for rating in Satisfaction.objects.filter(feedback_id__in=[c.pk for c in own])
    }
    for comment in own:
        comment.rating = ratings.get(comment.pk)
        comment.can_rate = comment.rating is None
