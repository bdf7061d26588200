"""The opinions' admin screens as two Wagtail viewsets in the Consultation menu: the
drafting side ("Đề nghị góp ý") and the invited side ("Ý kiến được đề nghị")."""

from __future__ import annotations

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from consult.opinions import admin_views
from econsult.admin_menu import CONSULTATION_MENU_HOOK


class SentMenuItem(MenuItem):
    """Shown to people who draft for an agency (the agency rule, action REQUEST) that has a
    draft to ask opinions on: a clerk of an agency without drafts does not see it."""

    def is_shown(self, request):
        return admin_views.can_request_any(request.user) and admin_views.has_drafts_to_request(
            request.user
        )


class ReceivedMenuItem(MenuItem):
    """Shown to people who act for an agency (the agency rule, action GIVE)."""

    def is_shown(self, request):
        return admin_views.can_give_any(request.user)


class SentViewSet(ViewSet):
    """/admin/consult/opinions/sent/: the requests sent (`index`), a new one (`add`), a
    request's letter (`letter`, `<request_id>/letter/`)."""

    name = admin_views.SENT
    url_prefix = "consult/opinions/sent"
    icon = "mail"
    menu_label = _("Requests for opinions")
    menu_name = "opinions_sent"
    menu_order = 500
    menu_hook = CONSULTATION_MENU_HOOK
    menu_item_class = SentMenuItem

    def get_urlpatterns(self):
        return [
            path("", admin_views.SentIndexView.as_view(), name="index"),
            path("new/", admin_views.SentCreateView.as_view(), name="add"),
            path("<id:request_id>/letter/", admin_views.request_letter, name="letter"),
        ]


class ReceivedViewSet(ViewSet):
    """/admin/consult/opinions/received/: the invitations to one's agencies (`index`), the
    opinion of one (`answer`, `<invitation_id>/`), withdrawing it (`withdraw`)."""

    name = admin_views.RECEIVED
    url_prefix = "consult/opinions/received"
    icon = "mail"
    menu_label = _("Opinions requested from us")
    menu_name = "opinions_received"
    menu_order = 510
    menu_hook = CONSULTATION_MENU_HOOK
    menu_item_class = ReceivedMenuItem

    def get_urlpatterns(self):
        return [
            path("", admin_views.ReceivedIndexView.as_view(), name="index"),
            path("<id:invitation_id>/", admin_views.AnswerView.as_view(), name="answer"),
            path(
                "<id:invitation_id>/withdraw/",
                admin_views.WithdrawView.as_view(),
                name="withdraw",
            ),
        ]


sent_viewset = SentViewSet()
received_viewset = ReceivedViewSet()
