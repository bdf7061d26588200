"""Forms that read search parameters (the public page, the JSON API, the staff search) and
turn them into a `FeedbackQuery`. Whatever the parameters, the caller decides visibility."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import AdminDateInput

from consult.answers.models import Decision
from consult.feedback.models import RespondentType, Stance
from consult.feedback.provinces import PROVINCES
from drafts import selectors
from drafts.models import DraftPage
from drafts.outline import TITLED_KINDS
from search.interface import MAX_PAGE_SIZE, PAGE_SIZE, FeedbackQuery

# Elasticsearch answers at most 10,000 hits by page number; deeper pages go by cursor.
MAX_PAGE = 10_000 // MAX_PAGE_SIZE
ANSWERED = {"yes": True, "true": True, "1": True, "no": False, "false": False, "0": False}
ANSWERED_CHOICES = [("", _("Answered or not")), ("yes", _("Answered")), ("no", _("Not answered"))]
SORT_CHOICES = [
    ("relevance", _("Most relevant")),
    ("-date", _("Newest first")),
    ("date", _("Oldest first")),
    ("endorsements", _("Most endorsed")),
]
MICROSECOND = timedelta(microseconds=1)

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


def provision_choices(draft: DraftPage) -> list[tuple[str, str]]:
    """Headings and articles of the draft's current version, for the provision filter."""
    return selectors.provision_choices(draft, kinds=TITLED_KINDS, indent="\u2003")


def provision_path(drafts: Sequence[DraftPage], value: str) -> str | None:
    """The path of the provision named by an anchor ("dieu-5") or a path ("chuong-2/dieu-5")
    in one of these drafts, the current version's first; None if there is none."""
    lookup = {"path": value} if "/" in value else {"anchor": value}
    for draft in drafts:
        rows = selectors.provision_lookup(draft, **lookup, any_version=True)
        if row := rows.values_list("path", flat=True).first():
            return row
    return None


def search_terms(*, text: str, sort: str, page: int | None, after: str, page_size: int) -> dict:
    """The FeedbackQuery arguments of the words, the order and the page: relevance only with
    words (newest first otherwise, and by default); a cursor starts from its own page."""
    text = text.strip()
    sort = sort or ("relevance" if text else "-date")
    if sort == "relevance" and not text:
        sort = "-date"
    return {
        "text": text,
        "sort": sort,
        "page": 1 if after else (page or 1),
        "page_size": page_size,
        "after": after,
    }


class ResultsPageForm(forms.Form):
    """Which page of results: by number for the first pages, by the cursor `after` beyond."""

    page = forms.IntegerField(min_value=1, max_value=MAX_PAGE, required=False)
    after = forms.CharField(max_length=1000, required=False)


