from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountabilityConfig(AppConfig):
    """Agency accountability figures: per-draft figures, the agency pages and their ranking."""

    name = "consult.accountability"
    label = "accountability"
    verbose_name = _("Accountability")

    def ready(self) -> None:
        from consult.accountability import signals

        signals.connect()
