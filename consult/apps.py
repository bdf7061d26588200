from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultConfig(AppConfig):
    name = "consult"
    verbose_name = _("Consultation feedback")

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import pre_save

        from consult import signals
        from consult.moderation import PERMISSION
        from drafts.permissions import MODERATE, agency_policy
        from econsult.accounts import clean_user_names

        signals.connect()
        agency_policy.require_permission(MODERATE, PERMISSION)
        pre_save.connect(
            clean_user_names, sender=get_user_model(), dispatch_uid="consult_clean_user_names"
        )
