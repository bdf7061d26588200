"""Reads for the drafters' response inbox: a draft's published comments, filtered and sorted
for answering, and the figures the answer pages show.

The inbox lists top-level published comments only; replies are part of the conversation, not
separate comments to answer. Filtering on a provision takes everything under it: a chapter
brings its sections, articles, clauses and points, matched on the provision path, so comments
on earlier versions' rows with the same path come along.

The text filter is a plain case-insensitive "contains" for now; the search engine will take it
over (search/interface.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from consult.answers.models import Response, ResponseRevision, Satisfaction
from consult.answers.services import can_rate
from consult.answers.traces import responses_traces
from consult.feedback.counters import public_feedback_filter
from consult.feedback.models import Feedback
from drafts.models import DraftPage, Provision
from drafts.selectors import provision_choices, provision_lookup, provision_subtree_filter

WHOLE_DRAFT = "_whole"  # the provision filter's value for comments on the draft as a whole
OPTION_TITLE_CHARS = 60


class AnswerState:
    """Where a comment stands in being answered."""

    NONE = "none"
    PRIVATE = "private"
    PUBLISHED = "published"

    choices = [
        (NONE, _("No answer yet")),
        (PRIVATE, _("Answer not yet published")),
        (PUBLISHED, _("Answer published")),
    ]

    filters = {
        NONE: Q(response=None),
        PRIVATE: Q(response__isnull=False, response__published_at=None),
        PUBLISHED: Q(response__published_at__isnull=False),
    }


class InboxSort:
    NEWEST = "newest"
    OLDEST = "oldest"
    ENDORSEMENTS = "endorsements"

    choices = [
        (NEWEST, _("Newest first")),
        (OLDEST, _("Oldest first")),
        (ENDORSEMENTS, _("Most endorsed first")),
    ]

    orderings = {
        NEWEST: ("-submit_date", "-pk"),
        OLDEST: ("submit_date", "pk"),
        ENDORSEMENTS: ("-endorsement_count", "-submit_date", "-pk"),
    }


@dataclass(frozen=True)
class InboxFilters:
    """What the inbox is narrowed to. Empty values do not filter.

    `provision` is a Provision of the draft (its subtree is taken), or WHOLE_DRAFT."""

    provision: Provision | str | None = None
    stance: str = ""
    respondent_type: str = ""
    province: str = ""
    answered: str = ""
    text: str = ""
    ids: tuple[int, ...] = ()
    sort: str = InboxSort.NEWEST


def draft_feedback(draft: DraftPage) -> QuerySet[Feedback]:
    """Every comment the drafting agency has to consider: published and top-level."""
    return Feedback.objects.filter(public_feedback_filter(), draft=draft, level=0)


def inbox_feedback(draft: DraftPage, filters: InboxFilters | None = None) -> QuerySet[Feedback]:
    """The inbox of `draft`, filtered and sorted, each comment with its provision and its
    answer (and that answer's earlier published wordings), so a page of it costs two queries."""
    return inbox_filter(draft_feedback(draft), filters or InboxFilters())


def inbox_filter(rows: QuerySet[Feedback], filters: InboxFilters) -> QuerySet[Feedback]:
    """`rows` (comments of one draft) narrowed and sorted by `filters`, read as the inbox
    shows them (see inbox_feedback)."""
    if filters.provision == WHOLE_DRAFT:
        rows = rows.filter(provision=None)
    elif isinstance(filters.provision, Provision):
        rows = rows.filter(provision_subtree_filter(filters.provision.path, prefix="provision__"))
    if filters.stance:
        rows = rows.filter(stance=filters.stance)
    if filters.respondent_type:
        rows = rows.filter(respondent_type=filters.respondent_type)
    if filters.province:
        rows = rows.filter(province=filters.province)
    if filters.answered in AnswerState.filters:
        rows = rows.filter(AnswerState.filters[filters.answered])
    if filters.ids:
        rows = rows.filter(pk__in=filters.ids)
    if text := filters.text.strip():
        rows = rows.filter(Q(comment__icontains=text) | Q(proposed_wording__icontains=text))
    ordering = InboxSort.orderings.get(filters.sort, InboxSort.orderings[InboxSort.NEWEST])
    return (
        rows.select_related("provision", "response")
        .prefetch_related(
            Prefetch(
                "response__revisions",
                queryset=ResponseRevision.objects.select_related("replaced_by"),
            )
        )
        .order_by(*ordering)
    )


def answerable_ids(draft: DraftPage, filters: InboxFilters) -> list[int]:
    """Every comment the filters select that can still take a new answer (none published)."""
    return list(
        inbox_feedback(draft, filters)
        .filter(Q(response=None) | Q(response__published_at=None))
        .order_by()
        .values_list("pk", flat=True)
    )


def provision_resolve(draft: DraftPage, value: str) -> Provision | str | None:
    """The provision a filter value names: WHOLE_DRAFT, a provision id of any version of the
    draft, or an anchor (a live provision of the latest version that has it first).
    None when it names nothing."""
    value = (value or "").strip()
    if not value:
        return None
    if value == WHOLE_DRAFT:
        return WHOLE_DRAFT
    if value.isdigit():
        provisions = Provision.objects.filter(version__page=draft, pk=int(value))
    else:
        provisions = provision_lookup(draft, anchor=value, any_version=True)
    return provisions.only("pk", "anchor", "path", "citation", "version_id").first()


def provision_options(draft: DraftPage) -> list[tuple[str, str]]:
    """The provision filter's choices: every provision of the current version, titles cut
    short."""
    return provision_choices(draft, title_chars=OPTION_TITLE_CHARS)


def answer_counts(draft_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """Per draft: its comments, how many have an answer, how many a published one."""
    rows = (
        Feedback.objects.filter(public_feedback_filter(), draft_id__in=list(draft_ids), level=0)
        .order_by()
        .values("draft_id")
        .annotate(
            comments=Count("pk"),
            answered=Count("pk", filter=Q(response__isnull=False)),
            published=Count("pk", filter=Q(response__published_at__isnull=False)),
        )
    )
    return {row.pop("draft_id"): row for row in rows}


def draft_answer_counts(draft: DraftPage) -> dict[str, int]:
    counts = answer_counts([draft.pk]).get(draft.pk, {})
    comments = counts.get("comments", 0)
    answered = counts.get("answered", 0)
    published = counts.get("published", 0)
    return {
        "comments": comments,
        "answered": answered,
        "published": published,
        AnswerState.NONE: comments - answered,
        AnswerState.PRIVATE: answered - published,
        AnswerState.PUBLISHED: published,
    }


def covered_counts(response_ids: Iterable[int]) -> dict[int, int]:
    """How many comments each response answers."""
    rows = (
        Feedback.objects.filter(response_id__in=set(response_ids))
        .order_by()
        .values("response_id")
        .annotate(n=Count("pk"))
    )
    return {row["response_id"]: row["n"] for row in rows}


def draft_responses(draft: DraftPage, *, state: str = "") -> QuerySet[Response]:
    """The answers written for `draft`: private ones (state PRIVATE), published ones, or all;
    most recently changed first, each with its provision and the number of comments it covers."""
    rows = Response.objects.filter(draft=draft)
    if state == AnswerState.PRIVATE:
        rows = rows.filter(published_at=None)
    elif state == AnswerState.PUBLISHED:
        rows = rows.filter(published_at__isnull=False)
    return (
        rows.select_related("provision", "created_by")
        .annotate(covered=Count("feedback"))
        .order_by("-updated_at", "-pk")
    )


# What answers_attach() needs read with each comment.
ANSWER_RELATED = ("response", "response__agency")


def answers_attach(comments: list[Feedback], *, user: AbstractBaseUser | None = None) -> None:
    """Give each comment its published answer as `comment.answer` (None when it has none or
    the answer is not published yet), with `answer.earlier_wordings` for an answer changed
    after publication and `answer.traces`, the provisions of later versions it points at
    (consult.answers.traces.responses_traces); and, for comments of the signed-in `user`,
    `comment.rating` (their Satisfaction) and `comment.can_rate`.

    The comments must be read with select_related(*ANSWER_RELATED). At most five queries,
    whatever their number: the earlier wordings of revised answers, the traces (two), the
    reader's ratings.
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
    answered = [c for c in comments if c.answer is not None]
    traces = responses_traces(c.answer for c in answered)
    for comment in answered:
        comment.answer.traces = traces.get(comment.answer.pk, [])
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
