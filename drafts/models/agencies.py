from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from econsult.forms import TypedTextFormMixin

# Vietnamese abbreviations keep their letters: Bộ Lao động - Thương binh và Xã hội is LĐTBXH,
# not LDTBXH. Upper-case Latin letters, the Vietnamese letters with a breve, circumflex or
# horn and Đ, digits, "_" and "-"; tone marks never appear in an abbreviation.
CODE_LETTERS = "A-Z0-9ĐĂÂÊÔƠƯ"
CODE_PATTERN = rf"^[{CODE_LETTERS}][{CODE_LETTERS}_-]*$"


class AgencyForm(TypedTextFormMixin, WagtailAdminModelForm):
    """The agency editor: names stored as typed text (econsult.text.clean_input)."""


class Agency(index.Indexed, models.Model):
    """A drafting agency: a ministry, a provincial People's Committee, the Government Office."""

    name = models.CharField(_("name"), max_length=255, unique=True)
    code = models.CharField(
        _("short code"),
        max_length=32,
        unique=True,
        help_text=_("Upper-case letters, Vietnamese ones included, and digits, e.g. BTP, LĐTBXH."),
        validators=[
            RegexValidator(
                CODE_PATTERN,
                _("Use upper-case letters (Đ included) and digits, e.g. LĐTBXH."),
            )
        ],
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
    collection = models.OneToOneField(
        "wagtailcore.Collection",
        verbose_name=_("media collection"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="agency",
        help_text=_(
            "The agency's own collection of documents and images (supporting documents of "
            "its drafts); only its staff and superusers see it."
        ),
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
                condition=models.Q(code__regex=CODE_PATTERN),
                name="agency_code_upper_letters",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        """Save, giving a new agency its own media collection (a child of the root
        collection, named after the agency) when it has none."""
        if self.collection_id is None:
            self.collection = agency_collection_create(self.name)
        super().save(*args, **kwargs)


def agency_collection_create(name: str):
    """A new Wagtail Collection named `name` for an agency's documents and images, under the
    root collection (made, as Wagtail's migration names it, if the tree has none)."""
    from wagtail.models import Collection

    root = Collection.get_first_root_node() or Collection.add_root(name="Root")
    return root.add_child(name=name)
