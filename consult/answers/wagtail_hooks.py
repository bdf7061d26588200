from wagtail import hooks

from consult.answers.bulk_actions import AnswerFeedbackBulkAction, PublishResponsesBulkAction
from consult.answers.selectors import ANSWER_RELATED, answers_attach
from consult.answers.traces import version_comparison_traces
from consult.answers.viewsets import answers_viewset
from consult.feedback.hooks import COMMENT_EXTRAS, CommentExtra
from drafts.hooks import VERSION_COMPARISON_TRACES


@hooks.register("register_admin_viewset")
def register_answers_viewset():
    return answers_viewset


hooks.register("register_bulk_action", AnswerFeedbackBulkAction)
hooks.register("register_bulk_action", PublishResponsesBulkAction)


@hooks.register(COMMENT_EXTRAS)
def register_answer_extra():
    """Each listed comment's published answer and its author's rating (consult.feedback.hooks)."""
    return CommentExtra(related=ANSWER_RELATED, attach=answers_attach)


# The comparison of two versions lists, beside each provision of the newer one, the accepted
# comments whose answer points at it (drafts.hooks, consult.answers.traces).
hooks.register(VERSION_COMPARISON_TRACES, version_comparison_traces)
