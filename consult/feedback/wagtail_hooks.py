"""What feedback adds to the draft page (drafts.hooks): the conversation on the draft as a whole
(`gop-y/`) or on one provision (`gop-y/<anchor>/`), with its form."""

from wagtail import hooks

from consult.feedback.views import feedback_thread
from drafts.hooks import DRAFT_PAGE_ROUTES, draft_page_route


@hooks.register(DRAFT_PAGE_ROUTES)
def register_feedback_routes():
    return [
        draft_page_route("gop-y/", feedback_thread, name="feedback_view"),
        draft_page_route("gop-y/<slug:anchor>/", feedback_thread, name="feedback_view"),
    ]
