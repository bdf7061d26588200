"""The editor of one part of a long draft's text (drafts.editing explains why parts).

`text_part_edit` shows a StreamField form of the draft's blocks (DraftBodyBlock) holding one
part of the latest revision's body, and on save splices the part back into that body as a new
revision, published too when asked and allowed. Nothing typed is ever lost: a form error, a
lock, or a revision saved by someone else since the part was opened shows the form again with
what was typed, and saves nothing.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.blocks import BlockField

from drafts.blocks import DraftBodyBlock
from drafts.editing import find_part, splice
from drafts.models import DraftPage
from drafts.revising import removed_with_comments
from econsult.text import clean_input


class TextPartForm(forms.Form):
    """One part's blocks, and the revision they were read from (`revision`, its id)."""

    body = BlockField(block=DraftBodyBlock(), label=gettext_lazy("Text of this part"))
    revision = forms.IntegerField(widget=forms.HiddenInput)

    def raw_blocks(self) -> list[dict]:
        """The part's blocks as raw StreamField JSON, every text as typed text
        (econsult.text.clean_input); blocks keep their ids, new ones get one."""
        block = self.fields["body"].block
        return _typed(block.get_prep_value(self.cleaned_data["body"]))


def _typed(value):
    if isinstance(value, str):
        return clean_input(value)
    if isinstance(value, list):
        return [_typed(item) for item in value]
    if isinstance(value, dict):
        return {key: item if key in ("id", "type") else _typed(item) for key, item in value.items()}
    return value


def text_part_edit(request, page_id: int, part: str):
    """GET: the form of part `part` (its first block's anchor) of draft `page_id`'s latest
    revision. POST: save it as a new revision (`action-publish`: and publish it).

    Refused (PermissionDenied) to whoever may not edit the draft (its tester asks the agency
    rule, drafts.permissions); 404 for a page that is not a draft. A part no longer in the
    text sends the editor back to the page editor with a message.
    """
    page = get_object_or_404(DraftPage.objects.defer_streamfields(), pk=page_id)
    permissions = page.permissions_for_user(request.user)
    if not permissions.can_edit():
        raise PermissionDenied
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    latest_revision = page.get_latest_revision()
    latest = page.get_latest_revision_as_object()
    text_part = find_part(latest.body.raw_data, part)
    can_publish = permissions.can_publish()
    lock = page.get_lock()
    locked = lock is not None and lock.for_user(request.user)

    if request.method == "POST":
        form = TextPartForm(request.POST)
        stale = latest_revision is not None and str(latest_revision.pk) != request.POST.get(
            "revision"
        )
        if locked:
            messages.error(
                request,
                _("The draft is locked: nothing was saved. Your text is kept below."),
            )
        elif stale or text_part is None:
            messages.error(
                request,
                _(
                    "Someone saved this draft after you opened this part, so nothing was "
                    "saved: saving would overwrite their changes. Your text is kept below: "
                    "copy what you need, open the part again and make your changes there."
                ),
            )
        elif form.is_valid():
            body = splice(latest.body.raw_data, text_part, form.raw_blocks())
            publish = bool(request.POST.get("action-publish")) and can_publish
            with transaction.atomic():
                latest.body = body
                revision = latest.save_revision(user=request.user, log_action=True)
                # A text that leaves out commented provisions is published from the
                # alignment screen, once confirmed (drafts.revising), never from here.
                removed = removed_with_comments(page) if publish else []
                held = bool(removed)
                if publish and not held:
                    revision.publish(user=request.user, log_action=True)
            if held:
                messages.warning(
                    request,
                    format_html(
                        '{} <a href="{}">{}</a>',
                        _(
                            "Saved as a draft, not published: %(n)d provisions that carry "
                            "comments are not in the new text."
                        )
                        % {"n": len(removed)},
                        reverse("drafts_admin:alignment", args=[page.pk]),
                        _("Review the alignment"),
                    ),
                )
            elif publish:
                messages.success(
                    request, _("“%(part)s” saved and published.") % {"part": text_part.label}
                )
            else:
                messages.success(
                    request, _("“%(part)s” saved as a draft.") % {"part": text_part.label}
                )
            return redirect(edit_url)
        else:
            messages.error(request, _("The part could not be saved: correct the errors below."))
    elif text_part is None:
        messages.warning(request, _("This part is no longer in the text: choose it again."))
        return redirect(edit_url)
    else:
        form = TextPartForm(
            initial={
                "body": DraftBodyBlock().to_python(
                    list(latest.body.raw_data)[text_part.start : text_part.end]
                ),
                "revision": latest_revision.pk if latest_revision else "",
            }
        )

    label = text_part.label if text_part else part
    return TemplateResponse(
        request,
        "drafts/admin/text_part.html",
        {
            "form": form,
            "page": page,
            "part": text_part,
            "can_publish": can_publish and not locked,
            "locked": locked,
            "edit_url": edit_url,
            "page_title": label,
            "page_subtitle": page.title,
            "header_title": label,
            "header_icon": "doc-full",
            "breadcrumbs_items": [
                {"url": reverse("wagtailadmin_home"), "label": _("Dashboard")},
                {"url": edit_url, "label": page.title},
                {"url": "", "label": label},
            ],
        },
    )
