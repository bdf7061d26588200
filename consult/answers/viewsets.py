"""The answers' admin screens as one Wagtail viewset: the drafts one answers for, a draft's
inbox, its answers and one answer. Exposed as `answers_viewset` so a menu group can take it."""

from __future__ import annotations

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from consult.answers import admin_views
from consult.answers.services import can_answer_any
from econsult.admin_menu import CONSULTATION_MENU_HOOK


class AnswersMenuItem(MenuItem):
    """Shown only to people who answer for at least one agency."""

    def is_shown(self, request):
        return can_answer_any(request.user)


class AnswersViewSet(ViewSet):
    """/admin/consult/answers/: the drafts list, a draft's inbox (`<draft_id>/`), its answers
    (`<draft_id>/responses/`) and one answer (`<draft_id>/responses/<response_id>/`)."""

    name = admin_views.URL_NAMESPACE
    url_prefix = "consult/answers"
    icon = "comment"
    menu_label = _("Answers")
    menu_name = "answers"
    menu_order = 200  # within the Consultation menu
    menu_hook = CONSULTATION_MENU_HOOK
    menu_item_class = AnswersMenuItem

    index_view_class = admin_views.AnswersIndexView
    inbox_view_class = admin_views.InboxView
    responses_view_class = admin_views.ResponsesView
    response_edit_view_class = admin_views.ResponseEditView

    def get_urlpatterns(self):
        return [
            path("", self.index_view_class.as_view(), name="index"),
            path("<id:draft_id>/", self.inbox_view_class.as_view(), name="inbox"),
            path(
                "<id:draft_id>/responses/",
                self.responses_view_class.as_view(),
                name="responses",
            ),
            path(
                "<id:draft_id>/responses/<id:response_id>/",
                self.response_edit_view_class.as_view(),
                name="response_edit",
            ),
        ]


answers_viewset = AnswersViewSet()
