from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultConfig(AppConfig):
    """The consultation rooms' parent. Until consult/ was split into rooms (feedback,
    moderation, answers, reports, accountability, demo) it held their models; it keeps the
    migrations that made their tables, and its last migration hands the models over to the
    rooms' apps without touching a table (see consult/migrations/0005_split_into_rooms.py)."""

    name = "consult"
    verbose_name = _("Consultation feedback")
