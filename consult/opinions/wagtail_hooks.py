from wagtail import hooks

from consult.feedback.hooks import COMMENT_EXTRAS, MODERATION_LOCKS, CommentExtra
from consult.opinions.notifications import send_answered
from consult.opinions.selectors import (
    digest_sections,
    official_opinion_locks,
    official_opinions_attach,
)
from consult.opinions.views import draft_page_section, inbox_official_marks
from consult.opinions.viewsets import received_viewset, sent_viewset
from drafts.hooks import DRAFT_PAGE_SECTIONS


@hooks.register("register_admin_viewset")
def register_sent_viewset():
    return sent_viewset


@hooks.register("register_admin_viewset")
def register_received_viewset():
    return received_viewset


@hooks.register(COMMENT_EXTRAS)
def register_official_opinion_extra():
    """Each listed comment's mark of an agency's official opinion (consult.feedback.hooks)."""
    return CommentExtra(related=(), attach=official_opinions_attach)


# The draft page lists the agencies asked for their opinion (drafts.hooks).
hooks.register(DRAFT_PAGE_SECTIONS, draft_page_section)

# The staff's daily digest lists the opinions due within 3 days (consult.notifications, which
# sits above this room and calls its hook by name).
hooks.register("notifications_digest_sections", digest_sections)

# Moderators may not hide or restore an official opinion's parts (consult.feedback.hooks).
hooks.register(MODERATION_LOCKS, official_opinion_locks)

# An answer to an official opinion is told to the invited agency's staff, once per answer,
# without the satisfaction link (consult.answers, beside this room, calls its hook by name).
hooks.register("answers_answered_notice", send_answered)

# The drafters' inbox marks each part of an official opinion, with its letter (consult.answers,
# beside this room, calls its hook by name).
hooks.register("insert_answers_inbox_row_marks", inbox_official_marks)
