"""The report exports screen in the Wagtail admin: the exports of the drafts the user
answers, and a form to ask for an internal one. URL names are namespaced `report_exports:…`.

The public endpoints (status page, progress, download, the report page's buttons) stay in
consult.reports.urls; the listing links to them.
"""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from consult.answers.services import can_answer_any
from consult.reports import admin_views
from econsult.admin_menu import CONSULTATION_MENU_HOOK


class ReportExportsMenuItem(MenuItem):
    """Shown to those who answer some draft's feedback (the agency rule, action ANSWER)."""

    def is_shown(self, request):
        return can_answer_any(request.user)


class ReportExportViewSet(ViewSet):
    """The listing of report exports with its filters, and the request form."""

    name = "report_exports"
    url_prefix = "consult/report-exports"
    icon = "download"
    menu_label = _("Report exports")
    menu_order = 400  # within the Consultation menu
    menu_hook = CONSULTATION_MENU_HOOK
    menu_item_class = ReportExportsMenuItem

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            header_icon=self.icon,
            index_url_name=self.get_url_name("index"),
            index_results_url_name=self.get_url_name("index_results"),
            add_url_name=self.get_url_name("add"),
            **kwargs,
        )

    @property
    def index_view(self):
        return self.construct_view(admin_views.ReportExportIndexView)

    @property
    def index_results_view(self):
        return self.construct_view(admin_views.ReportExportIndexView, results_only=True)

    @property
    def add_view(self):
        return self.construct_view(admin_views.ReportExportRequestView)

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("new/", self.add_view, name="add"),
        ]


report_exports_viewset = ReportExportViewSet()
