"""The synthesis report in the answers' admin: its state and a link to its publish screen at
the top of a draft's inbox, its exports under it, its state in the drafts list (all given to
consult.answers through its hooks), and the publish screen itself."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn, UserColumn
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic import IndexView, WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from consult.answers.admin_views import (
    AnswerableDraftsMixin,
    CellColumn,
    DraftMixin,
    public_report_url,
    url_name,
)
from consult.answers.selectors import AnswerState, draft_answer_counts
from consult.reports.filters import ReportExportFilterSet
from consult.reports.forms import ExportRequestForm, ReportPublishForm
from consult.reports.models import ReportExport, SynthesisReport
from consult.reports.services import ExportBusy, report_export_request, report_publish
from drafts.models import ConsultationStatus, DraftPage


class ReportPublishView(
    DraftMixin, PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView
):
    """The synthesis report's own publish screen (GET): the draft's figures (comments,
    answered, unanswered, whether the consultation is still open and when it closes), a
    warning when it is open or comments are unanswered, and the form.

    POST publishes the report (the first time: only with `confirm` ticked; without it the
    screen comes back with the reason, status 400, and nothing is published) or changes its
    introduction, then goes back to the inbox. Someone who does not answer for the draft
    gets 403 (DraftMixin, with the agency rule)."""

    template_name = "reports/admin/publish.html"
    header_icon = "doc-full"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.form = None

    @cached_property
    def report(self) -> SynthesisReport | None:
        return SynthesisReport.objects.filter(draft=self.draft).first()

    @property
    def published(self) -> bool:
        return bool(self.report and self.report.published_at)

    def get_page_title(self):
        return _("Publish the synthesis report")

    def get_page_subtitle(self):
        return self.draft.title

    def get_breadcrumbs_items(self):
        return self.draft_breadcrumbs({"url": "", "label": self.get_page_title()})

    def handle_post(self, request):
        draft = self.draft
        self.form = ReportPublishForm(request.POST, published=self.published)
        if not self.form.is_valid():
            return self.render_to_response(self.get_context_data(), status=400)
        was_published = self.published
        try:
            report_publish(
                user=request.user, draft=draft, introduction=self.form.cleaned_data["introduction"]
            )
        except ValidationError as error:
            self.form.add_error(None, error)
            return self.render_to_response(self.get_context_data(), status=400)
        messages.success(
            request,
            _("The synthesis report's introduction is saved.")
            if was_published
            else _("The synthesis report is published."),
            buttons=[messages.button(url, _("View"), True)]
            if (url := public_report_url(request, draft))
            else None,
        )
        inbox_url = reverse(url_name("inbox"), args=[draft.pk])
        return redirect(get_valid_next_url_from_request(request) or inbox_url)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        draft, report = self.draft, self.report
        counts = draft_answer_counts(draft)
        is_open = draft.status != ConsultationStatus.CLOSED
        context.update(
            {
                "draft": draft,
                "report": report,
                "published": self.published,
                "counts": counts,
                "unanswered": counts[AnswerState.NONE] + counts[AnswerState.PRIVATE],
                "is_open": is_open,
                "is_upcoming": draft.status == ConsultationStatus.UPCOMING,
                "status_label": draft.status_label,
                "form": self.form
                or ReportPublishForm(
                    initial={"introduction": report.introduction if report else ""},
                    published=self.published,
                ),
                "inbox_url": reverse(url_name("inbox"), args=[draft.pk]),
                "public_report_url": public_report_url(self.request, draft),
            }
        )
        return context


def inbox_report_action(request: HttpRequest, draft: DraftPage) -> str:
    """The synthesis report's state and the link to its publish screen, at the top of the
    draft's inbox (answers' INBOX_ACTIONS_HOOK)."""
    return render_to_string(
        "reports/admin/inbox_report.html",
        {
            "draft": draft,
            "report": SynthesisReport.objects.filter(draft=draft).first(),
            "publish_url": reverse("reports_admin:publish", args=[draft.pk]),
        },
        request=request,
    )


def inbox_exports_panel(request: HttpRequest, draft: DraftPage) -> str:
    """The internal exports' buttons, under the draft's inbox (answers' INBOX_PANELS_HOOK)."""
    return render_to_string("reports/admin/inbox_exports.html", {"draft": draft}, request=request)


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


# Report exports (consult.reports.viewsets.report_exports_viewset)


def _progress(export: ReportExport) -> str:
    label = export.get_status_display()
    if export.status == ReportExport.Status.RUNNING and export.rows_total:
        return f"{label} ({export.rows_done}/{export.rows_total})"
    return label


class ReportExportIndexView(AnswerableDraftsMixin, IndexView):
    """The exports of the drafts the user answers, public and internal, newest first, with
    their progress and a link to download the finished ones."""

    model = ReportExport
    page_title = gettext_lazy("Report exports")
    # On a phone the table scrolls in its own region, which says so (issue 12).
    results_template_name = "econsult/admin/scrolling_index_results.html"
    filterset_class = ReportExportFilterSet
    paginate_by = 20
    default_ordering = "-created_at"
    status_url_name = "exports:status"
    download_url_name = "exports:download"

    def get_base_queryset(self):
        return (
            ReportExport.objects.filter(draft__in=self.drafts)
            .select_related("draft", "requested_by")
            .defer("draft__body", "draft__summary")
        )

    def get_add_url(self):
        return self.add_url_name and reverse(self.add_url_name)

    @cached_property
    def add_item_label(self):
        return _("Request an internal export")

    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "draft",
                label=_("Draft"),
                accessor="draft.title",
                get_url=lambda export: reverse(self.status_url_name, args=[export.pk]),
            ),
            Column("format", label=_("Format"), accessor="get_format_display"),
            Column("scope", label=_("Scope"), accessor="get_scope_display"),
            StatusTagColumn(
                "status",
                label=_("Status"),
                accessor=_progress,
                primary=lambda export: export.status == ReportExport.Status.DONE,
            ),
            DateColumn("created_at", label=_("Requested"), sort_key="created_at"),
            UserColumn("requested_by", label=_("Requested by")),
            DownloadLinkColumn("download", label=_("File"), url_name=self.download_url_name),
        ]


