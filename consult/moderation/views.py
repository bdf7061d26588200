"""Admin views of the consult app: the moderation queue and one comment's moderation history.

The views only read requests and shape data for the templates; the rules (who may moderate
what, which decision applies in which state, the audit record) live in consult.moderation.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_comments.models import CommentFlag
from wagtail.admin import messages
from wagtail.admin.paginator import WagtailPaginator

from consult.feedback.models import Feedback
from consult.moderation.models import ModerationAction
from consult.moderation.services import (
    MODERATION_FLAGS,
    QueueState,
    allowed_actions,
    can_moderate,
    can_moderate_any,
    feedback_bulk_moderate,
    flag_label,
    flag_summary,
    moderatable_drafts,
    moderation_queue,
    state_label,
)

Action = ModerationAction.Action

PER_PAGE = 50
PREVIEW_CHARS = 300
REASON_MAX_LENGTH = 1000
BUTTON_LABELS = {
    Action.APPROVE: gettext_lazy("Approve"),
    Action.REJECT: gettext_lazy("Reject"),
    Action.REMOVE: gettext_lazy("Remove"),
    Action.RESTORE: gettext_lazy("Restore"),
    Action.DISMISS_FLAGS: gettext_lazy("Dismiss flags"),
}
DANGEROUS = {Action.REJECT, Action.REMOVE}


class QueueFilterForm(forms.Form):
    draft = forms.ModelChoiceField(
        label=gettext_lazy("Draft"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("All drafts"),
    )
    state = forms.ChoiceField(
        label=gettext_lazy("State"),
        choices=[("", gettext_lazy("All states")), *QueueState.choices],
        required=False,
    )

    def __init__(self, *args, drafts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["draft"].queryset = drafts


class FeedbackIdsField(forms.Field):
    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "required": gettext_lazy("Select at least one comment."),
        "invalid": gettext_lazy("The selection of comments is not valid."),
    }

    def to_python(self, value) -> list[int]:
        if not value:
            return []
        try:
            return [int(pk) for pk in value]
        except (TypeError, ValueError) as exc:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from exc


class ModerationForm(forms.Form):
    action = forms.ChoiceField(
        choices=Action.choices,
        error_messages={
            "required": gettext_lazy("Choose what to do with the selected comments."),
            "invalid_choice": gettext_lazy("Unknown moderation action."),
        },
    )
    feedback = FeedbackIdsField()
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def moderation_queue_view(request: HttpRequest) -> HttpResponse:
    """The comments the user may moderate, flagged and pending first; POST takes a decision
    on one row (`row_action` = "<action>:<id>") or on the ticked rows (`action`, `feedback`)."""
    if not can_moderate_any(request.user):
        raise PermissionDenied
    queue_url = reverse("consult_moderation")
    if request.method == "POST":
        data = request.POST.copy()
        if row_action := data.get("row_action"):
            action, _sep, pk = row_action.partition(":")
            data["action"] = action
            data.setlist("feedback", [pk])
        return _decide(request, data, fallback_url=queue_url)

    filters = QueueFilterForm(request.GET, drafts=moderatable_drafts(request.user))
    draft_id, state = None, ""
    if filters.is_valid():
        draft = filters.cleaned_data["draft"]
        draft_id, state = (draft.pk if draft else None), filters.cleaned_data["state"]
    queue = moderation_queue(user=request.user, draft_id=draft_id, state=state)
    paginator = WagtailPaginator(queue, PER_PAGE)
    page = paginator.get_page(request.GET.get("p"))
    label = _("Moderation")
    return TemplateResponse(
        request,
        "moderation/admin/queue.html",
        {
            "filters": filters,
            "rows": [_row(feedback) for feedback in page],
            "items": page,
            "elided_page_range": paginator.get_elided_page_range(page.number),
            "bulk_buttons": _buttons(Action.values),
            "reason_max_length": REASON_MAX_LENGTH,
            "page_title": label,
            "header_title": label,
            "header_icon": "warning",
            "breadcrumbs_items": [
                {"url": reverse("wagtailadmin_home"), "label": _("Dashboard")},
                {"url": "", "label": label},
            ],
        },
    )


def moderation_detail_view(request: HttpRequest, feedback_id: int) -> HttpResponse:
    """One comment with its readers' flags and every moderation decision taken on it."""
    feedback = get_object_or_404(
        Feedback.objects.select_related("draft", "provision", "user").defer("draft__body"),
        pk=feedback_id,
    )
    if not can_moderate(request.user, feedback.draft):
        raise PermissionDenied
    detail_url = reverse("consult_moderation_detail", args=[feedback.pk])
    if request.method == "POST":
        data = request.POST.copy()
        data.setlist("feedback", [str(feedback.pk)])
        data["next"] = detail_url
        return _decide(request, data, fallback_url=detail_url)

    flags = list(
        CommentFlag.objects.filter(comment=feedback, flag__in=MODERATION_FLAGS)
        .select_related("user")
        .order_by("-flag_date")
    )
    history = [
        {
            "when": action.created_at,
            "who": action.actor.get_full_name() or action.actor.get_username(),
            "what": action.get_action_display(),
            "why": action.reason,
        }
        for action in feedback.moderation_actions.select_related("actor")
    ]
    title = _("Comment #%(n)d") % {"n": feedback.pk}
    return TemplateResponse(
        request,
        "moderation/admin/detail.html",
        {
            "row": _row(feedback, flags=flags, preview_chars=None),
            "flags": [
                {
                    "when": flag.flag_date,
                    "who": flag.user.get_username(),
                    "why": flag_label(flag.flag),
                }
                for flag in flags
            ],
            "history": history,
            "buttons": _buttons(allowed_actions(feedback)),
            "reason_max_length": REASON_MAX_LENGTH,
            "page_title": title,
            "header_title": title,
            "header_icon": "warning",
            "breadcrumbs_items": [
                {"url": reverse("wagtailadmin_home"), "label": _("Dashboard")},
                {"url": reverse("consult_moderation"), "label": _("Moderation")},
                {"url": "", "label": title},
            ],
        },
    )


