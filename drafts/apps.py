from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DraftsConfig(AppConfig):
    name = "drafts"
    verbose_name = _("Drafts")

    def ready(self):
        from . import signals

        signals.connect()
        _register_page_permission_policy()


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