class FeedbackSearchForm(ResultsPageForm):
    """What a reader of one consultation can search by."""

    q = forms.CharField(label=_("Search the feedback"), max_length=200, required=False)
    provision = forms.CharField(label=_("Provision"), max_length=1024, required=False)
    stance = forms.ChoiceField(
        label=_("Stance"), choices=[("", _("Any stance")), *Stance.choices], required=False
    )
    respondent_type = forms.ChoiceField(
        label=_("Respondent"),
        choices=[("", _("Any respondent")), *RespondentType.choices],
        required=False,
    )
    province = forms.ChoiceField(
        label=_("Province or city"), choices=[("", _("Anywhere")), *PROVINCES], required=False
    )
    answered = forms.CharField(label=_("Answer"), required=False)
    sort = forms.ChoiceField(label=_("Order"), choices=SORT_CHOICES, required=False)

    page_size = PAGE_SIZE

    def __init__(self, *args, draft: DraftPage | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.draft = draft

    def selected_drafts(self) -> list[DraftPage]:
        return [self.draft] if self.draft is not None else []

    def clean_answered(self) -> bool | None:
        value = self.cleaned_data["answered"].strip().lower()
        if not value:
            return None
        if value not in ANSWERED:
            raise ValidationError(_("Answered is yes or no."), code="invalid")
        return ANSWERED[value]

    def clean(self):
        cleaned = super().clean()
        anchor = (cleaned.get("provision") or "").strip().strip("/")
        cleaned["provision_path"] = ""
        if anchor and not self.errors:
            drafts = self.selected_drafts()
            if not drafts:
                self.add_error("provision", _("Choose a draft to filter by provision."))
            elif (path := provision_path(drafts, anchor)) is None:
                self.add_error("provision", _("This draft has no such provision."))
            else:
                cleaned["provision_path"] = path
        return cleaned

    def filters(self) -> dict:
        """The FeedbackQuery arguments the form's fields give."""
        data = self.cleaned_data
        return {
            **self.narrowing(),
            **search_terms(
                text=data.get("q", ""),
                sort=data.get("sort", ""),
                page=data.get("page"),
                after=data.get("after", ""),
                page_size=self.page_size,
            ),
        }

    def narrowing(self) -> dict:
        """The FeedbackQuery arguments that narrow the results: provision, stance, who, answer."""
        data = self.cleaned_data
        return {
            "provision_path": data.get("provision_path", ""),
            "stances": [data["stance"]] if data.get("stance") else [],
            "respondent_types": [data["respondent_type"]] if data.get("respondent_type") else [],
            "provinces": [data["province"]] if data.get("province") else [],
            "answered": data.get("answered"),
        }

    def query(self, *, public: bool, draft_ids: Sequence[int], **extra) -> FeedbackQuery:
        return FeedbackQuery(
            public=public, draft_ids=tuple(draft_ids), **{**self.filters(), **extra}
        )


class ApiSearchForm(FeedbackSearchForm):
    """The JSON API's parameters: the draft is a parameter, the page size may be asked for."""

    draft = forms.IntegerField(min_value=1, required=False)
    page_size = forms.IntegerField(min_value=1, required=False)

    def clean_draft(self) -> DraftPage | None:
        pk = self.cleaned_data.get("draft")
        if pk is None:
            return None
        draft = DraftPage.objects.live().defer_streamfields().filter(pk=pk).first()
        if draft is None:
            raise ValidationError(_("There is no published draft with this id."), code="invalid")
        return draft

    def clean_page_size(self) -> int:
        return min(self.cleaned_data.get("page_size") or PAGE_SIZE, MAX_PAGE_SIZE)

    def selected_drafts(self) -> list[DraftPage]:
        draft = self.cleaned_data.get("draft")
        return [draft] if draft is not None else []

    def filters(self) -> dict:
        return {**super().filters(), "page_size": self.cleaned_data["page_size"]}


class CountedSelect(forms.Select):
    """A select that shows, beside each option, how many results it would give (`counts`,
    set once the search has answered; None shows no count)."""

    counts: dict[str, int] | None = None

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        count = (self.counts or {}).get(str(value)) if value and self.counts is not None else None
        if count is not None:
            label = f"{label} ({count})"
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if count is not None:
            option["attrs"]["data-count"] = count
        return option


class StaffSearchForm(FeedbackSearchForm):
    """The drafters' search: across the consultations they answer, with answers and dates.

    Its fields are the filters of the staff search listing (search.filters): the words and
    the page come from the listing's search box and pager, so `filters()` takes them."""

    q = None
    page = None
    after = None
    draft = forms.ModelChoiceField(
        label=_("Draft"), queryset=DraftPage.objects.none(), required=False,
        empty_label=_("All my consultations"),
    )  # fmt: skip
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("", _("Any decision")), *Decision.choices], required=False
    )
    # The picker writes 2026-11-24; a person typing writes the Vietnamese 24/11/2026.
    created_from = forms.DateField(
        label=_("From"), required=False, widget=AdminDateInput, input_formats=DATE_INPUT_FORMATS
    )
    created_to = forms.DateField(
        label=_("Until"), required=False, widget=AdminDateInput, input_formats=DATE_INPUT_FORMATS
    )

    field_order = [
        "draft", "provision", "stance", "respondent_type", "province", "answered", "decision",
        "created_from", "created_to", "sort",
    ]  # fmt: skip
    counted = ("provision", "stance", "respondent_type", "province", "answered", "decision")

    def __init__(self, *args, drafts: QuerySet[DraftPage] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if drafts is not None:
            self.fields["draft"].queryset = drafts
        self.fields["sort"].initial = SORT_CHOICES[0][0]  # the order a search starts in
        self.fields["provision"].widget = CountedSelect(choices=[("", _("The whole draft"))])
        self.fields["answered"].widget = CountedSelect(choices=ANSWERED_CHOICES)
        for name in self.counted:
            if not isinstance(self.fields[name].widget, CountedSelect):
                self.fields[name].widget = CountedSelect(choices=self.fields[name].choices)

    def selected_drafts(self) -> list[DraftPage]:
        draft = self.cleaned_data.get("draft")
        return [draft] if draft is not None else []

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("created_from"), cleaned.get("created_to")
        if start and end and end < start:
            self.add_error("created_to", _("The end date is before the start date."))
        return cleaned

    def narrowing(self) -> dict:
        data = self.cleaned_data
        start, end = data.get("created_from"), data.get("created_to")
        return {
            **super().narrowing(),
            "decisions": [data["decision"]] if data.get("decision") else [],
            "created_from": _day_start(start) if start else None,
            "created_to": _day_start(end + timedelta(days=1)) - MICROSECOND if end else None,
        }

    def filters(self, *, text: str = "", page: int | None = None, after: str = "") -> dict:
        return {
            **self.narrowing(),
            **search_terms(
                text=text,
                sort=self.cleaned_data.get("sort", ""),
                page=page,
                after=after,
                page_size=self.page_size,
            ),
        }


def _day_start(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))
