"""What people follow and which e-mails they have turned off."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """The kinds of notification e-mail; each can be turned off on its own (one-click
    unsubscribe names one)."""

    VERSION = "version", _("A new version of a draft I follow, or a new consultation")
    CLOSING = "closing", _("A consultation I follow closes in 3 days")
    REPORT = "report", _("The synthesis report of a draft I follow is published")
    ANSWER = "answer", _("The drafting agency answers my comment")
    REPLY = "reply", _("Someone replies to my comment")
    DIGEST = "digest", _("Daily digest for agency staff")


FOLLOW_KINDS = (Kind.VERSION, Kind.CLOSING, Kind.REPORT)

# Each kind described without "I"/"my" (the labels are the switches of the following page,
# "Send me an e-mail when …"): the unsubscribe page reads "Stop sending <description> to …?".
KIND_DESCRIPTIONS = {
    Kind.VERSION: _(
        "e-mails about new versions of followed drafts and new consultations of followed agencies"
    ),
    Kind.CLOSING: _("reminders that a followed consultation closes in 3 days"),
    Kind.REPORT: _("e-mails about the synthesis report of a followed draft"),
    Kind.ANSWER: _("e-mails when the drafting agency answers a comment"),
    Kind.REPLY: _("e-mails when someone replies to a comment"),
    Kind.DIGEST: _("the daily digest for agency staff"),
}


class Follow(models.Model):
    """A signed-in person follows one draft or one agency (all its drafts): exactly one of
    `draft` and `agency` is set. `language` is the interface language when they followed:
    the e-mails of its events are written in it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="follows",
    )
    draft = models.ForeignKey(
        "drafts.DraftPage",
        verbose_name=_("draft"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follows",
    )
    agency = models.ForeignKey(
        "drafts.Agency",
        verbose_name=_("agency"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follows",
    )
    language = models.CharField(_("language"), max_length=8, default="vi")
    created_at = models.DateTimeField(_("followed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.CheckConstraint(
                condition=Q(draft__isnull=False, agency__isnull=True)
                | Q(draft__isnull=True, agency__isnull=False),
                name="follow_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "draft"], condition=Q(draft__isnull=False), name="follow_draft_once"
            ),
            models.UniqueConstraint(
                fields=["user", "agency"],
                condition=Q(agency__isnull=False),
                name="follow_agency_once",
            ),
        ]
        # The fan-out walks a target's followers by id (keyset): (draft, id) and (agency, id).
        indexes = [
            models.Index(fields=["draft", "id"], name="follow_draft_id"),
            models.Index(fields=["agency", "id"], name="follow_agency_id"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.draft_id or ''}{self.agency_id or ''}"


class OptOut(models.Model):
    """An e-mail address that turned one kind of e-mail off (the following page's switches or
    a one-click unsubscribe link). By address, not account: answers and replies also reach
    people who commented without an account."""

    email = models.CharField(_("e-mail address"), max_length=254)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    created_at = models.DateTimeField(_("turned off at"), auto_now_add=True)

    class Meta:
        verbose_name = _("e-mail turned off")
        verbose_name_plural = _("e-mails turned off")
        constraints = [
            models.UniqueConstraint(fields=["email", "kind"], name="optout_once"),
        ]

    def __str__(self) -> str:
        return f"{self.email}: {self.kind}"


class Dispatch(models.Model):
    """An event whose e-mails were fanned out (e.g. `closing` of draft 12 closing at 17:00 on
    15/12): beat's hourly closing-soon check fans each one out once, however often it runs. A
    consultation whose closing time changes is a new event (`closes_at`), so its followers hear
    of the new date."""

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField(_("object"))
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("notification sent")
        verbose_name_plural = _("notifications sent")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "closes_at"], name="dispatch_once_per_closing"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}:{self.closes_at or ''}"
