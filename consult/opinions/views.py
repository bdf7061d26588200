"""The public side of agencies' opinions: the signed letter of an official opinion, and
the section of the draft page listing the bodies asked (drafts.hooks)."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.template.loader import render_to_string

from consult.opinions import selectors, services
from consult.opinions.models import OpinionSubmission


def pdf_response(file, filename: str) -> FileResponse:
    """A stored letter, downloaded, never rendered by the browser."""
    response = FileResponse(
        file.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def submission_letter(request, submission_id: int):
    """The signed letter of an official opinion: public while the opinion is current; on
    record (withdrawn, replaced) for the invited and the drafting agency's staff only."""
    submission = (
        OpinionSubmission.objects.select_related("invitation__request__draft")
        .defer("invitation__request__draft__body", "invitation__request__draft__summary")
        .filter(pk=submission_id)
        .first()
    )
    if submission is None:
        raise Http404
    public = submission.state == OpinionSubmission.State.CURRENT and bool(
        submission.invitation.request.draft.live
    )
    if not (
        public
        or services.can_give(request.user, submission.invitation)
        or services.can_request(request.user, submission.invitation.request)
    ):
        raise Http404
    agency = submission.invitation.agency_id
    return pdf_response(submission.letter, f"y-kien-co-quan-{agency}-{submission.pk}.pdf")


def draft_page_section(*, page, request) -> str:
    """The draft page's section on the agencies asked for their opinion (Law 64/2025
    Art. 30): each body, the deadline, answered / not yet / overdue, and the signed letter of
    each opinion given; '' when none was asked."""
    rows = selectors.draft_opinions(page)
    if not rows:
        return ""
    return render_to_string(
        "opinions/includes/draft_section.html", {"rows": rows, "page": page}, request=request
    )


def inbox_official_marks(request, comments: list) -> dict[int, str]:
    """consult.answers' inbox row marks ("insert_answers_inbox_row_marks"): {comment id: HTML
    naming the agency whose official opinion the comment is part of, with its signed letter}
    for the comments of a page of the inbox. At most two queries."""
    selectors.official_opinions_attach(comments)
    return {
        comment.pk: render_to_string(
            "opinions/includes/official_mark.html", {"comment": comment}, request=request
        )
        for comment in comments
        if comment.official_opinion
    }
