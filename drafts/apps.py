from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DraftsConfig(AppConfig):
    name = "drafts"
    verbose_name = _("Drafts")

    def ready(self):
        from . import signals

        signals.connect()
        _register_page_permission_policy()
        _register_media_permission_policy()


def _register_page_permission_policy():
    """Wagtail asks its policy registry about pages everywhere (explorer, search, choosers,
    reports, admin API): give it the page policy that knows the agency rule; agencies
    themselves are for superusers only."""
    from wagtail.models import Page
    from wagtail.permissions import register_permission_policy

    from drafts.models import Agency
    from drafts.permissions import AgencyPagePermissionPolicy, SuperuserOnlyPermissionPolicy

    register_permission_policy(Page, AgencyPagePermissionPolicy(Page))
    register_permission_policy(Agency, SuperuserOnlyPermissionPolicy(Agency))


def _register_media_permission_policy():
    """Documents and images belong to the agency of their collection: Wagtail's media
    views, bulk actions, choosers and menus ask the registry, which answers with the
    agency-aware collection policy. Registered for the exact classes because Wagtail's
    own apps register theirs in their ready(), which runs after this app's."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.permissions import register_permission_policy

    from drafts.permissions import AgencyMediaPermissionPolicy

    for model, auth_model in (
        (get_document_model(), "wagtaildocs.Document"),
        (get_image_model(), "wagtailimages.Image"),
    ):
        policy = AgencyMediaPermissionPolicy(
            model, auth_model=auth_model, owner_field_name="uploaded_by_user"
        )
        register_permission_policy(model, policy, exact_class=True)
