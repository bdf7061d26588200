"""The moderation screens as one Wagtail viewset: the queue (`moderation:index`, with its
`moderation:index_results` for filtering in place) and one comment's screen
(`moderation:detail`), under /admin/consult/moderation/.

Not a ModelViewSet: moderation neither creates, edits, copies nor deletes comments, and a
ModelViewSet for Feedback would also register an edit-URL finder, the reference index and
the model's permissions for every screen of the admin. The decisions on many comments are
bulk actions (consult.moderation.bulk_actions).
"""

from __future__ import annotations

from django.urls import path
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.viewsets.listing import ListingViewSetMixin

from consult.moderation.forms import ModerationQueueFilterSet
from consult.moderation.services import can_moderate_any
from consult.moderation.views import PER_PAGE, ModerationDetailView, ModerationQueueView
from drafts.permissions import agency_policy
from econsult.admin_menu import CONSULTATION_MENU_HOOK


class ModerationMenuItem(MenuItem):
    """Shown to people who moderate at least one agency's feedback."""

    def is_shown(self, request):
        return can_moderate_any(request.user)


class ModerationViewSet(ListingViewSetMixin, ViewSet):
    """The moderation queue and one comment's moderation screen."""

    name = "moderation"
    url_prefix = "consult/moderation"
    icon = "warning"
    menu_label = _("Moderation")
    menu_order = 100  # within the Consultation menu
    menu_hook = CONSULTATION_MENU_HOOK
    menu_item_class = ModerationMenuItem
    permission_policy = agency_policy

    index_view_class = ModerationQueueView
    detail_view_class = ModerationDetailView
    filterset_class = ModerationQueueFilterSet
    list_per_page = PER_PAGE

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            **{
                "header_icon": self.icon,
                "permission_policy": self.permission_policy,
                "index_url_name": self.get_url_name("index"),
                "index_results_url_name": self.get_url_name("index_results"),
                **kwargs,
            }
        )

    @cached_property
    def index_view(self):
        return self.construct_view(self.index_view_class, **self.get_index_view_kwargs())

    @cached_property
    def index_results_view(self):
        return self.construct_view(
            self.index_view_class, **self.get_index_view_kwargs(), results_only=True
        )

    @cached_property
    def detail_view(self):
        return self.construct_view(self.detail_view_class)

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<id:pk>/", self.detail_view, name="detail"),
        ]


moderation_viewset = ModerationViewSet()
