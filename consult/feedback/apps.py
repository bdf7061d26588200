from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    """Comments on a draft: posting, threads, endorsements, flags and "my feedback"."""

    name = "consult.feedback"
    label = "feedback"
    verbose_name = _("Feedback")

    def ready(self) -> None:
        from consult.feedback import signals

        signals.connect()
