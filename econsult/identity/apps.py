from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "econsult.identity"
    label = "identity"
    verbose_name = _("Identity verification")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from econsult.identity import checks, signals  # noqa: F401 (checks registers itself)

        signals.connect()
