"""What makes an outgoing e-mail idempotent: one key per (recipient, event)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxKey(models.Model):
    """The e-mail written for one (recipient, event), e.g. ``answered:<response>:<feedback>``.

    The unique key is what keeps a task that is retried, or a service that runs twice, from
    queueing the same e-mail again: the second insert is refused by the database.
    """

    key = models.CharField(max_length=400, unique=True)
    email = models.OneToOneField(
        "post_office.Email", on_delete=models.CASCADE, related_name="outbox_key"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("outbox key")
        verbose_name_plural = _("outbox keys")

    def __str__(self) -> str:
        return self.key
