"""Where people search feedback: each consultation's public search page, and the drafters'
search, similar comments and campaigns in the Wagtail admin.

The views read requests and shape what the templates show. Visibility is decided here once per
view and handed to the backend in the query: the public page always asks for public feedback
of its own draft; staff views ask only within `answerable_drafts(user)`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.generic import TemplateView
from wagtail.admin.forms.search import SearchForm
from wagtail.admin.views.generic import IndexView, WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from consult.answers.admin_views import AnswerableDraftsMixin
from consult.answers.models import Decision
from consult.feedback.models import Feedback, RespondentType, Stance
from consult.feedback.provinces import PROVINCES
from drafts.models import DraftPage, Provision
from drafts.permissions import agency_policy
from search.engines import get_backend
from search.filters import StaffSearchFilterSet
from search.forms import (
    ANSWERED_CHOICES,
    SORT_CHOICES,
    FeedbackSearchForm,
    ResultsPageForm,
    StaffSearchForm,
    provision_choices,
)
from search.interface import MATCH_FIELDS, FeedbackQuery, Hit, InvalidQuery, SearchResult
from search.tasks import TRANSIENT

logger = logging.getLogger(__name__)

NUMBERED_PAGES = 5
SNIPPET_CHARS = 300
LABELS = {
    "stance": dict(Stance.choices),
    "respondent_type": dict(RespondentType.choices),
    "province": dict(PROVINCES),
    "decision": dict(Decision.choices),
}


# Shaping results


def match_rows(hit: Hit) -> list[dict]:
    """Why `hit` was found: for each field the query's words are in, in MATCH_FIELDS order,
    {"field", "label" ("Matched in: Proposed wording"), "excerpt"}; the excerpt is the
    field's highlighted snippet (escaped HTML from the backend), empty for the comment
    itself, whose snippet the result shows anyway."""
    names = {"text": pgettext("matched field", "Comment"),
             "proposed_wording": pgettext("matched field", "Proposed wording")}  # fmt: skip
    return [
        {
            "field": name,
            "label": _("Matched in: %(field)s") % {"field": names[name]},
            "excerpt": mark_safe(hit.highlights[name]) if name != "text" else "",
        }
        for name in MATCH_FIELDS
        if hit.highlights.get(name)
    ]


def hit_row(hit: Hit) -> dict:
    """What a result shows: the snippet (the backend's highlight is escaped HTML), labels,
    and the fields it matched in (`match_rows`)."""
    snippet = hit.highlight or Truncator(hit.text).chars(SNIPPET_CHARS)
    return {
        "matches": match_rows(hit),
        "id": hit.id,
        "url": reverse("feedback:feedback", args=[hit.id]),
        "snippet": mark_safe(hit.highlight) if hit.highlight else snippet,
        "provision_label": hit.provision_label,
        "stance": hit.stance,
        "stance_label": LABELS["stance"].get(hit.stance, ""),
        "respondent_label": LABELS["respondent_type"].get(hit.respondent_type, ""),
        "province_label": LABELS["province"].get(hit.province, ""),
        "created": hit.created,
        "endorsements": hit.endorsements,
        "answered": hit.answered,
        "decision_label": LABELS["decision"].get(hit.decision, ""),
        "draft_id": hit.draft_id,
    }


def answered_counts(facets: dict) -> dict[str, int]:
    """The answered facet keyed by the form's values ("yes"/"no")."""
    counts: dict[str, int] = {}
    for key, count in facets.get("answered", {}).items():
        value = "yes" if str(key).lower() in ("true", "1", "yes") else "no"
        counts[value] = counts.get(value, 0) + count
    return counts


def provision_counts(facets: dict, draft: DraftPage) -> dict[str, int]:
    """Comments under each provision of the draft (its subtree), keyed by anchor, from the
    provision facet (counts per provision key, the key a provision keeps across versions)."""
    per_key = facets.get("provision", {})
    if not per_key:
        return {}
    paths = dict(
        Provision.objects.filter(
            version__page=draft, version__number=draft.version_number, key__in=list(per_key)
        ).values_list("key", "path")
    )
    counts: dict[str, int] = {}
    for key, path in paths.items():
        for anchor in path.split("/"):
            counts[anchor] = counts.get(anchor, 0) + per_key.get(str(key), 0)
    return counts


@dataclass
class Filter:
    """One filter of the form as a select with the count of results beside each option."""

    name: str
    label: str
    options: list[dict]
    errors: list[str]


def filter_options(form, facets: dict, *, draft: DraftPage | None = None) -> list[Filter]:
    data = form.data
    choices = {
        "stance": form.fields["stance"].choices,
        "respondent_type": form.fields["respondent_type"].choices,
        "province": form.fields["province"].choices,
        "answered": ANSWERED_CHOICES,
    }
    counts = {name: facets.get(name, {}) for name in ("stance", "respondent_type", "province")}
    counts["answered"] = answered_counts(facets)
    if "decision" in form.fields:
        choices["decision"] = form.fields["decision"].choices
        counts["decision"] = facets.get("decision", {})
    if draft is not None:
        options = [("", _("The whole draft")), *provision_choices(draft)]
        counts["provision"] = provision_counts(facets, draft)
        choices = {"provision": options, **choices}
    counted = bool(facets)
    return [
        Filter(
            name=name,
            label=str(form.fields[name].label),
            options=_options(name, options, counts[name] if counted else None, data.get(name, "")),
            errors=form.errors.get(name, []),
        )
        for name, options in choices.items()
    ]


def _options(name, options, counts, selected) -> list[dict]:
    return [
        {
            "value": value,
            "label": text,
            "count": counts.get(value, 0) if value and counts is not None else None,
            "selected": value == selected,
        }
        for value, text in options
        # Provinces nobody wrote from would make a list of 34 mostly empty options.
        if not (
            name == "province" and value and counts and not counts.get(value) and value != selected
        )
    ]


def pagination(
    request: HttpRequest, result: SearchResult, *, page: int, after: str, page_size: int
) -> dict:
    """Numbered links for the first pages, "next" by the cursor after them."""
    params = request.GET.copy()
    for name in ("page", "after", "n"):
        params.pop(name, None)
    base = params.urlencode()
    number = int(request.GET.get("n") or 0) if after else page
    number = max(number, 1)
    last = max(1, -(-result.count // page_size))

    def link(**extra) -> str:
        return "?" + "&".join(part for part in (base, urlencode(extra)) if part)

    pages = [
        {"number": n, "url": link(page=n), "current": n == number}
        for n in range(1, min(last, NUMBERED_PAGES) + 1)
    ]
    following = ""
    if number < last:
        if number < NUMBERED_PAGES or not result.next_cursor:
            following = link(page=number + 1)
        else:
            following = link(after=result.next_cursor, n=number + 1)
    return {"pages": pages if last > 1 else [], "number": number, "last": last, "next": following}


def run_search(form, query) -> tuple[SearchResult, int]:
    """The backend's answer and the status to send: 400 (with a form error) for a query the
    engine refuses, 503 when the engine does not answer."""
    try:
        return get_backend().search(query), 200
    except InvalidQuery as exc:
        form.add_error(None, str(exc))
        return SearchResult(count=0, hits=[]), 400
    except TRANSIENT as exc:
        logger.warning("search: the backend did not answer (%s: %s)", type(exc).__name__, exc)
        return SearchResult(count=0, hits=[]), 503


# The public search page of a consultation


def draft_search(request: HttpRequest, draft: DraftPage) -> HttpResponse:
    """Search one consultation's published feedback: words, filters with counts, pages."""
    form = FeedbackSearchForm(request.GET, draft=draft)
    result, status = SearchResult(count=0, hits=[]), 400
    if form.is_valid():
        result, status = run_search(form, form.query(public=True, draft_ids=[draft.pk]))
    context = {
        "page": draft,
        "draft": draft,
        "form": form,
        "filters": filter_options(form, result.facets, draft=draft),
        "sort_choices": SORT_CHOICES,
        "sort": form.filters()["sort"] if form.is_valid() else "",
        "count": result.count,
        "rows": [hit_row(hit) for hit in result.hits],
        "available": status != 503,
        "searched": bool(request.GET),
        "pagination": pagination(request, result, **_page_of(form)),
    }
    return TemplateResponse(request, "search/draft_search.html", context, status=status)


def _page_of(form: FeedbackSearchForm) -> dict:
    data = form.cleaned_data if form.is_valid() else {}
    return {
        "page": data.get("page") or 1,
        "after": data.get("after", ""),
        "page_size": form.page_size,
    }


# The drafters' search in the Wagtail admin (search.viewsets.feedback_search_viewset)


class StaffTextForm(SearchForm):
    """The listing's search box: the words searched for, as long as the public page allows."""

    q = forms.CharField(label=gettext_lazy("Search the feedback"), max_length=200, required=False)


class FeedbackSearchView(AnswerableDraftsMixin, IndexView):
    """Search the feedback of every consultation the user answers (all, for administrators),
    published or not: words in the search box, StaffSearchForm's filters in the filter menu
    with the count of results beside each option, pages by number then by cursor."""

    require_drafts = True
    page_title = gettext_lazy("Search feedback")
    results_template_name = "search/admin/feedback_search_results.html"
    filterset_class = StaffSearchFilterSet
    is_searchable = True
    paginate_by = None
    clusters_url_name = None

    def get_search_form(self):
        return StaffTextForm(self.request.GET, placeholder=_("Search the feedback"))

    def get_filterset_kwargs(self):
        return {**super().get_filterset_kwargs(), "drafts": self.drafts}

    @cached_property
    def search_query(self):
        return self.search_form.cleaned_data["q"] if self.search_form.is_valid() else ""

    def get_queryset(self):
        """The hits of the page asked for, shaped for the template (`run_search`'s status is
        kept for the response)."""
        form, pager = self.filters.form, ResultsPageForm(self.request.GET)
        self.page = {"page": 1, "after": "", "page_size": form.page_size}
        self.result, self.status = SearchResult(count=0, hits=[]), 400
        self.selected = None
        valid = [form.is_valid(), pager.is_valid(), self.search_form.is_valid()]
        if not all(valid):
            return []
        self.page.update(page=pager.cleaned_data["page"] or 1, after=pager.cleaned_data["after"])
        self.selected = form.cleaned_data.get("draft")
        if self.selected is not None:
            draft_ids = [self.selected.pk]
        elif agency_policy.is_superuser(self.request.user):
            draft_ids = []  # every draft
        else:
            draft_ids = list(self.drafts.values_list("pk", flat=True))
        query = FeedbackQuery(
            public=False,
            draft_ids=tuple(draft_ids),
            **form.filters(
                text=self.search_query, page=self.page["page"], after=self.page["after"]
            ),
        )
        self.result, self.status = run_search(form, query)
        titles = dict(self.drafts.values_list("pk", "title")) if self.result.hits else {}
        return [
            {**hit_row(hit), "draft_title": titles.get(hit.draft_id, "")}
            for hit in self.result.hits
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = self.filters.form
        _show_counts(form, self.result.facets, draft=self.selected)
        context.update(
            form=form,
            items_count=self.result.count,
            available=self.status != 503,
            clusters_url=(
                reverse(self.clusters_url_name, args=[self.selected.pk]) if self.selected else ""
            ),
            pagination=pagination(self.request, self.result, **self.page),
        )
        return context

    def render_to_response(self, context, **response_kwargs):
        return super().render_to_response(context, status=self.status, **response_kwargs)


def _show_counts(form: StaffSearchForm, facets: dict, *, draft: DraftPage | None) -> None:
    """Put the count of results beside each option of the filter menu's selects; the provision
    select lists the chosen draft's headings and articles."""
    for option_filter in filter_options(form, facets, draft=draft):
        widget = form.fields[option_filter.name].widget
        widget.choices = [(option["value"], option["label"]) for option in option_filter.options]
        if facets:
            widget.counts = {o["value"]: o["count"] for o in option_filter.options if o["value"]}


def _answered_by_backend(call) -> tuple[list, bool]:
    """What the backend answers, and whether it did (an empty list when it did not)."""
    try:
        return call(), True
    except TRANSIENT as exc:
        logger.warning("search: the backend did not answer (%s: %s)", type(exc).__name__, exc)
        return [], False


class SimilarFeedbackView(
    AnswerableDraftsMixin, PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView
):
    """Comments like one comment, within the consultations the user answers."""

    require_drafts = True
    template_name = "search/admin/similar.html"
    index_url_name = None

    def get(self, request, *args, **kwargs):
        feedback_id = kwargs["feedback_id"]
        feedback = (
            Feedback.objects.filter(pk=feedback_id).values("pk", "comment", "draft_id").first()
        )
        if feedback is None:
            raise Http404
        allowed = set(self.drafts.values_list("pk", flat=True))
        if feedback["draft_id"] not in allowed:
            raise PermissionDenied
        hits, available = _answered_by_backend(
            lambda: get_backend().similar(feedback_id, limit=20, public=False)
        )
        self.page_title = _("Comments like #%(id)s") % {"id": feedback_id}
        context = self.get_context_data(
            feedback=feedback,
            rows=[hit_row(hit) for hit in hits if hit.draft_id in allowed],
            available=available,
        )
        return self.render_to_response(context, status=200 if available else 503)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": _("Search feedback")},
            {"url": "", "label": self.get_page_title()},
        ]


class DraftCampaignsView(SimilarFeedbackView):
    """A draft's campaigns: groups of identical or near-identical comments, largest first,
    each with a link to answer its comments together in the response inbox."""

    template_name = "search/admin/clusters.html"

    def get(self, request, *args, **kwargs):
        draft = get_object_or_404(DraftPage.objects.defer_streamfields(), pk=kwargs["draft_id"])
        if not self.drafts.filter(pk=draft.pk).exists():
            raise PermissionDenied
        clusters, available = _answered_by_backend(
            lambda: get_backend().clusters(draft_id=draft.pk)
        )
        inbox = reverse("answers_admin:inbox", args=[draft.pk])
        rows = [
            {
                "representative_id": cluster.representative_id,
                "size": cluster.size,
                "sample": Truncator(cluster.sample_text).chars(SNIPPET_CHARS),
                "inbox_url": f"{inbox}?"
                + urlencode({"ids": ",".join(map(str, cluster.feedback_ids))}),
            }
            for cluster in clusters
        ]
        self.page_title = _("Campaigns on %(title)s") % {"title": draft.title}
        context = self.get_context_data(draft=draft, rows=rows, available=available)
        return self.render_to_response(context, status=200 if available else 503)
