from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from econsult.forms import TypedTextFormMixin


class AgencyForm(TypedTextFormMixin, WagtailAdminModelForm):
    """The agency editor: names stored as typed text (econsult.text.clean_input)."""


class Agency(index.Indexed, models.Model):
    """A drafting agency: a ministry, a provincial People's Committee, the Government Office."""

    name = models.CharField(_("name"), max_length=255, unique=True)
    code = models.CharField(
        _("short code"),
        max_length=32,
        unique=True,
        help_text=_("Upper-case letters and digits, e.g. BTP, LDTBXH."),
    )
    slug = models.SlugField(_("slug"), max_length=64, unique=True)
    website = models.URLField(_("website"), blank=True)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff"),
        blank=True,
        related_name="agencies",
        help_text=_("People who draft and answer for this agency."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("code"),
        FieldPanel("slug"),
        FieldPanel("website"),
        FieldPanel("staff"),
    ]
    base_form_class = AgencyForm
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("code"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[A-Z0-9][A-Z0-9_-]*$"),
                name="agency_code_upper_ascii",
            )
        ]

    def __str__(self) -> str:
        return self.name
