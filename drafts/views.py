"""Views of the drafts app: the sub-routes of the public draft page (registered in
drafts/wagtail_hooks.py: the print view of an article, an earlier version's text, the
comparison of two versions) and the admin's import of a draft's text."""

import re

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import Page

from drafts import comparison, selectors
from drafts.forms import DraftImportForm
from drafts.hooks import version_comparison_traces
from drafts.importing import ImportFailed, parse_upload
from drafts.models import ConsultationIndexPage, DraftPage
from drafts.permissions import agency_policy
from drafts.revising import last_published_version, revised_text_import
from drafts.services import draft_create
from drafts.templatetags.version_diff import comparison_html

MAX_WARNINGS_SHOWN = 50


def print_article(request, page: DraftPage, anchor: str):
    """One article alone, laid out for printing or saving as PDF."""
    article = selectors.draft_article(page=page, anchor=anchor)
    if article is None:
        raise Http404
    context = page.get_context(request)
    context.update(article)
    context["permalink"] = request.build_absolute_uri(f"{page.url}#{anchor}")
    return TemplateResponse(request, "drafts/article_print.html", context)


def version_reading(request, page: DraftPage, number: int):
    """The text of an earlier version (Dự thảo N), readable at its own URL for good; the
    current version's number leads to the draft page itself, an unknown one is 404."""
    if number == page.version_number:
        return redirect(page.url)
    context = page.get_context(request)
    reading = selectors.version_reading(page=page, number=number)
    if reading is None:
        raise Http404
    context.update(reading)
    return TemplateResponse(request, "drafts/version_page.html", context)


def version_comparison_choose(request, page: DraftPage):
    """The form that picks two versions (GET `a`, `b`), sent to their comparison's own URL,
    the older first; works without JavaScript."""
    versions = selectors.draft_versions(page)
    numbers = {row["number"] for row in versions}
    error = ""
    if "a" in request.GET or "b" in request.GET:
        a, b = _number(request.GET.get("a")), _number(request.GET.get("b"))
        if a in numbers and b in numbers and a != b:
            return redirect(_comparison_url(page, min(a, b), max(a, b)))
        error = _("Choose two different versions of this draft.")
    if len(versions) < 2:
        raise Http404
    context = page.get_context(request)
    context.update(
        {
            "draft_versions": versions,
            "error": error,
            "chosen": (versions[-2]["number"], versions[-1]["number"]),
        }
    )
    return TemplateResponse(
        request, "drafts/version_compare_choose.html", context, status=400 if error else 200
    )


def _number(raw) -> int | None:
    return int(raw) if raw and str(raw).isdigit() else None


def _comparison_url(page: DraftPage, a: int, b: int) -> str:
    return f"{page.url}{page.reverse_subpage('version_comparison', args=[a, b])}"


TRACE_MARK = re.compile(r"<!--tr:([0-9a-f-]+)-->")
SHOW_ALL = "tat-ca"


def version_comparison(request, page: DraftPage, a: int, b: int):
    """Dự thảo `a` against Dự thảo `b` (a < b; the other order is sent to it), provision by
    provision, only what changed unless `?tat-ca=1`. The compared text is rendered once per
    publish of either version and cached; what each provision owes to the comments
    (drafts.hooks.version_comparison_traces) is filled in on every request."""
    if a > b:
        return redirect(_comparison_url(page, b, a) + _query(request))
    versions = comparison.compared_versions(page, a, b) if a != b else None
    if versions is None:
        raise Http404
    show_all = request.GET.get(SHOW_ALL) == "1"
    key = (
        f"version-comparison:{comparison.comparison_cache_key(*versions)}:"
        f"{int(show_all)}:{get_language()}"
    )
    cached = cache.get(key)
    if cached is None:
        compared = comparison.version_comparison(page, a, b, versions=versions)
        body = comparison_html(compared["groups"], show_all=show_all)
        cached = {"body": str(body), "counts": compared["counts"]}
        cache.set(key, cached, settings.DRAFT_TEXT_CACHE_SECONDS)
    old, new = versions
    traces = version_comparison_traces(page=page, old=old, new=new)
    context = page.get_context(request)
    context.update(
        {
            "old": old,
            "new": new,
            "counts": cached["counts"],
            "comparison_body": mark_safe(_fill_traces(cached["body"], traces)),
            "show_all": show_all,
            "draft_versions": selectors.draft_versions(page),
            "comparison_url": _comparison_url(page, a, b),
            "chooser_url": f"{page.url}{page.reverse_subpage('version_comparison_choose')}",
        }
    )
    return TemplateResponse(request, "drafts/version_comparison.html", context)


def _query(request) -> str:
    return f"?{request.GET.urlencode()}" if request.GET else ""


