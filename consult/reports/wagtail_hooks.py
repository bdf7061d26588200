from django.urls import include, path
from wagtail import hooks

from consult.answers.admin_views import (
    DRAFT_COLUMNS_HOOK,
    DRAFT_ROWS_HOOK,
    INBOX_ACTIONS_HOOK,
    INBOX_PANELS_HOOK,
)
from consult.reports import admin_views
from consult.reports.selectors import report_available
from consult.reports.views import report_page
from consult.reports.viewsets import report_exports_viewset
from drafts.hooks import DRAFT_PAGE_CONTEXT, DRAFT_PAGE_ROUTES, draft_page_route


@hooks.register("register_admin_urls")
def register_report_urls():
    """The synthesis report's publish screen, linked from the top of the draft's inbox."""
    urls = [path("<id:draft_id>/report/", admin_views.ReportPublishView.as_view(), name="publish")]
    return [path("consult/answers/", include((urls, "reports_admin")))]


# The public report, on the draft page (drafts.hooks)


@hooks.register(DRAFT_PAGE_ROUTES)
def register_report_routes():
    """The synthesis report: feedback and answers in the order of the draft, one chapter
    (`part`) at a time when the draft is long."""
    return [
        draft_page_route("bao-cao/", report_page, name="report_view"),
        draft_page_route("bao-cao/<slug:part>/", report_page, name="report_view"),
    ]


@hooks.register(DRAFT_PAGE_CONTEXT)
def report_link_context(*, page, request):
    """Whether the draft page links to its report."""
    return {"report_available": report_available(page)}


# The answers admin's panels (consult.answers.admin_views)

hooks.register(INBOX_ACTIONS_HOOK, admin_views.inbox_report_action)
hooks.register(INBOX_PANELS_HOOK, admin_views.inbox_exports_panel)
hooks.register(DRAFT_ROWS_HOOK, admin_views.draft_rows_add_report_state)
hooks.register(DRAFT_COLUMNS_HOOK, admin_views.draft_columns)


@hooks.register("register_admin_viewset")
def register_report_exports_viewset():
    return report_exports_viewset
