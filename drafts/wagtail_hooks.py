from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.pages.bulk_actions.delete import DeleteBulkAction
from wagtail.admin.views.pages.bulk_actions.move import MoveBulkAction
from wagtail.admin.views.pages.bulk_actions.publish import PublishBulkAction
from wagtail.admin.views.pages.bulk_actions.unpublish import UnpublishBulkAction
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from drafts import views
from drafts.models import Agency, DraftPage
from drafts.permissions import is_draft


class AgencyViewSet(SnippetViewSet):
    """Agencies and their staff. Who belongs to which agency is what the agency rule reads,
    so only superusers see or change them (SuperuserOnlyPermissionPolicy, registered in
    drafts.apps)."""

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


class _OwnAgencyOnly:
    """A page bulk action that does not name pages the person may not act on at all: another
    agency's drafts are left out of the confirmation page (their titles, draft titles
    included, are not shown), and a request about nothing else is refused. What remains is
    still checked page by page by Wagtail (`check_perm`, which asks the draft's tester)."""

    def get_actionable_objects(self):
        objects, extra = super().get_actionable_objects()
        user = self.request.user
        hidden = {
            page.pk
            for page in extra["items_with_no_access"]
            if is_draft(page) and not page.permissions_for_user(user).agency_allowed
        }
        extra["items_with_no_access"] = [
            page for page in extra["items_with_no_access"] if page.pk not in hidden
        ]
        if hidden and not objects and not extra["items_with_no_access"]:
            raise PermissionDenied
        return objects, extra


for _action in (PublishBulkAction, UnpublishBulkAction, DeleteBulkAction, MoveBulkAction):
    hooks.register(
        "register_bulk_action",
        type(_action.__name__, (_OwnAgencyOnly, _action), {"__module__": __name__}),
        order=100,
    )
