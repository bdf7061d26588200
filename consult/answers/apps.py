from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnswersConfig(AppConfig):
    """The drafting agency's answers to comments, their revisions and the authors' satisfaction."""

    name = "consult.answers"
    label = "answers"
    verbose_name = _("Answers")
