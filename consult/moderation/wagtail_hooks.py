from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from consult.moderation import views as admin_views
from consult.moderation.services import can_moderate_any


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
