"""Exports of the synthesis report: ask for one, follow its progress, download it.

The status page works without JavaScript (it refreshes itself while the export is built); a
small script polls the progress JSON instead when it can.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from consult.reports import services as report_exports
from consult.reports.formats import CONTENT_TYPES
from consult.reports.models import ReportExport
from drafts.models import DraftPage

Status = ReportExport.Status
REFRESH_SECONDS = 3


@require_POST
def export_request(request, draft_id: int, format: str):
    if format not in ReportExport.Format.values:
        raise Http404
    draft = get_object_or_404(
        DraftPage.objects.live().defer_streamfields().select_related("agency"), pk=draft_id
    )
    try:
        export = report_exports.report_export_request(
            draft=draft,
            format=format,
            scope=request.POST.get("scope") or ReportExport.Scope.PUBLIC,
            user=request.user,
        )
    except report_exports.ExportBusy as busy:
        return _refused(request, draft, busy.messages[0], status=429, retry_after=60)
    except ValidationError as refused:
        return _refused(request, draft, refused.messages[0], status=400)
    return redirect("exports:status", pk=export.pk)


def _refused(request, draft, message: str, *, status: int, retry_after: int | None = None):
    response = TemplateResponse(
        request,
        "reports/export_status.html",
        {"draft": draft, "refusal": message},
        status=status,
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def _readable_export(request, pk: int) -> ReportExport:
    export = get_object_or_404(
        ReportExport.objects.select_related("draft", "draft__agency").defer(
            "draft__body", "draft__summary"
        ),
        pk=pk,
    )
    if not report_exports.can_read_export(request.user, export):
        raise PermissionDenied
    return export


def _progress(export: ReportExport) -> dict:
    done = export.status == Status.DONE
    return {
        "status": export.status,
        "status_label": export.get_status_display(),
        "rows_done": export.rows_done,
        "rows_total": export.rows_total,
        "download_url": reverse("exports:download", args=[export.pk]) if done else None,
    }


@never_cache
@require_GET
def export_status(request, pk: int):
    export = _readable_export(request, pk)
    in_flight = export.status in report_exports.IN_FLIGHT
    return TemplateResponse(
        request,
        "reports/export_status.html",
        {
            "draft": export.draft,
            "export": export,
            "progress": _progress(export),
            "in_flight": in_flight,
            "refresh_seconds": REFRESH_SECONDS,
            "filename": report_exports.download_name(export),
            "request_url": reverse("exports:request", args=[export.draft_id, export.format]),
        },
    )


@never_cache
@require_GET
def export_progress(request, pk: int):
    return JsonResponse(_progress(_readable_export(request, pk)))


@require_GET
def export_download(request, pk: int):
    export = _readable_export(request, pk)
    if export.status != Status.DONE or not export.file.name:
        raise Http404
    try:
        handle = export.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=report_exports.download_name(export),
        content_type=CONTENT_TYPES[export.format],
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = (
        "private, no-store"
        if export.scope == ReportExport.Scope.INTERNAL
        else "public, max-age=300"
    )
    return response
