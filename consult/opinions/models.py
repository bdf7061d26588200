"""Formal requests for opinions on a draft and the invited agencies' answers (Law 64/2025
Art. 30: the bodies asked in writing answer within 15 days).

An `OpinionRequest` is the drafting agency's letter (văn bản đề nghị góp ý) on one draft; it
invites agencies (`OpinionInvitation`, one per agency). An invited agency answers with an
`OpinionSubmission`: its signed letter and its opinion, on the draft as a whole and on chosen
provisions, each stored as a `feedback.Feedback` row (respondent type "agency") that
`OpinionItem` links to the submission, so the opinion enters the answers inbox, the search and
the synthesis report like any comment. A withdrawn or replaced submission stays on record.

Links to drafts and feedback are all held here: those apps' models do not know this one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from consult.feedback.models import private_storage
from drafts.fields import draft_link


def request_letter_path(instance, filename: str) -> str:
    return f"opinions/requests/{instance.draft_id}/{filename}"


def submission_letter_path(instance, filename: str) -> str:
    return f"opinions/submissions/{instance.invitation_id}/{filename}"


class OpinionRequest(models.Model):
    """The drafting agency's written request for opinions on a draft, with its letter (PDF,
    kept in private storage) and the deadline every invited agency answers by (stored UTC)."""

    draft = draft_link(related_name="opinion_requests")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent at"))
    deadline = models.DateTimeField(_("deadline"))
    reference = models.CharField(_("letter number"), max_length=64, blank=True)
    subject = models.CharField(_("subject"), max_length=255)
    message = models.TextField(_("message"), blank=True)
    letter = models.FileField(
        _("request letter"),
        storage=private_storage,
        upload_to=request_letter_path,
        max_length=255,
    )

    class Meta:
        verbose_name = _("request for opinions")
        verbose_name_plural = _("requests for opinions")
        ordering = ["-sent_at", "-pk"]

    def __str__(self) -> str:
        return self.subject

    @property
    def agency_id(self) -> int:
        """The drafting agency's id: the agency rule judges a request as its draft."""
        return self.draft.agency_id


class OpinionInvitation(models.Model):
    """One agency asked by a request; `agency_id` is the invited agency, so the agency rule
    (`drafts.permissions.agency_policy`) judges an invitation as that agency's."""

    request = models.ForeignKey(
        OpinionRequest,
        verbose_name=_("request for opinions"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    agency = models.ForeignKey(
        "drafts.Agency",
        verbose_name=_("invited agency"),
        on_delete=models.PROTECT,
        related_name="opinion_invitations",
    )

    class Meta:
        verbose_name = _("invitation to give an opinion")
        verbose_name_plural = _("invitations to give an opinion")
        ordering = ["request", "agency__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "agency"], name="opinion_invitation_once_per_agency"
            )
        ]

    def __str__(self) -> str:
        return f"{self.request} → {self.agency}"


class OpinionSubmission(models.Model):
    """An invited agency's official opinion: who submitted it for the agency, when, its
    signed letter (PDF). At most one is current per invitation; a withdrawn or replaced one
    stays on record (Law 64/2025 Art. 30)."""

    class State(models.TextChoices):
        CURRENT = "current", _("Current")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        REPLACED = "replaced", _("Replaced")

    invitation = models.ForeignKey(
        OpinionInvitation,
        verbose_name=_("invitation"),
        on_delete=models.CASCADE,
        related_name="submissions",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    letter = models.FileField(
        _("signed letter"),
        storage=private_storage,
        upload_to=submission_letter_path,
        max_length=255,
    )
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.CURRENT
    )
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("replaced by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)

    class Meta:
        verbose_name = _("official opinion")
        verbose_name_plural = _("official opinions")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["invitation"],
                condition=models.Q(state="current"),
                name="opinion_one_current_submission",
            )
        ]

    def __str__(self) -> str:
        return f"{self.invitation.agency} · {self.submitted_at:%d/%m/%Y}"

    @property
    def agency_id(self) -> int:
        """The invited agency's id, for the agency rule."""
        return self.invitation.agency_id


class OpinionItem(models.Model):
    """One part of an official opinion: on the draft as a whole or on one provision, stored
    as the feedback row `feedback` (which this app alone links to)."""

    submission = models.ForeignKey(
        OpinionSubmission,
        verbose_name=_("official opinion"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    feedback = models.OneToOneField(
        "feedback.Feedback",
        verbose_name=_("feedback"),
        on_delete=models.PROTECT,
        related_name="opinion_item",
    )

    class Meta:
        verbose_name = _("part of an official opinion")
        verbose_name_plural = _("parts of official opinions")
        ordering = ["pk"]

    def __str__(self) -> str:
        return str(self.feedback_id)
