"""Forms the Wagtail page editor builds on; kept apart so the page models can import them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm

from drafts.editing import edits_whole_text
from drafts.permissions import agency_policy
from econsult.forms import TypedTextFormMixin


class TypedTextPageForm(TypedTextFormMixin, WagtailAdminPageForm):
    """A page editor that stores its text fields as typed text (econsult.text.clean_input)."""


class DraftPageForm(TypedTextPageForm):
    """The draft editor: an agency's staff choose only among their own agencies. A long
    draft's form has no `body` field: its text is edited a part at a time and the page form
    keeps the latest revision's body (drafts.editing)."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if "agency" in self.fields and for_user is not None:
            self.fields["agency"].queryset = agency_policy.agencies_for_user(for_user)
        body = getattr(self.instance, "body", None)
        if "body" in self.fields and body is not None and not edits_whole_text(body.raw_data):
            del self.fields["body"]

    def clean_required_assurance(self):
        """A verified identity can be required only where the national sign-in is configured
        (OIDC_ISSUER_URL): without it nobody could comment, and the consultation would be
        closed to everyone without a word to its editor."""
        required = self.cleaned_data.get("required_assurance")
        if required and not settings.OIDC_ISSUER_URL:
            raise ValidationError(
                _(
                    "This site has no national sign-in (OIDC_ISSUER_URL is not set): nobody "
                    "could prove their identity, so nobody could comment. Ask the site's "
                    "administrator to configure it first."
                )
            )
        return required