class DownloadLinkColumn(Column):
    """A link to download the export's file once it is ready."""

    cell_template_name = "reports/admin/download_cell.html"

    def __init__(self, name, *, url_name: str, **kwargs):
        super().__init__(name, **kwargs)
        self.url_name = url_name

    def get_value(self, instance):
        if instance.status == ReportExport.Status.DONE and instance.file.name:
            return reverse(self.url_name, args=[instance.pk])
        return ""


class ReportExportRequestView(
    AnswerableDraftsMixin, PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView
):
    """Ask for an internal export of a draft the user answers (every answer, published or
    not); an export of the same unchanged report is reused."""

    form_class = ExportRequestForm
    template_name = "wagtailadmin/generic/form.html"
    page_title = gettext_lazy("Request an internal export")
    index_url_name = None
    add_url_name = None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["drafts"] = self.drafts
        if draft := self.request.GET.get("draft"):
            kwargs["initial"] = {"draft": draft}
        return kwargs

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": _("Report exports")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            action_url=reverse(self.add_url_name),
            submit_button_label=_("Request the export"),
            submit_button_active_label=_("Requesting…"),
            media=context["form"].media,
        )
        return context

    def form_valid(self, form):
        try:
            export = report_export_request(
                draft=form.cleaned_data["draft"],
                format=form.cleaned_data["format"],
                scope=ReportExport.Scope.INTERNAL,
                user=self.request.user,
            )
        except (ValidationError, PermissionDenied) as refused:
            reasons = getattr(refused, "messages", None) or [str(refused)]
            form.add_error(None, reasons[0])
            return self.render_to_response(
                self.get_context_data(form=form),
                status=429 if isinstance(refused, ExportBusy) else 400,
            )
        messages.success(
            self.request,
            _("The export is being prepared; it is listed below with its progress."),
            buttons=[messages.button(reverse("exports:status", args=[export.pk]), _("View"))],
        )
        return redirect(self.index_url_name)
