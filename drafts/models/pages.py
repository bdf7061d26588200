import math
from datetime import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from drafts.admin_forms import DraftPageForm, TypedTextPageForm
from drafts.blocks import DraftBodyBlock
from drafts.editing import DraftTextPanel
from drafts.hooks import (
    consultation_index_context,
    draft_page_context,
    draft_page_routes,
    draft_page_sections,
)
from econsult.identity.models import Assurance
from econsult.text import fold_words


class DocumentType(models.TextChoices):
    LAW = "luat", _("Law (Luật)")
    CODE = "bo_luat", _("Code (Bộ luật)")
    ORDINANCE = "phap_lenh", _("Ordinance (Pháp lệnh)")
    RESOLUTION = "nghi_quyet", _("Resolution (Nghị quyết)")
    DECREE = "nghi_dinh", _("Decree (Nghị định)")
    DECISION = "quyet_dinh", _("Decision (Quyết định)")
    CIRCULAR = "thong_tu", _("Circular (Thông tư)")
    OTHER = "khac", _("Other")


class ConsultationStatus(models.TextChoices):
    UPCOMING = "upcoming", _("Upcoming")
    OPEN = "open", _("Open for comment")
    CLOSED = "closed", _("Closed")


class Moderation(models.TextChoices):
    PRE = "pre", _("Pre-moderation: nothing is public until a moderator approves it")
    POST = "post", _("Post-moderation: published at once, moderated afterwards")


