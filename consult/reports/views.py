"""The public synthesis report of a consultation, routed from its DraftPage (`bao-cao/`)."""

from __future__ import annotations

from django.http import Http404
from django.template.response import TemplateResponse

from consult.reports.selectors import UnknownPart, report_read
from drafts.models import DraftPage


def report_page(request, draft: DraftPage, part: str | None = None):
    """The report's first page, or one chapter of a long report (`part` is its anchor)."""
    try:
        report = report_read(draft=draft, part=part, page=request.GET.get("trang", 1))
    except UnknownPart as exc:
        raise Http404 from exc
    context = {
        "page": draft,
        "draft": draft,
        "report": report,
        "report_url": f"{draft.url}bao-cao/",
    }
    return TemplateResponse(request, "reports/report.html", context)
