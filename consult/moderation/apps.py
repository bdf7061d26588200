from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    """Moderators' decisions on comments: the queue, approve, reject, remove, restore."""

    name = "consult.moderation"
    label = "moderation"
    verbose_name = _("Moderation")

    def ready(self) -> None:
        from consult.moderation.services import PERMISSION
        from drafts.permissions import MODERATE, agency_policy

        agency_policy.require_permission(MODERATE, PERMISSION)
