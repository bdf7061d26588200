"""Exports of the synthesis report: asked for on the report page or the agency's inbox, built
by a Celery task that reports its progress, downloaded once ready.

Who may ask: anyone, for the public report (published answers) of a draft whose consultation
has opened; the drafting agency's staff and site administrators (`responses.can_answer`) for
the internal one, which also holds answers not yet published.

An export is built once per state of the report: its fingerprint (`report_rows.
report_fingerprint`) says what it was built from, and a request for a report that has not
changed gets the finished export, or the one being built, instead of a new build. A draft has
at most MAX_IN_FLIGHT exports queued or running at a time. A running build beats (writes
`heartbeat_at`) every REPORT_EXPORT_HEARTBEAT_SECONDS; one whose heartbeat is older than
REPORT_EXPORT_STALE_SECONDS (its worker was killed) is failed, and its temporary file removed,
by beat's `report_exports_reap` or by the next request for that draft. An export still queued
past the task's time limit is failed too. Only the latest KEEP finished exports per draft,
format and scope are kept, with their files.
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from consult.answers.events import answering_changed_on_commit
from consult.answers.services import can_answer, check_can_answer
from consult.reports import formats as exports
from consult.reports.models import ReportExport, SynthesisReport
from consult.reports.rows import (
    INTERNAL,
    PUBLIC,
    ReportRow,
    report_fingerprint,
    report_head,
    report_row_count,
    report_rows,
)
from drafts.models import DraftPage
from econsult.queueing import enqueue
from econsult.text import clean_input

logger = logging.getLogger(__name__)

User = AbstractBaseUser | AnonymousUser
Status = ReportExport.Status
IN_FLIGHT = (Status.QUEUED, Status.RUNNING)
MAX_IN_FLIGHT = 3
KEEP = 3
PROGRESS_EVERY = 1000


class ExportBusy(ValidationError):
    """Too many exports of this draft are being built; the caller should try again shortly."""


def _stale_after() -> timedelta:
    return timedelta(seconds=getattr(settings, "CELERY_TASK_TIME_LIMIT", 30 * 60) + 60)


# Rights


def can_read_export(user: User, export: ReportExport) -> bool:
    """Public exports are anyone's; internal ones only the answering agency's."""
    return export.scope == PUBLIC or can_answer(user, export.draft)


def check_can_request(user: User, draft: DraftPage, scope: str) -> None:
    if scope == INTERNAL:
        if not can_answer(user, draft):
            raise PermissionDenied(
                _("Only the drafting agency's staff may export answers not yet published.")
            )
    elif scope != PUBLIC:
        raise ValidationError(_("Unknown report scope."))
    elif not draft.live or draft.opens_at > timezone.now():
        raise PermissionDenied(_("This consultation has not opened yet."))


def download_name(export: ReportExport) -> str:
    suffix = "-noi-bo" if export.scope == INTERNAL else ""
    return f"bao-cao-tong-hop-{export.draft.slug}{suffix}.{export.format}"


# Requesting


def report_export_request(
    *, draft: DraftPage, format: str, scope: str = PUBLIC, user: User
) -> ReportExport:
    """The export of `draft`'s report in `format`: a finished one of the same report, the one
    being built, or a new one queued for the task."""

    if format not in ReportExport.Format.values:
        raise ValidationError(_("Unknown export format."))
    check_can_request(user, draft, scope)
    fingerprint = report_fingerprint(draft=draft, scope=scope)
    with transaction.atomic():
        # One request at a time per draft decides; the lock is held for a few small queries.
        list(
            DraftPage.objects.select_for_update(of=("self",))
            .filter(pk=draft.pk)
            .values_list("pk", flat=True)
        )
        _fail_stale(draft)
        same = ReportExport.objects.filter(
            draft=draft, format=format, scope=scope, fingerprint=fingerprint
        )
        existing = (
            same.filter(status__in=IN_FLIGHT).first()
            or same.filter(status=Status.DONE).exclude(file="").first()
        )
        if existing is not None:
            return existing
        if ReportExport.objects.filter(draft=draft, status__in=IN_FLIGHT).count() >= MAX_IN_FLIGHT:
            raise ExportBusy(
                _("Several exports of this report are being prepared; try again in a minute.")
            )
        export = ReportExport.objects.create(
            draft=draft,
            format=format,
            scope=scope,
            fingerprint=fingerprint,
            requested_by=user if user.is_authenticated else None,
        )
        transaction.on_commit(lambda: _queue_build(export.pk))
    return export


def _queue_build(export_id: int) -> None:
    """Start the build; if the broker is down, the job fails at once with a message rather
    than waiting forever in the queue."""
    from consult.reports import tasks

    if not enqueue(tasks.build_report_export, export_id, consequence="export marked failed"):
        ReportExport.objects.filter(pk=export_id, status=ReportExport.Status.QUEUED).update(
            status=ReportExport.Status.FAILED,
            error="The export could not be started (task queue unavailable); try again later.",
            finished_at=timezone.now(),
        )


def _fail_stale(draft: DraftPage) -> None:
    report_exports_reap(draft_id=draft.pk)


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


# Building


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


def report_publish(*, user: User, draft: DraftPage, introduction: str = "") -> SynthesisReport:
    """Declare the synthesis report published (the first time) and set its introduction."""
    check_can_answer(user, draft)
    with transaction.atomic():
        report, _created = SynthesisReport.objects.select_for_update().get_or_create(draft=draft)
        report.introduction = clean_input(introduction).strip()
        if report.published_at is None:
            report.published_at = timezone.now()
            report.published_by = user
        report.full_clean(exclude=["draft", "published_by"])
        report.save()
        answering_changed_on_commit(draft.pk)
    return report
