"""The synthesis report in the answers' admin: its form and exports under a draft's inbox, its
state in the drafts list (both given to consult.answers through its hooks), and the view that
publishes it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin import messages
from wagtail.admin.utils import get_valid_next_url_from_request

from consult.answers.admin_views import (
    CellColumn,
    draft_for_answering,
    forbidden_as_403,
    form_errors,
    public_report_url,
    url_name,
)
from consult.reports.forms import ReportForm
from consult.reports.models import SynthesisReport
from consult.reports.services import report_publish
from drafts.models import DraftPage


@forbidden_as_403
def report_publish_view(request: HttpRequest, draft_id: int) -> HttpResponse:
    """POST: publish the synthesis report (the first time) or change its introduction."""
    draft = draft_for_answering(request, draft_id)
    inbox_url = reverse(url_name("inbox"), args=[draft.pk])
    if request.method != "POST":
        return redirect(inbox_url)
    form = ReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
    else:
        was_published = SynthesisReport.objects.filter(
            draft=draft, published_at__isnull=False
        ).exists()
        try:
            report_publish(
                user=request.user, draft=draft, introduction=form.cleaned_data["introduction"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The synthesis report's introduction is saved.")
                if was_published
                else _("The synthesis report is published."),
                buttons=[messages.button(url, _("View"), True)]
                if (url := public_report_url(request, draft))
                else None,
            )
    return redirect(get_valid_next_url_from_request(request) or inbox_url)


def inbox_report_panel(request: HttpRequest, draft: DraftPage) -> str:
    """The synthesis report's state, its introduction's form and its exports, shown under
    the draft's inbox (answers' INBOX_PANELS_HOOK)."""
    report = SynthesisReport.objects.filter(draft=draft).first()
    return render_to_string(
        "reports/admin/inbox_report.html",
        {
            "draft": draft,
            "report": report,
            "report_form": ReportForm(
                initial={"introduction": report.introduction if report else ""}
            ),
            "report_action": reverse("consult_answers_report", args=[draft.pk]),
            "public_report_url": public_report_url(request, draft),
        },
        request=request,
    )


def draft_rows_add_report_state(request: HttpRequest, rows: list[dict]) -> None:
    """Give each row of the answers' drafts list `report_published_at` (DRAFT_ROWS_HOOK)."""
    published = dict(
        SynthesisReport.objects.filter(draft_id__in=[row["pk"] for row in rows]).values_list(
            "draft_id", "published_at"
        )
    )
    for row in rows:
        row["report_published_at"] = published.get(row["pk"])


def draft_columns() -> list:
    """The drafts list's column of the report's state (DRAFT_COLUMNS_HOOK)."""
    return [
        CellColumn(
            "report_published_at",
            label=_("Synthesis report"),
            template="reports/admin/report_state_cell.html",
        )
    ]
