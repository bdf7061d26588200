"""The drafters' feedback search in the Wagtail admin: one viewset with the search listing,
its results (refreshed as filters change), similar comments and a draft's campaigns.

URL names are namespaced `feedback_search:…`; the paths stay under /admin/search/.
"""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from consult.answers.services import can_answer_any
from econsult.admin_menu import CONSULTATION_MENU_HOOK
from search import views


class SearchMenuItem(MenuItem):
    """Shown to those who answer some draft's feedback (the agency rule, action ANSWER)."""

    def is_shown(self, request):
        return can_answer_any(request.user)


class FeedbackSearchViewSet(ViewSet):
    """The staff feedback search and the screens it leads to."""

    name = "feedback_search"
    url_prefix = "search"
    icon = "search"
    menu_label = _("Search feedback")
    menu_order = 300  # within the Consultation menu
    menu_hook = CONSULTATION_MENU_HOOK
    menu_item_class = SearchMenuItem

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            header_icon=self.icon,
            index_url_name=self.get_url_name("index"),
            index_results_url_name=self.get_url_name("index_results"),
            clusters_url_name=self.get_url_name("clusters"),
            **kwargs,
        )

    @property
    def index_view(self):
        return self.construct_view(views.FeedbackSearchView)

    @property
    def index_results_view(self):
        return self.construct_view(views.FeedbackSearchView, results_only=True)

    @property
    def similar_view(self):
        return self.construct_view(views.SimilarFeedbackView)

    @property
    def clusters_view(self):
        return self.construct_view(views.DraftCampaignsView)

    def get_urlpatterns(self):
        return [
            path("feedback/", self.index_view, name="index"),
            path("feedback/results/", self.index_results_view, name="index_results"),
            path("feedback/<id:feedback_id>/similar/", self.similar_view, name="similar"),
            path("clusters/<id:draft_id>/", self.clusters_view, name="clusters"),
        ]


feedback_search_viewset = FeedbackSearchViewSet()
