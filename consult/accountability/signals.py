"""Signal handlers of accountability, connected from AccountabilityConfig.ready().

The answers room sends `answering_changed` when a draft's record of answering changed, and
the feedback room sends `feedback_touched` when comments arrive, are published, hidden or
answered; the figures of their drafts are then refreshed by a task, so the public figures
agree with the inbox a moment after a comment arrives. Queueing never fails the request that
caused it: when the broker is down, beat's refresh of the drafts whose figures still move
catches up.
"""

from consult.accountability import tasks
from consult.answers.events import answering_changed
from consult.feedback.events import feedback_touched
from econsult.queueing import enqueue


def refresh_draft_figures(sender, draft_id: int, **kwargs) -> None:
    """Queue the refresh of the figures of a draft whose answering changed."""
    enqueue(tasks.draft_figures_refresh, draft_id, consequence="beat refreshes the figures later")


def refresh_feedback_figures(sender, feedback_ids: list[int], **kwargs) -> None:
    """Queue the refresh of the figures of the drafts of comments that changed (a new
    comment, one published or hidden by moderation)."""
    enqueue(
        tasks.feedback_figures_refresh,
        list(feedback_ids),
        consequence="beat refreshes the figures later",
    )


def connect() -> None:
    """Connect the handlers above (once, whatever the number of calls)."""
    answering_changed.connect(refresh_draft_figures, dispatch_uid="accountability_refresh_figures")
    feedback_touched.connect(
        refresh_feedback_figures, dispatch_uid="accountability_refresh_feedback_figures"
    )
