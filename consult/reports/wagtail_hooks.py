from django.urls import path
from wagtail import hooks

from consult.answers.admin_views import DRAFT_COLUMNS_HOOK, DRAFT_ROWS_HOOK, INBOX_PANELS_HOOK
from consult.reports import admin_views


@hooks.register("register_admin_urls")
def register_report_urls():
    return [
        path(
            "consult/answers/<int:draft_id>/report/",
            admin_views.report_publish_view,
            name="consult_answers_report",
        ),
    ]


hooks.register(INBOX_PANELS_HOOK, admin_views.inbox_report_panel)
hooks.register(DRAFT_ROWS_HOOK, admin_views.draft_rows_add_report_state)
hooks.register(DRAFT_COLUMNS_HOOK, admin_views.draft_columns)
