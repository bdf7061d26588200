from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultConfig(AppConfig):
    name = "consult"
    verbose_name = _("Consultation feedback")

    def ready(self) -> None:
        from consult import signals
        from consult.moderation import PERMISSION
        from drafts.permissions import MODERATE, agency_policy

        signals.connect()
        agency_policy.require_permission(MODERATE, PERMISSION)
