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

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consult.answers.events import answering_changed_on_commit
from consult.answers.services import can_answer, check_can_answer
from consult.reports.builds import report_exports_reap
from consult.reports.events import report_published_on_commit
from consult.reports.models import ReportExport, SynthesisReport
from consult.reports.rows import (
    INTERNAL,
    PUBLIC,
    report_fingerprint,
)
from drafts.models import ConsultationStatus, DraftPage
from econsult.queueing import enqueue
from econsult.text import clean_input

logger = logging.getLogger(__name__)

User = AbstractBaseUser | AnonymousUser
Status = ReportExport.Status
IN_FLIGHT = (Status.QUEUED, Status.RUNNING)
MAX_IN_FLIGHT = 3


class ExportBusy(ValidationError):
    """Too many exports of this draft are being built; the caller should try again shortly."""


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


# Building


def report_publish(*, user: User, draft: DraftPage, introduction: str = "") -> SynthesisReport:
    """Declare the synthesis report published (the first time) and set its introduction.

    Raises PermissionDenied when `user` does not answer for `draft`, and ValidationError
    when the consultation has not opened yet: there is no comment to report on."""
    check_can_answer(user, draft)
    if draft.status == ConsultationStatus.UPCOMING:
        raise ValidationError(
            _(
                "The consultation has not opened yet: its synthesis report can be published "
                "once comments have been taken."
            )
        )
    with transaction.atomic():
        report, _created = SynthesisReport.objects.select_for_update().get_or_create(draft=draft)
        report.introduction = clean_input(introduction).strip()
        first = report.published_at is None
        if first:
            report.published_at = timezone.now()
            report.published_by = user
        report.full_clean(exclude=["draft", "published_by"])
        report.save()
        answering_changed_on_commit(draft.pk)
        if first:
            report_published_on_commit(draft.pk)
    return report
