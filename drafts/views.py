"""Views of the drafts app: the print view of an article, a sub-route of the public draft
page (registered in drafts/wagtail_hooks.py), and the admin's import of a draft's text."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.models import Page

from drafts import selectors
from drafts.forms import DraftImportForm
from drafts.importing import ImportFailed, parse_upload
from drafts.models import ConsultationIndexPage, DraftPage
from drafts.permissions import agency_policy
from drafts.revising import last_published_version, revised_text_import
from drafts.services import draft_create

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
            if not problems:
                if target is not None:
                    _, kept = revised_text_import(
                        page=target,
                        body=result.body,
                        user=request.user,
                        next_version=form.next_version,
                    )
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
        # Shown again after an error: the chosen file stays for the next submit.
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
