"""The inbox's filters: a Wagtail filterset over one draft's comments.

The filterset validates what the URL asks for and turns it into `InboxFilters`; the
narrowing itself is the selector's (consult.answers.selectors.inbox_filter), which also
serves "answer everything the filters select". A filter whose value is not valid is shown
with its error and not applied; the others still are.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import WagtailFilterSet

from consult.answers import selectors as inbox
from consult.answers.selectors import AnswerState, InboxFilters, InboxSort
from consult.feedback.models import Feedback, RespondentType, Stance
from consult.feedback.provinces import PROVINCES
from drafts.models import DraftPage

MAX_IDS = 10_000  # comments a campaign link may name
TEXT_FILTER_MAX_LENGTH = 200


class InboxFilterForm(forms.Form):
    """The filterset's form: checks the provision against the draft and the campaign ids."""

    draft: DraftPage

    def clean_provision(self):
        value = self.cleaned_data["provision"]
        self.resolved_provision = inbox.provision_resolve(self.draft, value)
        if value and self.resolved_provision is None:
            raise ValidationError(_("This draft has no such provision."))
        return value

    def clean_ids(self) -> tuple[int, ...]:
        raw = [part.strip() for part in self.cleaned_data["ids"].split(",") if part.strip()]
        if not all(part.isdigit() for part in raw) or len(raw) > MAX_IDS:
            raise ValidationError(
                _("The list of comments is not valid (at most %(n)d numbers, comma-separated).")
                % {"n": MAX_IDS}
            )
        return tuple(int(part) for part in raw)


class InboxFilterSet(WagtailFilterSet):
    """A draft's comments by provision (with everything under it), stance, respondent,
    province, answer state, text, and a campaign's ids (`?ids=1,2,3` from the search);
    `sort` orders them."""

    provision = django_filters.CharFilter(label=gettext_lazy("Provision"), widget=forms.Select)
    stance = django_filters.ChoiceFilter(
        label=gettext_lazy("Stance"),
        choices=Stance.choices,
        empty_label=gettext_lazy("All stances"),
    )
    respondent_type = django_filters.ChoiceFilter(
        label=gettext_lazy("Respondent"),
        choices=RespondentType.choices,
        empty_label=gettext_lazy("All respondents"),
    )
    province = django_filters.ChoiceFilter(
        label=gettext_lazy("Province"),
        choices=PROVINCES,
        empty_label=gettext_lazy("All provinces"),
    )
    answered = django_filters.ChoiceFilter(
        label=gettext_lazy("Answer"),
        choices=AnswerState.choices,
        empty_label=gettext_lazy("Answered or not"),
    )
    text = django_filters.CharFilter(
        label=gettext_lazy("Text contains"), max_length=TEXT_FILTER_MAX_LENGTH
    )
    sort = django_filters.ChoiceFilter(
        label=gettext_lazy("Order"), choices=InboxSort.choices, empty_label=None
    )
    ids = django_filters.CharFilter(
        label=gettext_lazy("Only these comments"),
        widget=forms.HiddenInput,
        help_text="Comma-separated ids, e.g. a campaign of identical comments from the search.",
    )

    class Meta:
        model = Feedback
        fields: list[str] = []
        form = InboxFilterForm

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, draft, counts):
        """`draft` is the inbox's; `counts` (selectors.draft_answer_counts) label the
        answer states."""
        self.draft = draft
        if data is not None:
            data = data.copy()
            resolved = inbox.provision_resolve(draft, data.get("provision", ""))
            if resolved is not None and resolved != inbox.WHOLE_DRAFT:
                data["provision"] = resolved.anchor  # an id in the URL selects its anchor
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.filters["provision"].field.widget.choices = [
            ("", _("All provisions")),
            (inbox.WHOLE_DRAFT, _("The draft as a whole")),
            *inbox.provision_options(draft),
        ]
        self.filters["answered"].extra["choices"] = [
            (value, f"{label} ({counts[value]})") for value, label in AnswerState.choices
        ]

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            form.draft = self.draft
            form.resolved_provision = None
        return self._form

    def inbox_filters(self) -> InboxFilters:
        """The valid filters; an invalid one is shown with its error and not applied."""
        self.form.is_valid()
        data = self.form.cleaned_data
        return InboxFilters(
            provision=self.form.resolved_provision if "provision" in data else None,
            stance=data.get("stance") or "",
            respondent_type=data.get("respondent_type") or "",
            province=data.get("province") or "",
            answered=data.get("answered") or "",
            text=data.get("text") or "",
            ids=data.get("ids") or (),
            sort=data.get("sort") or InboxSort.NEWEST,
        )

    def filter_queryset(self, queryset):
        return inbox.inbox_filter(queryset, self.inbox_filters())
