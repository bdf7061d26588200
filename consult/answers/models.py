from django.db import models
from django.utils.translation import gettext_lazy as _

from drafts.fields import draft_link, provision_link
from econsult.fields import staff_link


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

    draft = draft_link(related_name="responses")
    provision = provision_link(
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
    created_by = staff_link(_("written by"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    updated_by = staff_link(_("last changed by"), required=False)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    published_by = staff_link(_("published by"), required=False)
    revised_at = models.DateTimeField(
        _("changed after publication"),
        null=True,
        blank=True,
        help_text=_("When the published wording was last changed; its history is kept."),
    )
    resulting_provisions = models.ManyToManyField(
        "drafts.Provision",
        verbose_name=_("resulting provisions"),
        blank=True,
        related_name="traced_responses",
        help_text=_(
            "The provisions of a later draft version that carry the change the comments led "
            "to (“accepted at Clause 2 Article 6, Draft 2”)."
        ),
    )

    class Meta:
        db_table = "consult_response"  # named before consult/ was split into rooms
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
    resulting = models.TextField(
        _("resulting provisions"),
        blank=True,
        help_text=_("The provisions the answer pointed at then, as citations, one a line."),
    )
    published_at = models.DateTimeField(_("published"))
    replaced_at = models.DateTimeField(_("changed"), db_index=True)
    replaced_by = staff_link(_("changed by"))

    class Meta:
        db_table = "consult_responserevision"  # named before consult/ was split into rooms
        ordering = ["-replaced_at", "-pk"]
        verbose_name = _("earlier wording of a response")
        verbose_name_plural = _("earlier wordings of responses")

    def __str__(self) -> str:
        return f"#{self.response_id} before {self.replaced_at:%Y-%m-%d %H:%M}"


class Satisfaction(models.Model):
    """The author of a comment says, once, whether the published answer satisfied them."""

    feedback = models.OneToOneField(
        "feedback.Feedback",
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
        db_table = "consult_satisfaction"  # named before consult/ was split into rooms
        verbose_name = _("satisfaction with an answer")
        verbose_name_plural = _("satisfaction with answers")

    def __str__(self) -> str:
        return f"#{self.feedback_id}: {'satisfied' if self.satisfied else 'not satisfied'}"
