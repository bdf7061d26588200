from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from consult.feedback.models import private_storage
from econsult.fields import staff_link


class SynthesisReport(models.Model):
    """The synthesis report of a consultation ("Bản tổng hợp, giải trình, tiếp thu ý kiến").

    Its content is the draft's published feedback and responses; this row carries the
    agency's introduction and when it declared the report published (accountability counts
    consultations closed without one)."""

    draft = models.OneToOneField(
        "drafts.DraftPage",
        on_delete=models.CASCADE,
        related_name="synthesis_report",
        verbose_name=_("draft"),
    )
    introduction = models.TextField(_("introduction"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = staff_link(_("published by"), required=False)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        db_table = "consult_synthesisreport"  # named before consult/ was split into rooms
        verbose_name = _("synthesis report")
        verbose_name_plural = _("synthesis reports")

    def __str__(self) -> str:
        return f"Report of draft #{self.draft_id}"


def export_path(instance, filename: str) -> str:
    return f"exports/{instance.draft_id}/{filename}"


class ReportExport(models.Model):
    """One export of a synthesis report, built by a Celery task that reports its progress."""

    class Format(models.TextChoices):
        DOCX = "docx", "DOCX"
        XLSX = "xlsx", "XLSX"
        CSV = "csv", "CSV"
        JSON = "json", "JSON"

    class Scope(models.TextChoices):
        PUBLIC = "public", _("Published answers")
        INTERNAL = "internal", _("All answers, published or not (agency staff)")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    draft = models.ForeignKey(
        "drafts.DraftPage", on_delete=models.CASCADE, related_name="report_exports"
    )
    format = models.CharField(_("format"), max_length=8, choices=Format.choices)
    scope = models.CharField(_("scope"), max_length=8, choices=Scope.choices, default=Scope.PUBLIC)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    fingerprint = models.CharField(
        max_length=64,
        blank=True,
        help_text="The state of the report it was built from; a matching export is reused.",
    )
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    file = models.FileField(storage=private_storage, upload_to=export_path, blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Last time the running build said it was alive; a stale one is failed.",
    )
    temp_path = models.CharField(
        max_length=500, blank=True, help_text="The build's temporary file, removed if it dies."
    )

    class Meta:
        db_table = "consult_reportexport"  # named before consult/ was split into rooms
        verbose_name = _("report export")
        verbose_name_plural = _("report exports")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["draft", "format", "scope", "fingerprint"]),
            models.Index(fields=["status", "heartbeat_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.format} export of draft #{self.draft_id} ({self.status})"
