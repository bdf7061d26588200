from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from consult.answers.services import can_answer_any
from drafts.hooks import DRAFT_PAGE_ROUTES, draft_page_route
from search import views


@hooks.register("register_admin_urls")
def register_search_urls():
    return [
        path("search/feedback/", views.staff_search_view, name="search_feedback"),
        path(
            "search/feedback/<int:feedback_id>/similar/",
            views.staff_similar_view,
            name="search_feedback_similar",
        ),
        path(
            "search/clusters/<int:draft_id>/",
            views.staff_clusters_view,
            name="search_feedback_clusters",
        ),
    ]


class SearchMenuItem(MenuItem):
    def is_shown(self, request):
        return can_answer_any(request.user)


@hooks.register("register_admin_menu_item")
def register_search_menu_item():
    return SearchMenuItem(
        _("Search feedback"), reverse("search_feedback"), icon_name="search", order=170
    )


@hooks.register(DRAFT_PAGE_ROUTES)
def register_draft_search_route():
    """The search of one consultation's published feedback, on its draft page (drafts.hooks)."""
    return [draft_page_route("tim-kiem/", views.draft_search, name="feedback_search")]
