from django.db import models
from django.utils.translation import gettext_lazy as _

from econsult.fields import staff_link


class ModerationAction(models.Model):
    """A record of every moderation decision: who, when, what and why."""

    class Action(models.TextChoices):
        APPROVE = "approve", _("Approved")
        REJECT = "reject", _("Rejected")
        REMOVE = "remove", _("Removed")
        RESTORE = "restore", _("Restored")
        DISMISS_FLAGS = "dismiss_flags", _("Flags dismissed")

    feedback = models.ForeignKey(
        "feedback.Feedback", on_delete=models.CASCADE, related_name="moderation_actions"
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    reason = models.TextField(_("reason"), blank=True)
    actor = staff_link(_("moderator"))
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        db_table = "consult_moderationaction"  # named before consult/ was split into rooms
        ordering = ["-created_at"]
        verbose_name = _("moderation action")
        verbose_name_plural = _("moderation actions")

    def __str__(self) -> str:
        return f"{self.get_action_display()} #{self.feedback_id}"
