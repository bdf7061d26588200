"""Forms the Wagtail page editor builds on; kept apart so the page models can import them."""

from wagtail.admin.forms import WagtailAdminPageForm

from drafts.permissions import agency_policy


class DraftPageForm(WagtailAdminPageForm):
    """The draft editor: an agency's staff choose only among their own agencies."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if "agency" in self.fields and for_user is not None:
            self.fields["agency"].queryset = agency_policy.agencies_for_user(for_user)