def _decide(request: HttpRequest, data, *, fallback_url: str) -> HttpResponse:
    """Take the decision posted in `data`, report it, and go back where the moderator was."""
    form = ModerationForm(data)
    if not form.is_valid():
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
    else:
        action = form.cleaned_data["action"]
        try:
            count = feedback_bulk_moderate(
                feedback_ids=form.cleaned_data["feedback"],
                action=action,
                user=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _done_message(action, count))
    return redirect(_next_url(request, data.get("next"), fallback_url))


def _done_message(action: str, count: int) -> str:
    templates = {
        Action.APPROVE: ngettext(
            "%(count)d comment approved.", "%(count)d comments approved.", count
        ),
        Action.REJECT: ngettext(
            "%(count)d comment rejected.", "%(count)d comments rejected.", count
        ),
        Action.REMOVE: ngettext("%(count)d comment removed.", "%(count)d comments removed.", count),
        Action.RESTORE: ngettext(
            "%(count)d comment restored.", "%(count)d comments restored.", count
        ),
        Action.DISMISS_FLAGS: ngettext(
            "Flags dismissed on %(count)d comment.", "Flags dismissed on %(count)d comments.", count
        ),
    }
    return templates[action] % {"count": count}


def _next_url(request: HttpRequest, candidate: str | None, fallback: str) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback


def _buttons(actions) -> list[dict]:
    return [
        {"value": action, "label": BUTTON_LABELS[action], "dangerous": action in DANGEROUS}
        for action in actions
    ]


def _row(feedback: Feedback, *, flags=None, preview_chars: int | None = PREVIEW_CHARS) -> dict:
    """What the templates show of one comment."""
    flags = feedback.moderation_flags if flags is None else flags
    text = feedback.comment
    return {
        "pk": feedback.pk,
        "url": reverse("consult_moderation_detail", args=[feedback.pk]),
        "draft": feedback.draft.title,
        "provision": feedback.provision.citation if feedback.provision else _("Whole draft"),
        "author": feedback.public_name,
        "real_name": "" if feedback.show_name else feedback.name,
        "email": feedback.email,
        "organisation": feedback.organisation,
        "submitted": feedback.submit_date,
        "text": Truncator(text).chars(preview_chars) if preview_chars else text,
        "proposed_wording": feedback.proposed_wording,
        "is_reply": feedback.level > 0,
        "stance": feedback.get_stance_display(),
        "respondent_type": feedback.get_respondent_type_display(),
        "flag_count": feedback.flag_count,
        "flag_reasons": flag_summary(flags),
        "state": state_label(feedback),
        "removal_reason": feedback.removal_reason if feedback.is_removed else "",
        "buttons": _buttons(allowed_actions(feedback)),
    }
