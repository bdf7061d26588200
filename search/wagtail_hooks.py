from wagtail import hooks

from drafts.hooks import DRAFT_PAGE_ROUTES, draft_page_route
from search import views
from search.viewsets import feedback_search_viewset


@hooks.register("register_admin_viewset")
def register_feedback_search_viewset():
    return feedback_search_viewset


@hooks.register(DRAFT_PAGE_ROUTES)
def register_draft_search_route():
    """The search of one consultation's published feedback, on its draft page (drafts.hooks)."""
    return [draft_page_route("tim-kiem/", views.draft_search, name="feedback_search")]
