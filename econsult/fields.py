"""Model fields the apps declare alike, written once."""

from django.conf import settings
from django.db import models


def staff_link(verbose_name, *, required: bool = True) -> models.ForeignKey:
    """A link to the person who did something to a row (wrote, changed, published it).

    The person cannot be deleted while the row names them (PROTECT: the record of who did what
    is kept), and nobody is asked for "the rows this person published" (no reverse accessor).
    `required=False` for a step that may not have happened yet: the column may be empty."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.PROTECT,
        null=not required,
        blank=not required,
        related_name="+",
    )
