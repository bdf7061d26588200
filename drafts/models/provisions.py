from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DraftVersion(models.Model):
    """A published draft version (Dự thảo 1, 2, 3 …) of a DraftPage."""

    page = models.ForeignKey("drafts.DraftPage", on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("draft number"))
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("revision last published"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    first_published_at = models.DateTimeField(_("first published"), auto_now_add=True)
    last_published_at = models.DateTimeField(_("last published"), auto_now=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    whole_feedback_count = models.PositiveIntegerField(
        default=0, editable=False, help_text="Published comments on the draft as a whole."
    )

    class Meta:
        ordering = ["page", "number"]
        verbose_name = _("draft version")
        verbose_name_plural = _("draft versions")
        constraints = [
            models.UniqueConstraint(fields=["page", "number"], name="unique_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.page.title} — Dự thảo {self.number}"


class Provision(models.Model):
    """One commentable unit of a draft version: a heading, article, clause, point, paragraph,
    or an alternative wording ("Phương án N") of an article, clause or point.

    Its key is the UUID of the StreamField block it comes from, so it stays the same through
    later edits; a provision removed from the text keeps its row, marked withdrawn.
    """

    class Kind(models.TextChoices):
        PART = "part", _("part")
        CHAPTER = "chapter", _("chapter")
        SECTION = "section", _("section")
        SUBSECTION = "subsection", _("subsection")
        ARTICLE = "article", _("article")
        CLAUSE = "clause", _("clause")
        POINT = "point", _("point")
        PARAGRAPH = "paragraph", _("paragraph")
        ALTERNATIVE = "alternative", _("alternative")

    version = models.ForeignKey(DraftVersion, on_delete=models.CASCADE, related_name="provisions")
    key = models.UUIDField(_("key"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=32, blank=True)
    label = models.CharField(_("label"), max_length=64)
    citation = models.CharField(_("citation"), max_length=128)
    title = models.TextField(_("title"), blank=True)
    text = models.TextField(_("text"), blank=True)
    anchor = models.CharField(_("anchor"), max_length=128)
    path = models.CharField(_("path"), max_length=1024, db_index=True)
    depth = models.PositiveSmallIntegerField(_("depth"), default=0)
    position = models.PositiveIntegerField(_("position"))
    parent = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="children"
    )
    withdrawn = models.BooleanField(_("withdrawn"), default=False)
    # Published top-level feedback on this provision, kept by consult.feedback.services.
    feedback_count = models.PositiveIntegerField(default=0, editable=False)
    agree_count = models.PositiveIntegerField(default=0, editable=False)
    disagree_count = models.PositiveIntegerField(default=0, editable=False)
    change_count = models.PositiveIntegerField(default=0, editable=False)
    question_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["version", "position"]
        verbose_name = _("provision")
        verbose_name_plural = _("provisions")
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="unique_provision_key"),
            models.UniqueConstraint(
                fields=["version", "anchor"],
                condition=models.Q(withdrawn=False),
                name="unique_live_provision_anchor",
            ),
        ]
        indexes = [models.Index(fields=["version", "withdrawn", "position"])]

    def __str__(self) -> str:
        return self.citation
