from wagtail import hooks

from consult.answers.bulk_actions import AnswerFeedbackBulkAction, PublishResponsesBulkAction
from consult.answers.viewsets import answers_viewset


@hooks.register("register_admin_viewset")
def register_answers_viewset():
    return answers_viewset


hooks.register("register_bulk_action", AnswerFeedbackBulkAction)
hooks.register("register_bulk_action", PublishResponsesBulkAction)
