from django.urls import path
from wagtail import hooks

from consult.reports import admin_views
from consult.reports.viewsets import report_exports_viewset


@hooks.register("register_admin_urls")
def register_report_urls():
    return [
        path(
            "consult/answers/<int:draft_id>/report/",
            admin_views.report_publish_view,
            name="consult_answers_report",
        ),
    ]


@hooks.register("register_admin_viewset")
def register_report_exports_viewset():
    return report_exports_viewset
