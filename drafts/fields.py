"""Links other apps' rows make to a draft and to one of its provisions, declared alike."""

from django.db import models
from django.utils.translation import gettext_lazy as _


def draft_link(*, related_name: str) -> models.ForeignKey:
    """The draft a row is about; a draft with such rows cannot be deleted (PROTECT)."""
    return models.ForeignKey(
        "drafts.DraftPage",
        verbose_name=_("draft"),
        on_delete=models.PROTECT,
        related_name=related_name,
    )


def provision_link(*, related_name: str, help_text) -> models.ForeignKey:
    """The provision (article, clause, point) a row is about, empty when it is about the
    draft as a whole; a provision with such rows cannot be deleted (PROTECT)."""
    return models.ForeignKey(
        "drafts.Provision",
        verbose_name=_("provision"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name=related_name,
        help_text=help_text,
    )
