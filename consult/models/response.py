from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from consult.models.feedback import private_storage


class Decision(models.TextChoices):
    """What the drafting agency did with a comment (the legal wording of the synthesis report)."""

    ACCEPTED = "accepted", _("Accepted")  # tiếp thu
    PARTLY = "partly", _("Partly accepted")  # tiếp thu một phần
    NOT_ACCEPTED = "not_accepted", _("Not accepted, explained")  # không tiếp thu và giải trình
    NOTED = "noted", _("Noted")  # ghi nhận

    @classmethod
    def needs_reason(cls) -> set[str]:
        """Decisions the agency must explain."""
        return {cls.PARTLY, cls.NOT_ACCEPTED}


class Response(models.Model):
    """The drafting agency's answer to one comment or to a group of comments.

    A response starts private; publishing it makes it part of the public record. Once
    published it is never overwritten silently: each change keeps the earlier wording as a
    ResponseRevision. The comments it covers point at it (`Feedback.response`), so a comment
    has at most one answer and "answered" is a plain filter.
    """

    draft = models.ForeignKey(
        "drafts.DraftPage",
        verbose_name=_("draft"),
        on_delete=models.PROTECT,
        related_name="responses",
    )
    provision = models.ForeignKey(
        "drafts.Provision",
        verbose_name=_("provision"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responses",
        help_text=_("The provision every covered comment is on; empty when they differ."),
    )
    agency = models.ForeignKey(
        "drafts.Agency",
        verbose_name=_("answering agency"),
        on_delete=models.PROTECT,
        related_name="responses",
    )
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices)
    reason = models.TextField(_("reason"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last changed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    revised_at = models.DateTimeField(
        _("changed after publication"),
        null=True,
        blank=True,
        help_text=_("When the published wording was last changed; its history is kept."),
    )

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        indexes = [models.Index(fields=["draft", "published_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(decision__in=["partly", "not_accepted"]) | ~models.Q(reason=""),
                name="response_reason_for_partly_and_not_accepted",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} #{self.pk}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class ResponseRevision(models.Model):
    """A published wording of a response that was later changed: the public record keeps it."""

    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("response")
    )
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices)
    reason = models.TextField(_("reason"), blank=True)
    published_at = models.DateTimeField(_("published"))
    replaced_at = models.DateTimeField(_("changed"), db_index=True)
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-replaced_at", "-pk"]
        verbose_name = _("earlier wording of a response")

    def __str__(self) -> str:
        return f"#{self.response_id} before {self.replaced_at:%Y-%m-%d %H:%M}"


class Satisfaction(models.Model):
    """The author of a comment says, once, whether the published answer satisfied them."""

    feedback = models.OneToOneField(
        "consult.Feedback",
        on_delete=models.CASCADE,
        related_name="satisfaction",
        verbose_name=_("feedback"),
    )
    response = models.ForeignKey(
        Response, on_delete=models.PROTECT, related_name="satisfactions", verbose_name=_("response")
    )
    satisfied = models.BooleanField(_("satisfied"))
    note = models.TextField(_("note"), blank=True, max_length=1000)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("satisfaction with an answer")
        verbose_name_plural = _("satisfaction with answers")

    def __str__(self) -> str:
        return f"#{self.feedback_id}: {'satisfied' if self.satisfied else 'not satisfied'}"


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
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("synthesis report")
        verbose_name_plural = _("synthesis reports")

    def __str__(self) -> str:
        return f"Report of draft #{self.draft_id}"


class DraftFigures(models.Model):
    """A draft's accountability figures, refreshed by a task whenever its answers change, so
    the agency pages add up a few rows per agency instead of scanning every comment.

    `delays` is a histogram {whole days from comment to published answer: comments}, from
    which exact medians over any set of drafts are read."""

    draft = models.OneToOneField(
        "drafts.DraftPage", on_delete=models.CASCADE, related_name="figures"
    )
    feedback_count = models.PositiveIntegerField(default=0)
    answered_count = models.PositiveIntegerField(default=0)
    decisions = models.JSONField(default=dict)
    delays = models.JSONField(default=dict)
    satisfied_count = models.PositiveIntegerField(default=0)
    unsatisfied_count = models.PositiveIntegerField(default=0)
    refreshed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("draft figures")
        verbose_name_plural = _("draft figures")

    def __str__(self) -> str:
        return f"Figures of draft #{self.draft_id}"


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
    format = models.CharField(max_length=8, choices=Format.choices)
    scope = models.CharField(max_length=8, choices=Scope.choices, default=Scope.PUBLIC)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
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
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["draft", "format", "scope", "fingerprint"]),
            models.Index(fields=["status", "heartbeat_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.format} export of draft #{self.draft_id} ({self.status})"
