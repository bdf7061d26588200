"""Forms of the answers: the author's satisfaction, and the admin's decision on comments."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from consult.answers.models import Decision
from consult.feedback.forms import FeedbackIdsField

REASON_MAX_LENGTH = 10000


class SatisfactionForm(forms.Form):
    """Whether the answer to one's comment satisfied one, with an optional note."""

    satisfied = forms.ChoiceField(
        label=gettext_lazy("Did the answer satisfy you?"),
        choices=[
            ("yes", gettext_lazy("Yes, it satisfied me")),
            ("no", gettext_lazy("No, it did not")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=gettext_lazy("Note (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DecisionForm(forms.Form):
    """An answer's decision and its reason, as written or changed."""

    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=Decision.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose a decision."),
            "invalid_choice": gettext_lazy("Choose a decision."),
        },
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Required for a partly accepted or not accepted comment; published with the answer."
        ),
    )

    def __init__(self, *args, resulting_choices=None, **kwargs):
        """`resulting_choices`: the grouped choices of the provisions of later versions
        (consult.answers.traces.later_choices); without them the field is left out, as
        when the draft has no later version."""
        super().__init__(*args, **kwargs)
        if resulting_choices:
            self.fields["resulting_provisions"] = forms.TypedMultipleChoiceField(
                label=gettext_lazy("Accepted at (provisions of a later draft version)"),
                choices=resulting_choices,
                coerce=int,
                required=False,
                widget=forms.SelectMultiple(attrs={"size": 10, "data-resulting-provisions": ""}),
                help_text=gettext_lazy(
                    "For an accepted or partly accepted comment: the provisions of a later "
                    "version that carry the change. Hold Ctrl (⌘ on a Mac) to choose several; "
                    "type to jump to a provision."
                ),
                error_messages={
                    "invalid_choice": gettext_lazy(
                        "Choose provisions of a later version of this draft that are still in "
                        "its text."
                    )
                },
            )
            self.order_fields(self.field_order or ["decision", "reason", "resulting_provisions"])


class BulkAnswerForm(DecisionForm):
    """The decision on many comments at once, published now or later."""

    publish = forms.BooleanField(
        label=gettext_lazy("Publish now (the authors are told by e-mail)"), required=False
    )


class AnswerForm(BulkAnswerForm):
    """The inbox's answer to the ticked comments, or to everything the filters select."""

    feedback = FeedbackIdsField(required=False)
    everything = forms.BooleanField(
        label=gettext_lazy(
            "Answer every comment the filters select, on all pages (not only the ticked ones)"
        ),
        required=False,
    )

    field_order = [
        "decision", "reason", "resulting_provisions", "feedback", "everything", "publish",
    ]  # fmt: skip

    def clean(self):
        data = super().clean()
        if not data.get("feedback") and not data.get("everything"):
            raise ValidationError(_("Select at least one comment to answer."))
        return data


class ResponseActionForm(forms.Form):
    """Publish or delete the ticked answers."""

    PUBLISH, DELETE = "publish", "delete"

    action = forms.ChoiceField(
        choices=[(PUBLISH, PUBLISH), (DELETE, DELETE)],
        error_messages={"required": gettext_lazy("Choose what to do with the selected answers.")},
    )
    response = FeedbackIdsField(
        error_messages={
            "required": gettext_lazy("Select at least one answer."),
            "invalid": gettext_lazy("The selection of answers is not valid."),
        }
    )
