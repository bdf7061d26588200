"""Wagtail bulk actions of the answers: answer many comments with one response, publish many
responses. They live at /admin/bulk/<app>/<model>/<action>/?id=…&next=…, show a confirmation
page (GET) and act on POST through the services, whose rules, refusals and messages stand.

Every selected row must be of a draft the user answers for (the agency rule, ANSWER); one
that is not refuses the whole request with a 403, so nothing of another agency is listed.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.functional import cached_property, classproperty
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import defaults

from consult.answers.admin_views import answered_message, published_text, url_name
from consult.answers.forms import BulkAnswerForm
from consult.answers.models import Response
from consult.answers.services import can_answer, can_answer_any, response_create, response_publish
from consult.answers.traces import comment_versions, later_choices
from consult.feedback.models import Feedback
from drafts.models import DraftPage
from econsult.bulk_actions import ServiceBulkAction

PREVIEW_CHARS = 200


class AnswerBulkAction(ServiceBulkAction):
    """The common part: a 403 outside the agency rule, the drafts of the selection, and the
    services' refusals shown on the confirmation page."""

    def dispatch(self, request, *args, **kwargs):
        try:
            if not can_answer_any(request.user):
                raise PermissionDenied
            self.get_actionable_objects()
            return super().dispatch(request, *args, **kwargs)
        except PermissionDenied as exc:
            return defaults.permission_denied(request, exc)

    @classmethod
    def get_queryset(cls, model, object_ids) -> QuerySet:
        return model.objects.filter(pk__in=[pk for pk in object_ids if str(pk).isdigit()])

    def get_all_objects_in_listing_query(self, parent_id):
        raise PermissionDenied  # "all in the listing" depends on the listing's filters

    @cached_property
    def _actionable(self):
        objects = list(self.get_queryset(self.model, self.request.GET.getlist("id")))
        drafts = DraftPage.objects.defer_streamfields().in_bulk({o.draft_id for o in objects})
        for obj in objects:
            obj.draft = drafts[obj.draft_id]
            if not can_answer(self.request.user, obj.draft):
                raise PermissionDenied
        return objects, {"items_with_no_access": []}

    def get_actionable_objects(self):
        return self._actionable

    def get_execution_context(self):
        return {"action": self}


class AnswerFeedbackBulkAction(AnswerBulkAction):
    """Answer the selected comments of one draft with one response (response_create)."""

    display_name = gettext_lazy("Answer together")
    action_type = "answer"
    aria_label = gettext_lazy("Answer the selected comments")
    template_name = "answers/admin/bulk_answer.html"
    form_class = BulkAnswerForm
    action_priority = 10

    @classproperty
    def models(cls):
        return [Feedback]

    def get_form_kwargs(self):
        """The resulting-provision field offers the provisions of the versions after the
        latest one the selected comments were made on (none: the field is left out)."""
        kwargs = super().get_form_kwargs()
        objects, _unused = self.get_actionable_objects()
        if objects:
            draft = objects[0].draft
            comments = Feedback.objects.filter(pk__in=[o.pk for o in objects], draft=draft)
            versions = comment_versions(draft, comments.select_related("provision__version"))
            kwargs["resulting_choices"] = later_choices(
                draft, after=max(versions.values(), default=0)
            )
        return kwargs

    def object_context(self, obj):
        return {
            "item": obj,
            "preview": Truncator(obj.comment).chars(PREVIEW_CHARS),
        }

    @classmethod
    def execute_action(cls, objects, action=None, **kwargs):
        if not objects:
            raise ValidationError(_("Select at least one comment to answer."))
        data = action.cleaned_form.cleaned_data
        action.response = response_create(
            user=action.request.user,
            draft=objects[0].draft,
            feedback_ids=[obj.pk for obj in objects],
            decision=data["decision"],
            reason=data["reason"],
            publish=data["publish"],
            resulting_provision_ids=data.get("resulting_provisions") or (),
        )
        return len(objects), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        answered_message(self.request, self.response, count=num_parent_objects)
        return None


class PublishResponsesBulkAction(AnswerBulkAction):
    """Publish the selected answers (response_publish); their comments' authors are told."""

    display_name = gettext_lazy("Publish")
    action_type = "publish"
    aria_label = gettext_lazy("Publish the selected answers")
    template_name = "answers/admin/bulk_publish.html"
    action_priority = 10

    @classproperty
    def models(cls):
        return [Response]

    def object_context(self, obj):
        return {
            "item": obj,
            "decision": obj.get_decision_display(),
            "reason": Truncator(obj.reason).chars(PREVIEW_CHARS),
            "published": obj.is_published,
            "edit_url": reverse(url_name("response_edit"), args=[obj.draft_id, obj.pk]),
        }

    @classmethod
    def execute_action(cls, objects, action=None, **kwargs):
        published = response_publish(user=action.request.user, responses=objects)
        return len(published), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return published_text(num_parent_objects)
