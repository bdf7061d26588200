"""Forms the Wagtail page editor builds on; kept apart so the page models can import them."""

from wagtail.admin.forms import WagtailAdminPageForm

from drafts.models.agencies import Agency
from econsult.forms import TypedTextFormMixin


def agencies_for(user):
    """The agencies a person may draft for: all for site administrators, else their own."""
    agencies = Agency.objects.all()
    return agencies if user.is_superuser else agencies.filter(staff=user)


class TypedTextPageForm(TypedTextFormMixin, WagtailAdminPageForm):
    """A page editor that stores its text fields as typed text (econsult.text.clean_input)."""


class DraftPageForm(TypedTextPageForm):
    """The draft editor: an agency's staff choose only among their own agencies."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if "agency" in self.fields and for_user is not None:
            self.fields["agency"].queryset = agencies_for(for_user)
