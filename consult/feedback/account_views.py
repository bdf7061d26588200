"""Pages of a signed-in person's own account: the feedback they have given."""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import F
from django.template.response import TemplateResponse
from django.urls import reverse

from consult.feedback.counters import public_feedback_filter
from consult.feedback.hooks import comment_extras_attach, comment_extras_related
from consult.feedback.models import Feedback
from consult.feedback.views import VERSION_PARAM, provision_now

MY_FEEDBACK_PER_PAGE = 20


def my_feedback_page(*, user, number: int | str | None, request=None) -> Page:
    """One page of the person's comments on every draft, newest first, each with its state,
    the published replies to it, the drafting agency's published answer and the link to it.

    A fixed number of queries whatever the page holds: the count, the page of comments with
    their draft, provision and answer, the replies to all of them (with their authors'
    accounts, for the names shown), the earlier wordings of revised answers and the person's
    ratings of answers (when there are any), and the site's root paths (once); and two for
    each comment waiting for moderation made on an earlier version, to follow its provision.
    """
    comments = (
        Feedback.objects.filter(user=user)
        .select_related("draft", "provision__version", *comment_extras_related())
        .defer("draft__body")
        .order_by("-submit_date", "-pk")
    )
    page = Paginator(comments, MY_FEEDBACK_PER_PAGE).get_page(number)
    rows = list(page.object_list)

    replies: dict[int, list[Feedback]] = defaultdict(list)
    if rows:
        # xtd stores a top-level comment as its own parent: those rows are not replies.
        for reply in (
            Feedback.objects.filter(public_feedback_filter(), parent_id__in=[c.pk for c in rows])
            .exclude(pk=F("parent_id"))
            .select_related("user")
            .order_by("submit_date", "pk")
        ):
            replies[reply.parent_id].append(reply)

    draft_urls: dict[int, str] = {}
    for comment in rows:
        draft = comment.draft
        if draft.pk not in draft_urls:
            draft_urls[draft.pk] = draft.get_url(request) or ""
        draft_url = draft_urls[draft.pk]
        comment.draft_url = draft_url
        # Published comments have a permanent link; the thread page shows the author their own
        # comments still waiting for moderation, on their provision followed by key.
        if comment.state == "published":
            comment.link = reverse("feedback:feedback", args=[comment.pk])
        elif comment.state == "pending":
            provision, earlier = comment.provision, None
            if provision is not None and provision.version.number != draft.version_number:
                provision, earlier = provision_now(comment)
            thread_url = f"{draft_url}gop-y/" + (f"{provision.anchor}/" if provision else "")
            if earlier:
                thread_url += f"?{VERSION_PARAM}={earlier}"
            comment.link = f"{thread_url}#c{comment.pk}"
        else:
            comment.link = ""
        comment.replies = replies.get(comment.pk, [])
    comment_extras_attach(rows, user=user)
    page.object_list = rows
    return page


@login_required
def my_feedback(request):
    """“My feedback”: everything the signed-in person has said, and what came of it."""
    page = my_feedback_page(user=request.user, number=request.GET.get("page"), request=request)
    return TemplateResponse(
        request,
        "feedback/my_feedback.html",
        {"feedback_page": page, "comments": page.object_list},
    )
