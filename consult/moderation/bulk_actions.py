"""The moderation decisions as Wagtail bulk actions on the queue's ticked comments.

Each one shows the comments and asks for a reason, then calls the one moderation service
(`feedback_bulk_moderate`), so the rules, refusals, audit record and messages are the same
as for one comment: all or nothing. A selection that names a comment the person may not
moderate is refused whole (PermissionDenied), as the service refuses such a batch.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from consult.feedback.models import Feedback
from consult.moderation.forms import ModerationReasonForm
from consult.moderation.models import ModerationAction
from consult.moderation.services import can_moderate, feedback_bulk_moderate
from consult.moderation.views import BUTTON_LABELS, DANGEROUS, done_message, feedback_row
from econsult.bulk_actions import ServiceBulkAction

Action = ModerationAction.Action


class ModerationBulkAction(ServiceBulkAction):
    """One moderation decision (`decision`, a ModerationAction.Action) on the ticked comments."""

    decision: str
    models = [Feedback]
    form_class = ModerationReasonForm
    template_name = "moderation/admin/bulk_actions/confirm.html"

    @classmethod
    def get_queryset(cls, model, object_ids):
        ids = [pk for pk in object_ids if str(pk).isdigit()]
        return list(
            Feedback.objects.filter(pk__in=ids)
            .select_related("draft", "provision", "user")
            .defer("draft__body")
            .order_by("pk")
        )

    def get_all_objects_in_listing_query(self, parent_id):
        return []  # the queue offers no "select all in listing"

    def check_perm(self, feedback: Feedback) -> bool:
        return can_moderate(self.request.user, feedback.draft)

    @cached_property
    def _actionable_objects(self):
        objects, extra = super().get_actionable_objects()
        if not objects or extra["items_with_no_access"]:
            raise PermissionDenied
        return objects, extra

    def get_actionable_objects(self):
        return self._actionable_objects

    def object_context(self, feedback: Feedback) -> dict:
        return {
            "item": feedback,
            "title": _("Comment #%(n)d") % {"n": feedback.pk},
            "row": feedback_row(feedback, flags=[]),
        }

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "header_icon": "warning",
            "action_label": self.display_name,
            "dangerous": self.decision in DANGEROUS,
        }

    def get_execution_context(self) -> dict:
        return {
            "user": self.request.user,
            "reason": self.cleaned_form.cleaned_data["reason"],
        }

    @classmethod
    def execute_action(cls, objects, *, user, reason, **kwargs):
        count = feedback_bulk_moderate(
            feedback_ids=[feedback.pk for feedback in objects],
            action=cls.decision,
            user=user,
            reason=reason,
        )
        return count, 0

    def get_success_message(self, num_parent_objects, num_child_objects) -> str:
        return done_message(self.decision, num_parent_objects)


class ApproveBulkAction(ModerationBulkAction):
    decision = action_type = Action.APPROVE.value
    display_name = BUTTON_LABELS[Action.APPROVE]
    aria_label = gettext_lazy("Approve the selected comments")
    action_priority = 10


class RejectBulkAction(ModerationBulkAction):
    decision = action_type = Action.REJECT.value
    display_name = BUTTON_LABELS[Action.REJECT]
    aria_label = gettext_lazy("Reject the selected comments")
    action_priority = 20
    classes = {"serious"}


class RemoveBulkAction(ModerationBulkAction):
    decision = action_type = Action.REMOVE.value
    display_name = BUTTON_LABELS[Action.REMOVE]
    aria_label = gettext_lazy("Remove the selected comments")
    action_priority = 30
    classes = {"serious"}


class DismissFlagsBulkAction(ModerationBulkAction):
    decision = action_type = Action.DISMISS_FLAGS.value
    display_name = BUTTON_LABELS[Action.DISMISS_FLAGS]
    aria_label = gettext_lazy("Dismiss the flags on the selected comments")
    action_priority = 40


class RestoreBulkAction(ModerationBulkAction):
    decision = action_type = Action.RESTORE.value
    display_name = BUTTON_LABELS[Action.RESTORE]
    aria_label = gettext_lazy("Restore the selected comments")
    action_priority = 50


BULK_ACTIONS = [
    ApproveBulkAction,
    RejectBulkAction,
    RemoveBulkAction,
    DismissFlagsBulkAction,
    RestoreBulkAction,
]