def _fill_traces(html: str, traces: dict[str, list[dict]]) -> str:
    """Put the list of comments a provision owes its change to where the text marks it."""
    if not traces:
        return TRACE_MARK.sub("", html)
    traces = {comparison.key_hex(key): found for key, found in traces.items()}

    def fill(match: re.Match) -> str:
        found = traces.get(match.group(1))
        if not found:
            return ""
        return render_to_string("drafts/includes/comparison_traces.html", {"traces": found})

    return TRACE_MARK.sub(fill, html)


def draft_import(request):
    """Build a new draft, or a new revision of an existing one, from a .docx, .txt or pasted text.

    Errors are shown with their line and nothing is written; warnings are shown on the result.
    A file chosen on a try that failed is kept for the next one (DraftImportForm.hold_upload).
    """
    target = None
    if page_id := request.GET.get("page") or request.POST.get("page"):
        if not str(page_id).isdigit():
            raise Http404
        target = get_object_or_404(DraftPage, pk=page_id)
        # The draft's tester asks the agency rule as well as Wagtail's page permissions.
        if not target.permissions_for_user(request.user).can_edit():
            raise PermissionDenied
        parent = target.get_parent()
    else:
        parent = ConsultationIndexPage.objects.first()
        if parent is None:
            messages.error(request, _("There is no consultation home page yet: create it first."))
            return redirect("wagtailadmin_home")
        if not parent.permissions_for_user(request.user).can_add_subpage():
            raise PermissionDenied

    published = last_published_version(target) if target is not None else None
    form = DraftImportForm(
        request.POST or None,
        request.FILES or None,
        agencies=agency_policy.agencies_for_user(request.user),
        user=request.user,
        target=target,
        published_number=published.number if published else None,
    )
    problems, warnings, counts = [], [], None
    if request.method == "POST" and form.is_valid():
        data, filename = form.source()
        try:
            result = parse_upload(data, filename)
        except ImportFailed as failure:
            problems = failure.errors
        else:
            problems, warnings, counts = result.errors, result.warnings, result.counts
            if not problems and not counts.get("articles"):
                warnings = []  # they would say the text was taken as headings and paragraphs
                problems = [
                    _(
                        "No article (“Điều 1. …”) was found in the text, so nothing was "
                        "imported. Check that this is the draft's text."
                    )
                ]
            if not problems:
                if target is not None:
                    kept = revised_text_import(
                        page=target,
                        body=result.body,
                        user=request.user,
                        next_version=form.next_version,
                    )[1]
                    page = target
                else:
                    page = draft_create(
                        parent=parent,
                        agency=form.cleaned_data["agency"],
                        title=form.cleaned_data["title"],
                        body=result.body,
                        document_type=form.cleaned_data["document_type"],
                        number=form.cleaned_data["number"],
                        opens_at=form.cleaned_data["opens_at"],
                        closes_at=form.cleaned_data["closes_at"],
                        user=request.user,
                    )
                form.release_held_upload()
                messages.success(
                    request,
                    _(
                        "Imported %(articles)d articles, %(clauses)d clauses and %(points)d "
                        "points. Check the text, then publish."
                    )
                    % counts,
                )
                if counts.get("alternatives"):
                    messages.info(
                        request,
                        _(
                            "The text offers %(alternatives)d alternatives (Phương án), each "
                            "a provision of its own."
                        )
                        % counts,
                    )
                for warning in warnings[:MAX_WARNINGS_SHOWN]:
                    messages.warning(request, str(warning))
                if len(warnings) > MAX_WARNINGS_SHOWN:
                    messages.warning(
                        request,
                        _("… and %(n)d more warnings.") % {"n": len(warnings) - MAX_WARNINGS_SHOWN},
                    )
                if published is not None:
                    messages.info(
                        request,
                        _(
                            "%(kept)d provisions were recognised as those of Dự thảo %(n)d "
                            "and keep their comments. Review the alignment, then publish."
                        )
                        % {"kept": kept, "n": published.number},
                    )
                    return redirect(reverse("drafts_admin:alignment", args=[page.pk]))
                return redirect(reverse("wagtailadmin_pages:edit", args=[page.pk]))

    if request.method == "POST":
        if problems:
            # The file itself was refused: keeping it would only stand in the way.
            form.drop_upload()
        else:
            # Shown again after an error elsewhere: the chosen file stays for the next submit.
            form.hold_upload()
    return TemplateResponse(
        request,
        "drafts/admin/import.html",
        {
            "form": form,
            "target": target,
            "parent": parent if isinstance(parent, Page) else None,
            "problems": problems,
            "warnings": warnings,
            "counts": counts,
            "page_title": _("Import the text of a draft") if target else _("Import a draft"),
            "page_subtitle": target.title if target else "",
            "header_title": _("Import a draft"),
            "header_icon": "upload",
            "breadcrumbs_items": [
                {"url": reverse("wagtailadmin_home"), "label": _("Dashboard")},
                {"url": "", "label": _("Import a draft")},
            ],
        },
    )
