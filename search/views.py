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

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from consult.answers.models import Decision
from consult.answers.services import answerable_drafts
from consult.feedback.models import Feedback, RespondentType, Stance
from consult.feedback.provinces import PROVINCES
from drafts.models import DraftPage, Provision
from drafts.permissions import agency_policy
from search.forms import (
    ANSWERED_CHOICES,
    SORT_CHOICES,
    FeedbackSearchForm,
    StaffSearchForm,
    provision_choices,
)
from search.interface import Hit, InvalidQuery, SearchResult, get_backend
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


def hit_row(hit: Hit) -> dict:
    """What a result shows: the snippet (the backend's highlight is escaped HTML), labels."""
    snippet = hit.highlight or Truncator(hit.text).chars(SNIPPET_CHARS)
    return {
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


def pagination(request: HttpRequest, result: SearchResult, form) -> dict:
    """Numbered links for the first pages, "next" by the cursor after them."""
    params = request.GET.copy()
    for name in ("page", "after", "n"):
        params.pop(name, None)
    base = params.urlencode()
    data = form.cleaned_data if form.is_valid() else {}
    number = int(request.GET.get("n") or 0) if data.get("after") else (data.get("page") or 1)
    number = max(number, 1)
    page_size = form.filters()["page_size"] if form.is_valid() else 20
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
        "pagination": pagination(request, result, form),
    }
    return TemplateResponse(request, "search/draft_search.html", context, status=status)


# The drafters' search in the Wagtail admin


def _answerable(request: HttpRequest):
    drafts = answerable_drafts(request.user)
    if not drafts.exists():
        raise PermissionDenied
    return drafts


def _admin_context(title: str, icon: str = "search", parent: dict | None = None) -> dict:
    crumbs = [{"url": reverse("wagtailadmin_home"), "label": _("Dashboard")}]
    if parent:
        crumbs.append(parent)
    crumbs.append({"url": "", "label": title})
    return {
        "page_title": title,
        "header_title": title,
        "header_icon": icon,
        "breadcrumbs_items": crumbs,
    }


def staff_search_view(request: HttpRequest) -> HttpResponse:
    """Search the feedback of every consultation the user answers (all, for administrators),
    published or not."""
    drafts = _answerable(request)
    form = StaffSearchForm(request.GET, drafts=drafts)
    result, status = SearchResult(count=0, hits=[]), 400
    selected = None
    if form.is_valid():
        selected = form.cleaned_data.get("draft")
        if selected is not None:
            draft_ids = [selected.pk]
        elif agency_policy.is_superuser(request.user):
            draft_ids = []  # every draft
        else:
            draft_ids = list(drafts.values_list("pk", flat=True))
        result, status = run_search(form, form.query(public=False, draft_ids=draft_ids))
    titles = dict(drafts.values_list("pk", "title")) if result.hits else {}
    rows = []
    for hit in result.hits:
        row = hit_row(hit)
        row["draft_title"] = titles.get(hit.draft_id, "")
        row["similar_url"] = reverse("search_feedback_similar", args=[hit.id])
        rows.append(row)
    title = _("Search feedback")
    return TemplateResponse(
        request,
        "search/admin/feedback_search.html",
        {
            **_admin_context(title),
            "form": form,
            "filters": filter_options(form, result.facets, draft=selected),
            "count": result.count,
            "rows": rows,
            "available": status != 503,
            "selected_draft": selected,
            "clusters_url": (
                reverse("search_feedback_clusters", args=[selected.pk]) if selected else ""
            ),
            "pagination": pagination(request, result, form),
        },
        status=status,
    )


def staff_similar_view(request: HttpRequest, feedback_id: int) -> HttpResponse:
    """Comments like one comment, within the consultations the user answers."""
    drafts = _answerable(request)
    feedback = Feedback.objects.filter(pk=feedback_id).values("pk", "comment", "draft_id").first()
    if feedback is None:
        raise Http404
    allowed = set(drafts.values_list("pk", flat=True))
    if feedback["draft_id"] not in allowed:
        raise PermissionDenied
    available = True
    try:
        hits = get_backend().similar(feedback_id, limit=20, public=False)
    except TRANSIENT as exc:
        logger.warning("search: the backend did not answer (%s: %s)", type(exc).__name__, exc)
        hits, available = [], False
    title = _("Comments like #%(id)s") % {"id": feedback_id}
    return TemplateResponse(
        request,
        "search/admin/similar.html",
        {
            **_admin_context(
                title, parent={"url": reverse("search_feedback"), "label": _("Search feedback")}
            ),
            "feedback": feedback,
            "rows": [hit_row(hit) for hit in hits if hit.draft_id in allowed],
            "available": available,
        },
        status=200 if available else 503,
    )


def staff_clusters_view(request: HttpRequest, draft_id: int) -> HttpResponse:
    """A draft's campaigns: groups of identical or near-identical comments, largest first,
    each with a link to answer its comments together in the response inbox."""
    draft = get_object_or_404(DraftPage.objects.defer_streamfields(), pk=draft_id)
    if not _answerable(request).filter(pk=draft.pk).exists():
        raise PermissionDenied
    available = True
    try:
        clusters = get_backend().clusters(draft_id=draft.pk)
    except TRANSIENT as exc:
        logger.warning("search: the backend did not answer (%s: %s)", type(exc).__name__, exc)
        clusters, available = [], False
    inbox = reverse("answers_admin:inbox", args=[draft.pk])
    rows = [
        {
            "representative_id": cluster.representative_id,
            "size": cluster.size,
            "sample": Truncator(cluster.sample_text).chars(SNIPPET_CHARS),
            "inbox_url": f"{inbox}?{urlencode({'ids': ','.join(map(str, cluster.feedback_ids))})}",
            "similar_url": reverse("search_feedback_similar", args=[cluster.representative_id]),
        }
        for cluster in clusters
    ]
    title = _("Campaigns on %(title)s") % {"title": draft.title}
    return TemplateResponse(
        request,
        "search/admin/clusters.html",
        {
            **_admin_context(
                title, parent={"url": reverse("search_feedback"), "label": _("Search feedback")}
            ),
            "draft": draft,
            "rows": rows,
            "available": available,
        },
        status=200 if available else 503,
    )
