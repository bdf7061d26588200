"""The staff search's filters as a Wagtail filterset, so the listing shows them in Wagtail's
filter menu with their active filters.

The search engine filters, not a queryset: each filter stands for a field of
`search.forms.StaffSearchForm`, which validates the parameters and turns them into a
`FeedbackQuery`; `filter_queryset` leaves a queryset as it is.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import QuerySet
from wagtail.admin.active_filters import BaseFilterAdapter, register_filter_adapter_class
from wagtail.admin.filters import WagtailFilterSet
from wagtail.utils.utils import flatten_choices

from consult.feedback.models import Feedback
from drafts.models import DraftPage
from search.forms import StaffSearchForm


class FormFieldFilter(django_filters.Filter):
    """A filter whose field is a field of the search form; the search backend applies it."""

    def __init__(self, form_field: forms.Field, **kwargs):
        super().__init__(label=form_field.label, **kwargs)
        self._field = form_field

    def filter(self, qs, value):
        return qs


class FormFieldFilterAdapter(BaseFilterAdapter):
    """An active filter as its option's label (the draft's title, the stance's name…)."""

    def get_active_filters(self):
        field = self.bound_field.field
        if isinstance(field, forms.ModelChoiceField):
            shown = field.label_from_instance(self.value)
        else:
            choices = flatten_choices(getattr(field.widget, "choices", None) or [])
            raw = self.bound_field.value()
            if raw in (None, ""):
                return  # nothing chosen: no chip (not "None")
            shown = choices.get(str(raw), str(raw))
        for active in super().get_active_filters():
            yield active._replace(value=shown)


register_filter_adapter_class(FormFieldFilter, FormFieldFilterAdapter)


class StaffSearchFilterSet(WagtailFilterSet):
    """The filters of the staff search: StaffSearchForm's fields, with the drafts the user
    answers as the draft filter's choices."""

    class Meta:
        model = Feedback
        fields = []

    def __init__(
        self,
        data=None,
        queryset=None,
        *,
        request=None,
        prefix=None,
        drafts: QuerySet[DraftPage] | None = None,
    ):
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.drafts = drafts if drafts is not None else DraftPage.objects.none()
        self.filters = {name: FormFieldFilter(field) for name, field in self.form.fields.items()}

    def get_form_class(self):
        return StaffSearchForm

    @property
    def form(self) -> StaffSearchForm:
        if not hasattr(self, "_form"):
            data = self.data if self.is_bound else None
            self._form = StaffSearchForm(data, prefix=self.form_prefix, drafts=self.drafts)
        return self._form

    def filter_queryset(self, queryset):
        return queryset
