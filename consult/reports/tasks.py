"""Celery tasks of synthesis reports: building an export and failing the ones whose worker died.

Each task keeps the name it had before consult/ was split into rooms (`consult.tasks.…`),
so messages queued and beat entries written by an earlier release still find it.
"""

from celery import shared_task


@shared_task(name="consult.tasks.build_report_export", acks_late=False)
def build_report_export(export_id: int) -> str | None:
    """Write one export of a synthesis report; it records its own failure, so no retries
    (acknowledged on receipt: a build killed half-way is not started over by another worker,
    it is failed by `report_exports_reap` once its heartbeat stops)."""
    from consult.reports.builds import report_export_build

    export = report_export_build(export_id=export_id)
    return export.status if export else None


@shared_task(name="consult.tasks.report_exports_reap")
def report_exports_reap() -> int:
    """Every REPORT_EXPORT_STALE_SECONDS / 2 at most (beat): fail the exports whose worker
    died, removing their temporary files; returns how many."""
    from consult.reports.builds import report_exports_reap as reap

    return reap()
