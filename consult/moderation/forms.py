"""Forms of the moderation screens: the queue's filters, a decision on one comment, and the
reason given with a decision on the ticked comments."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import WagtailFilterSet

from consult.feedback.models import Feedback
from consult.moderation.models import ModerationAction
from consult.moderation.services import QueueState, moderatable_drafts

REASON_MAX_LENGTH = 1000


def _moderatable_drafts(request) -> QuerySet:
    return moderatable_drafts(request.user)


class ModerationQueueFilterSet(WagtailFilterSet):
    """The queue's filters: one of the moderator's drafts, and a state (flagged is a state).
    Nothing chosen lists everything; a draft the moderator does not moderate is not offered,
    and the whole filter is then ignored, as an invalid form is."""

    draft = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Draft"),
        queryset=_moderatable_drafts,
        empty_label=gettext_lazy("All drafts"),
    )
    state = django_filters.ChoiceFilter(
        label=gettext_lazy("State"),
        choices=QueueState.choices,
        empty_label=gettext_lazy("All states"),
        method="filter_state",
    )

    class Meta:
        model = Feedback
        fields = ["draft", "state"]

    def filter_state(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(QueueState.filters[value])


def _reason_field() -> forms.CharField:
    return forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Required to reject or remove: it is shown in place of the comment. "
            "Recorded with every decision."
        ),
    )


class ModerationReasonForm(forms.Form):
    """The reason given with a decision on the ticked comments (a bulk action). Whether one
    is needed is the service's rule, so its message is the one shown."""

    reason = _reason_field()


class ModerationForm(forms.Form):
    """A decision on one comment, taken from its moderation screen."""

    action = forms.ChoiceField(
        choices=ModerationAction.Action.choices,
        error_messages={
            "required": gettext_lazy("Choose what to do with the selected comments."),
            "invalid_choice": gettext_lazy("Unknown moderation action."),
        },
    )
    reason = _reason_field()
