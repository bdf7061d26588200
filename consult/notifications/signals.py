"""Signal handlers of notifications: each queues the event's fan-out task, nothing more."""

from __future__ import annotations

from econsult.queueing import enqueue, enqueue_on_commit


def version_published(sender, page, version, created, **kwargs) -> None:
    """Dự thảo N published for the first time: tell the followers of the draft and its
    agency (Dự thảo 1: a new consultation, for the agency's followers)."""
    from consult.notifications import tasks

    if created:
        enqueue_on_commit(
            tasks.follow_event, "version", version.pk, consequence="followers not told"
        )


def report_published(sender, draft_id, **kwargs) -> None:
    """The synthesis report published (sent after the commit): tell the followers."""
    from consult.notifications import tasks

    enqueue(tasks.follow_event, "report", draft_id, consequence="followers not told")


def connect() -> None:
    from consult.reports.events import report_published as report_published_signal
    from drafts.events import provisions_published
    from drafts.models import DraftPage

    provisions_published.connect(
        version_published, sender=DraftPage, dispatch_uid="notifications.version_published"
    )
    report_published_signal.connect(report_published, dispatch_uid="notifications.report_published")
