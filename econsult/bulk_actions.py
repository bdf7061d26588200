"""A base for the admin's bulk actions whose work is a service that may refuse."""

from django.core.exceptions import ValidationError
from wagtail.admin import messages
from wagtail.admin.views.bulk_action import BulkAction


class ServiceBulkAction(BulkAction):
    """A Wagtail bulk action calling a service that refuses with a ValidationError (a rule of
    the service, e.g. "give a reason"): the refusal comes back as a message on the
    confirmation page, which is shown again, and nothing is changed."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            messages.error(self.request, " ".join(error.messages))
            return self.form_invalid(form)
