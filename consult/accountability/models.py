from django.db import models
from django.utils.translation import gettext_lazy as _


class DraftFigures(models.Model):
    """A draft's accountability figures, refreshed by a task whenever its answers change, so
    the agency pages add up a few rows per agency instead of scanning every comment.

    `delays` is a histogram {whole days from comment to published answer: comments}, from
    which exact medians over any set of drafts are read. `changes_count` is the number of
    changes made because of comments: distinct provisions of later draft versions that the
    draft's published accepted or partly accepted answers point at
    (`Response.resulting_provisions`). Provisions, not comments, are counted, since twenty
    comments accepted in one clause make one change."""

    draft = models.OneToOneField(
        "drafts.DraftPage", on_delete=models.CASCADE, related_name="figures"
    )
    feedback_count = models.PositiveIntegerField(default=0)
    answered_count = models.PositiveIntegerField(default=0)
    decisions = models.JSONField(default=dict)
    delays = models.JSONField(default=dict)
    satisfied_count = models.PositiveIntegerField(default=0)
    unsatisfied_count = models.PositiveIntegerField(default=0)
    changes_count = models.PositiveIntegerField(
        _("changes made because of comments"),
        default=0,
        help_text=_(
            "Provisions of later draft versions that published accepted or partly accepted "
            "answers point at, each counted once."
        ),
    )
    refreshed_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "consult_draftfigures"  # named before consult/ was split into rooms
        verbose_name = _("draft figures")
        verbose_name_plural = _("draft figures")

    def __str__(self) -> str:
        return f"Figures of draft #{self.draft_id}"