class ConsultationIndexPage(Page):
    """The home page: consultations open now, upcoming and closed, with filters."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    base_form_class = TypedTextPageForm
    subpage_types = ["drafts.DraftPage"]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("consultation index")
        verbose_name_plural = _("consultation indexes")

    def route(self, request, path_components):
        """Find a draft without loading its body: the published page reads provision rows."""
        if path_components:
            child = (
                DraftPage.objects.child_of(self)
                .filter(slug=path_components[0])
                .defer_streamfields()
                .first()
            )
            if child is not None:
                return child.route(request, path_components[1:])
        return super().route(request, path_components)

    def permissions_for_user(self, user):
        """Wagtail's page permissions, for a page every agency shares: staff add and publish
        drafts below it, and only superusers change it (drafts/permissions.py)."""
        from drafts.permissions import SharedPagePermissionTester

        return SharedPagePermissionTester(user, self)

    def get_context(self, request, *args, **kwargs):
        """The lists of drafts, from the hooks (drafts.hooks): drafts' own hook reads them
        (drafts.selectors.consultation_listing)."""
        context = super().get_context(request, *args, **kwargs)
        context.update(consultation_index_context(page=self, request=request))
        return context


class DraftPage(RoutablePageMixin, Page):
    """One draft legal document put out for consultation, published provision by provision."""

    document_type = models.CharField(
        _("document type"), max_length=20, choices=DocumentType.choices, default=DocumentType.LAW
    )
    number = models.CharField(
        _("number or code"), max_length=64, blank=True, help_text=_("e.g. 05/2022/QH15")
    )
    agency = models.ForeignKey(
        "drafts.Agency",
        verbose_name=_("drafting agency"),
        on_delete=models.PROTECT,
        related_name="drafts",
    )
    summary = models.TextField(_("summary"), blank=True)
    opens_at = models.DateTimeField(_("consultation opens"))
    closes_at = models.DateTimeField(_("consultation closes"))
    version_number = models.PositiveSmallIntegerField(
        _("draft number (Dự thảo số)"),
        default=1,
        help_text=_(
            "Raise it to publish a new draft version; publishing with the same number "
            "updates the current version in place."
        ),
    )
    moderation = models.CharField(
        _("moderation"), max_length=4, choices=Moderation.choices, default=Moderation.POST
    )
    allow_anonymous = models.BooleanField(
        _("accept feedback without an account"),
        default=False,
        help_text=_("Such feedback is published after its author confirms it by e-mail."),
    )
    required_assurance = models.PositiveSmallIntegerField(
        _("identity required to comment"),
        choices=Assurance.choices,
        default=Assurance.NONE,
        help_text=_(
            "Only people whose identity the national provider (VNeID) verified, at this level "
            "or above, may comment; feedback without an account is then refused."
        ),
    )
    body = StreamField(DraftBodyBlock(), verbose_name=_("text of the draft"), blank=True)
    title_folded = models.CharField(max_length=512, editable=False, default="", db_index=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("document_type"), FieldPanel("number")]),
                FieldPanel("agency", widget=forms.Select),
                FieldPanel("summary"),
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                FieldPanel("version_number"),
                FieldRowPanel([FieldPanel("moderation"), FieldPanel("allow_anonymous")]),
                FieldPanel("required_assurance"),
            ],
            heading=_("Consultation"),
        ),
        DraftTextPanel("body"),
        InlinePanel("documents", label=_("Supporting documents")),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("number"),
        # The title and number folded (econsult.text.fold_words): the admin's page search
        # folds the query too (econsult.wagtail_search), so "dien anh" finds "Điện ảnh".
        index.SearchField("title_folded"),
        index.AutocompleteField("title_folded"),
        index.FilterField("document_type"),
        index.FilterField("agency_id"),
        index.FilterField("opens_at"),
        index.FilterField("closes_at"),
    ]
    parent_page_types = ["drafts.ConsultationIndexPage"]
    subpage_types: list[str] = []
    base_form_class = DraftPageForm

    class Meta:
        verbose_name = _("draft document")
        verbose_name_plural = _("draft documents")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="draft_closes_after_opens",
            )
        ]

    def clean(self):
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The consultation must close after it opens.")})

    def save(self, *args, **kwargs):
        self.title_folded = fold_words(f"{self.title} {self.number}")[:512]
        return super().save(*args, **kwargs)

    def permissions_for_user(self, user):
        """Wagtail's page permissions, limited by the agency rule (drafts/permissions.py):
        only the drafting agency's staff and superusers may act on this draft."""
        from drafts.permissions import DraftPagePermissionTester

        return DraftPagePermissionTester(user, self)

    def status_at(self, moment: datetime) -> str:
        if moment < self.opens_at:
            return ConsultationStatus.UPCOMING
        if moment < self.closes_at:
            return ConsultationStatus.OPEN
        return ConsultationStatus.CLOSED

    @property
    def status(self) -> str:
        return self.status_at(timezone.now())

    @property
    def status_label(self) -> str:
        return ConsultationStatus(self.status).label

    @property
    def days_left(self) -> int:
        """Whole days until the consultation closes, counting a part day as one; 0 once closed."""
        remaining = (self.closes_at - timezone.now()).total_seconds()
        return max(0, math.ceil(remaining / 86400))

    @classmethod
    def get_subpage_urls(cls):
        """The page's own route (its text), then those the apps contribute (drafts.hooks):
        the print view of an article (`in/<anchor>/`, drafts), feedback (`gop-y/`), the
        synthesis report (`bao-cao/`), search (`tim-kiem/`)."""
        return super().get_subpage_urls() + draft_page_routes()

    def get_context(self, request, *args, **kwargs):
        """What the hooks add (drafts.hooks): first the draft's text, read by drafts' own hook
        (drafts.selectors.draft_reading), then what the other apps show on the page."""
        context = super().get_context(request, *args, **kwargs)
        context.update(draft_page_context(page=self, request=request))
        context["page_sections"] = draft_page_sections(page=self, request=request)
        return context

    @path("")
    def reading(self, request):
        return self.render(request)


class DraftDocument(Orderable):
    """A supporting document of a consultation: the tờ trình, an impact assessment, …"""

    class Kind(models.TextChoices):
        SUBMISSION = "to_trinh", _("Submission (Tờ trình)")
        IMPACT = "danh_gia_tac_dong", _("Impact assessment")
        SUMMARY = "tom_tat", _("Summary")
        COMPARISON = "so_sanh", _("Comparison table")
        OTHER = "khac", _("Other")

    page = ParentalKey(DraftPage, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(_("title shown"), max_length=255, blank=True)

    panels = [FieldPanel("document"), FieldPanel("kind"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("supporting document")
        verbose_name_plural = _("supporting documents")

    @property
    def display_title(self) -> str:
        return self.title or self.document.title
