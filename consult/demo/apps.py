from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo content: the two corpus drafts with feedback, answers and a report (`load_demo`)."""

    name = "consult.demo"
    label = "demo"
    verbose_name = _("Demo")
