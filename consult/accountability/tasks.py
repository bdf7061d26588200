"""Celery tasks of accountability: refreshing drafts' figures, one at a time and by beat.

Each task keeps the name it had before consult/ was split into rooms (`consult.tasks.…`),
so messages queued and beat entries written by an earlier release still find it.
"""

from celery import shared_task
from django.db import DatabaseError


# Nobody reads their results: with ignore_result, queueing one from a request (a comment
# arriving) never touches the result backend, which retries for 20 s when it is down.
@shared_task(
    name="consult.tasks.draft_figures_refresh",
    ignore_result=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=5,
    retry_jitter=True,
    max_retries=5,
)
def draft_figures_refresh(draft_id: int) -> None:
    """Recompute one draft's accountability figures (answers, delays, satisfaction)."""
    from consult.accountability.selectors import draft_figures_refresh as refresh

    refresh(draft_id=draft_id)


@shared_task(
    name="consult.tasks.feedback_figures_refresh",
    ignore_result=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=5,
    retry_jitter=True,
    max_retries=5,
)
def feedback_figures_refresh(feedback_ids: list[int]) -> int:
    """Recompute the figures of the drafts these comments belong to (sent when comments
    arrive or change); returns the number of drafts refreshed."""
    from consult.accountability.selectors import draft_figures_refresh as refresh
    from consult.accountability.selectors import feedback_draft_ids

    draft_ids = feedback_draft_ids(feedback_ids)
    for draft_id in draft_ids:
        refresh(draft_id=draft_id)
    return len(draft_ids)


@shared_task(name="consult.tasks.draft_figures_refresh_active", ignore_result=True)
def draft_figures_refresh_active() -> int:
    """Every few minutes (beat): queue a refresh of each draft whose figures still move,
    since a new comment changes a draft's figures without any answer event."""
    from consult.accountability.selectors import active_draft_ids

    draft_ids = active_draft_ids()
    for draft_id in draft_ids:
        draft_figures_refresh.delay(draft_id)
    return len(draft_ids)
