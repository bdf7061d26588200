from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Following drafts and agencies, the e-mails their events send, one-click unsubscribe,
    and the daily digest of agency staff."""

    name = "consult.notifications"
    label = "notifications"
    verbose_name = _("Notifications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from consult.notifications import signals

        signals.connect()
