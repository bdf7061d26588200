from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from consult.answers import admin_views
from consult.answers.selectors import ANSWER_RELATED, answers_attach
from consult.answers.services import can_answer_any
from consult.feedback.hooks import COMMENT_EXTRAS, CommentExtra


@hooks.register("register_admin_urls")
def register_answer_urls():
    return [
        path("consult/answers/", admin_views.answers_index_view, name="consult_answers"),
        path(
            "consult/answers/<int:draft_id>/",
            admin_views.inbox_view,
            name="consult_answers_inbox",
        ),
        path(
            "consult/answers/<int:draft_id>/responses/",
            admin_views.responses_view,
            name="consult_answers_responses",
        ),
        path(
            "consult/answers/<int:draft_id>/responses/<int:response_id>/",
            admin_views.response_edit_view,
            name="consult_answers_response",
        ),
    ]


class AnswersMenuItem(MenuItem):
    def is_shown(self, request):
        return can_answer_any(request.user)


@hooks.register("register_admin_menu_item")
def register_answers_menu_item():
    return AnswersMenuItem(_("Answers"), reverse("consult_answers"), icon_name="comment", order=170)


@hooks.register(COMMENT_EXTRAS)
def register_answer_extra():
    """Each listed comment's published answer and its author's rating (consult.feedback.hooks)."""
    return CommentExtra(related=ANSWER_RELATED, attach=answers_attach)
