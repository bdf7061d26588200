from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from drafts import views
from drafts.models import Agency, DraftPage


class AgencyViewSet(SnippetViewSet):
    model = Agency
    icon = "group"
    menu_label = _("Agencies")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


register_snippet(AgencyViewSet)


@hooks.register("register_admin_urls")
def register_import_url():
    return [path("drafts/import/", views.draft_import, name="drafts_import")]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        from drafts.models import ConsultationIndexPage

        parent = ConsultationIndexPage.objects.first()
        return parent is not None and parent.permissions_for_user(request.user).can_add_subpage()


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return ImportMenuItem(
        _("Import a draft"), reverse("drafts_import"), icon_name="upload", order=150
    )


@hooks.register("register_page_header_buttons")
def import_text_button(page, user, *args, **kwargs):
    if page.specific_class is DraftPage and page.permissions_for_user(user).can_edit():
        yield Button(
            _("Import text"),
            reverse("drafts_import") + f"?page={page.pk}",
            icon_name="upload",
            priority=60,
        )


def _refuse_other_agencies(request, page, *args):
    """An agency's staff edit, move, copy, unpublish and delete only their own agency's drafts."""
    if request.user.is_superuser or page.specific_class is not DraftPage:
        return
    agency_id = DraftPage.objects.filter(pk=page.pk).values_list("agency_id", flat=True).first()
    if not request.user.agencies.filter(pk=agency_id).exists():
        raise PermissionDenied


for _hook in (
    "before_edit_page",
    "before_delete_page",
    "before_unpublish_page",
    "before_move_page",
    "before_copy_page",
):
    hooks.register(_hook, _refuse_other_agencies)
