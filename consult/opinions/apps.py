from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpinionsConfig(AppConfig):
    """Formal opinions of other agencies on a draft (Law 64/2025 Art. 30): the drafting
    agency's written requests, the invited agencies' official opinions, reminders, deadlines."""

    name = "consult.opinions"
    label = "opinions"
    verbose_name = _("Agency opinions")
