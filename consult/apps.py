from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultConfig(AppConfig):
    name = "consult"
    verbose_name = _("Consultation feedback")

    def ready(self):
        from consult.moderation import PERMISSION
        from drafts.permissions import MODERATE, agency_policy

        agency_policy.require_permission(MODERATE, PERMISSION)
