from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin import messages

from consult.answers.admin_views import (
    _draft_for,
    _errors,
    _public_report_url,
    forbidden_as_403,
)
from consult.moderation.views import _next_url
from consult.reports.forms import ReportForm
from consult.reports.models import SynthesisReport
from consult.reports.services import report_publish


@forbidden_as_403
def report_publish_view(request: HttpRequest, draft_id: int) -> HttpResponse:
    """POST: publish the synthesis report (the first time) or change its introduction."""
    draft = _draft_for(request, draft_id)
    inbox_url = reverse("consult_answers_inbox", args=[draft.pk])
    if request.method != "POST":
        return redirect(inbox_url)
    form = ReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
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
                if (url := _public_report_url(request, draft))
                else None,
            )
    return redirect(_next_url(request, request.POST.get("next"), inbox_url))
