"""Building the exports of a synthesis report, on a Celery worker (see consult/reports/services.py
for the rules): writing the file with a heartbeat and its progress, failing the builds whose
worker died (`report_exports_reap`) and keeping the latest KEEP finished exports."""

from __future__ import annotations

import logging
import os
import tempfile
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.db import connection
from django.db.models import Q
from django.utils import timezone, translation

from consult.reports import formats as exports
from consult.reports.models import ReportExport
from consult.reports.rows import (
    ReportRow,
    report_fingerprint,
    report_head,
    report_row_count,
    report_rows,
)

KEEP = 3

logger = logging.getLogger(__name__)
Status = ReportExport.Status


PROGRESS_EVERY = 1000


def _stale_after() -> timedelta:
    return timedelta(seconds=getattr(settings, "CELERY_TASK_TIME_LIMIT", 30 * 60) + 60)


WORKER_DIED = "The worker building this export stopped; ask for the export again."


TIME_LIMIT = "Not finished within the task's time limit."


def _stale(now) -> Q:
    """Exports whose build is dead: running without a recent heartbeat, or queued past the
    task's time limit."""
    silent = now - timedelta(seconds=settings.REPORT_EXPORT_STALE_SECONDS)
    return Q(status=Status.RUNNING) & (
        Q(heartbeat_at__lt=silent) | Q(heartbeat_at=None, created_at__lt=silent)
    ) | Q(status=Status.QUEUED, created_at__lt=now - _stale_after())


def report_exports_reap(*, draft_id: int | None = None) -> int:
    """Fail the exports whose build died (all drafts', or `draft_id`'s) and remove their
    temporary files, so their slots are free again; returns how many were failed.

    Each row is failed with a conditional UPDATE, so a build that beats again in the meantime
    is left alone."""
    now = timezone.now()
    stale = ReportExport.objects.filter(_stale(now))
    if draft_id is not None:
        stale = stale.filter(draft_id=draft_id)
    failed = 0
    for export in stale.only("pk", "status", "temp_path"):
        error = WORKER_DIED if export.status == Status.RUNNING else TIME_LIMIT
        if not ReportExport.objects.filter(_stale(now), pk=export.pk).update(
            status=Status.FAILED, error=error, finished_at=now, temp_path=""
        ):
            continue
        failed += 1
        logger.warning("Report export %s failed: %s", export.pk, error)
        _remove(export.temp_path)
    return failed


def _remove(path: str) -> None:
    if not path:
        return
    try:
        os.remove(path)
    except FileNotFoundError:
        pass
    except OSError:
        logger.warning("Could not remove the temporary file %s", path)


@contextmanager
def _heartbeat(export_id: int):
    """Beat for the export from a thread while the block runs; the thread dies with its
    process, so the beats stop when the worker is killed."""
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(settings.REPORT_EXPORT_HEARTBEAT_SECONDS):
                try:
                    ReportExport.objects.filter(pk=export_id, status=Status.RUNNING).update(
                        heartbeat_at=timezone.now()
                    )
                except Exception:
                    logger.exception("Report export %s: heartbeat not written", export_id)
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name=f"report-export-{export_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def _counted(rows: Iterable[ReportRow], export_id: int) -> Iterator[ReportRow]:
    for done, row in enumerate(rows, start=1):
        yield row
        if done % PROGRESS_EVERY == 0:
            ReportExport.objects.filter(pk=export_id).update(
                rows_done=done, heartbeat_at=timezone.now()
            )


def report_export_build(*, export_id: int) -> ReportExport | None:
    """Write the export's file; the task's body. Returns None if it was not queued."""
    tmp_dir = settings.REPORT_EXPORT_TMP_DIR
    os.makedirs(tmp_dir, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed and removed in `finally`)
        dir=tmp_dir, prefix=f"report-export-{export_id}-", delete=False
    )
    claimed = ReportExport.objects.filter(pk=export_id, status=Status.QUEUED).update(
        status=Status.RUNNING, heartbeat_at=timezone.now(), temp_path=handle.name
    )
    if not claimed:
        handle.close()
        _remove(handle.name)
        return None
    export = ReportExport.objects.select_related("draft", "draft__agency").get(pk=export_id)
    draft = export.draft
    try:
        # The temporary file is removed whatever happens here, and by the reaper if the
        # worker dies; the report is a Vietnamese document whoever asked for it and whatever
        # the worker's language.
        with handle, _heartbeat(export_id), translation.override(settings.LANGUAGE_CODE):
            # The fingerprint is taken before the rows are read: a change during the build
            # makes the next request's fingerprint differ, so it is built again.
            fingerprint = report_fingerprint(draft=draft, scope=export.scope)
            total = report_row_count(draft=draft, scope=export.scope)
            ReportExport.objects.filter(pk=export_id).update(
                rows_total=total, fingerprint=fingerprint
            )
            head = report_head(draft=draft, scope=export.scope)
            rows = _counted(report_rows(draft=draft, scope=export.scope), export_id)
            written = exports.WRITERS[export.format](handle, head, rows)
            handle.flush()
            handle.seek(0)
            name = f"bao-cao-tong-hop-{export.scope}-{export.pk}.{export.format}"
            export.file.save(name, File(handle), save=False)
        done = ReportExport.objects.filter(pk=export_id, status=Status.RUNNING).update(
            status=Status.DONE,
            file=export.file.name,
            rows_total=written,
            rows_done=written,
            finished_at=timezone.now(),
            temp_path="",
        )
        if not done:
            # Failed by the reaper while this build was silent: its file is not kept.
            export.file.delete(save=False)
    except Exception as exc:
        logger.exception("Report export %s failed", export_id)
        if export.file.name:
            export.file.delete(save=False)
        ReportExport.objects.filter(pk=export_id).update(
            status=Status.FAILED,
            file="",
            error=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
            temp_path="",
        )
    else:
        if done:
            report_exports_prune(draft_id=draft.pk, format=export.format, scope=export.scope)
    finally:
        _remove(handle.name)
    export.refresh_from_db()
    return export


def report_exports_prune(*, draft_id: int, format: str, scope: str, keep: int = KEEP) -> int:
    """Delete, with their files, the finished exports beyond the latest `keep`."""
    finished = ReportExport.objects.filter(
        draft_id=draft_id, format=format, scope=scope, status__in=(Status.DONE, Status.FAILED)
    ).order_by("-created_at", "-pk")
    old = list(finished[keep:])
    for export in old:
        if export.file.name:
            try:
                export.file.delete(save=False)
            except OSError:
                logger.warning("Could not delete %s", export.file.name)
    ReportExport.objects.filter(pk__in=[export.pk for export in old]).delete()
    return len(old)
