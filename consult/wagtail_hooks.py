from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from consult import admin_responses, admin_views
from consult.moderation import can_moderate_any
from consult.responses import can_answer_any


@hooks.register("register_admin_urls")
def register_moderation_urls():
    return [
        path(
            "consult/moderation/",
            admin_views.moderation_queue_view,
            name="consult_moderation",
        ),
        path(
            "consult/moderation/<int:feedback_id>/",
            admin_views.moderation_detail_view,
            name="consult_moderation_detail",
        ),
    ]


class ModerationMenuItem(MenuItem):
    def is_shown(self, request):
        return can_moderate_any(request.user)


@hooks.register("register_admin_menu_item")
def register_moderation_menu_item():
    return ModerationMenuItem(
        _("Moderation"), reverse("consult_moderation"), icon_name="warning", order=160
    )


@hooks.register("register_admin_urls")
def register_answer_urls():
    return [
        path("consult/answers/", admin_responses.answers_index_view, name="consult_answers"),
        path(
            "consult/answers/<int:draft_id>/",
            admin_responses.inbox_view,
            name="consult_answers_inbox",
        ),
        path(
            "consult/answers/<int:draft_id>/responses/",
            admin_responses.responses_view,
            name="consult_answers_responses",
        ),
        path(
            "consult/answers/<int:draft_id>/responses/<int:response_id>/",
            admin_responses.response_edit_view,
            name="consult_answers_response",
        ),
        path(
            "consult/answers/<int:draft_id>/report/",
            admin_responses.report_publish_view,
            name="consult_answers_report",
        ),
    ]


class AnswersMenuItem(MenuItem):
    def is_shown(self, request):
        return can_answer_any(request.user)


@hooks.register("register_admin_menu_item")
def register_answers_menu_item():
    return AnswersMenuItem(_("Answers"), reverse("consult_answers"), icon_name="comment", order=170)
