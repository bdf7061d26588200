"""The alignment screen of the admin: the drafter checks which provision of the next text is
which provision of the last published version, corrects it, and publishes (drafts.revising)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from drafts.models import DraftPage
from drafts.revising import (
    AlignmentRefused,
    alignment_break,
    alignment_repoint,
    alignment_review,
    removed_with_comments,
)

SHOWN_WHEN_CHANGED_ONLY = frozenset(
    {"changed", "renumbered", "moved", "split", "merged", "new", "removed"}
)


@require_http_methods(["GET", "POST"])
def alignment(request, page_id: int):
    """GET: the pairs of the last published version and the latest revision, changed ones
    only unless `?tat-ca=1`. POST `action` = "break" (`key`), "repoint" (`key`, `old_key`)
    or "publish". Only the draft's editors (the agency rule) reach it; publishing asks the
    publish permission."""
    page = get_object_or_404(DraftPage, pk=page_id)
    permissions = page.permissions_for_user(request.user)
    if not permissions.can_edit():
        raise PermissionDenied
    here = reverse("drafts_admin:alignment", args=[page.pk])

    if request.method == "POST":
        action = request.POST.get("action")
        key = request.POST.get("key", "")
        try:
            if action == "break":
                alignment_break(page=page, key=key, user=request.user)
                messages.success(request, _("The provision is now a new one."))
            elif action == "repoint":
                alignment_repoint(
                    page=page, key=key, old_key=request.POST.get("old_key", ""), user=request.user
                )
                messages.success(request, _("The provision now carries the old one's comments."))
            elif action == "publish":
                return _publish(request, page, permissions)
            else:
                messages.error(request, _("Unknown action."))
        except AlignmentRefused as refusal:
            messages.error(request, str(refusal))
        return redirect(here)

    review = alignment_review(page)
    show_all = request.GET.get("tat-ca") == "1"
    rows = (
        review["rows"]
        if show_all
        else [row for row in review["rows"] if row.status in SHOWN_WHEN_CHANGED_ONLY]
    )
    return TemplateResponse(
        request,
        "drafts/admin/alignment.html",
        {
            **review,
            "page": page,
            "shown_rows": rows,
            "show_all": show_all,
            "can_publish": permissions.can_publish(),
            "page_title": _("Review the alignment"),
            "page_subtitle": page.title,
            "header_title": _("Review the alignment"),
            "header_icon": "list-ul",
            "breadcrumbs_items": [
                {"url": reverse("wagtailadmin_home"), "label": _("Dashboard")},
                {"url": reverse("wagtailadmin_pages:edit", args=[page.pk]), "label": page.title},
                {"url": "", "label": _("Review the alignment")},
            ],
        },
    )


def _publish(request, page: DraftPage, permissions):
    if not permissions.can_publish():
        raise PermissionDenied
    latest = page.get_latest_revision()
    if latest is None or page.live_revision_id == latest.pk:
        messages.info(request, _("Nothing to publish: the latest text is already published."))
        return redirect("drafts_admin:alignment", page.pk)
    removed = removed_with_comments(page)
    if removed and request.POST.get("confirm_removed") != "1":
        messages.error(
            request,
            _(
                "Not published: %(n)d provisions that carry comments are not in the new text. "
                "Pair them with the provisions that replace them, or tick the box to confirm "
                "that they are removed (their comments stay with the earlier version)."
            )
            % {"n": len(removed)},
        )
        return redirect("drafts_admin:alignment", page.pk)
    before = page.live_revision.as_object().version_number if page.live_revision else None
    latest.publish(user=request.user)
    page.refresh_from_db()
    messages.success(request, _("Dự thảo %(n)d is published.") % {"n": page.version_number})
    if before is not None and before != page.version_number:
        return redirect(f"{page.url}so-sanh/{before}-{page.version_number}/")
    return redirect("wagtailadmin_pages:edit", page.pk)
