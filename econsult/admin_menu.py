"""The admin's "Consultation" menu: one group that the rooms' screens join by hook name.

A viewset joins it by setting `menu_hook = CONSULTATION_MENU_HOOK`, so the group names none of
them (Wagtail's `ViewSetGroup.submenu_hook`) and the rooms need not know each other. Each item
keeps its own rule for whom it is shown to; the group shows when one of them is."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.base import ViewSetGroup

CONSULTATION_MENU_HOOK = "register_consultation_menu_item"


class ConsultationMenu(ViewSetGroup):
    """Moderation, answers, feedback search and report exports, under one menu entry."""

    menu_label = _("Consultation")
    menu_name = "consultation"
    menu_icon = "comment"
    menu_order = 160
    submenu_hook = CONSULTATION_MENU_HOOK
