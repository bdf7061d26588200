from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """The synthesis report of a consultation and its exports (DOCX, XLSX, CSV, JSON)."""

    name = "consult.reports"
    label = "reports"
    verbose_name = _("Synthesis reports")
