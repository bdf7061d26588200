"""Admin views of moderation, on Wagtail's generic views: the queue (an IndexView with a
filterset and bulk actions) and one comment's moderation screen (its flags, its history and
the decision form).

The views only read requests and shape data for the templates; the rules (who may moderate
what, which decision applies in which state, the audit record) live in
consult.moderation.services. Rights come from the agency policy, action "moderate".
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import FormView
from django_comments.models import CommentFlag
from wagtail.admin import messages
from wagtail.admin.ui.tables import (
    BulkActionsCheckboxColumn,
    ButtonsColumnMixin,
    Column,
    TitleColumn,
)
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import BaseObjectMixin, WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets.button import Button, ButtonWithDropdown

from consult.feedback.hooks import moderation_locks
from consult.feedback.models import Feedback
from consult.moderation.forms import (
    REASON_MAX_LENGTH,
    ModerationForm,
    ModerationQueueFilterSet,
)
from consult.moderation.models import ModerationAction
from consult.moderation.services import (
    MODERATION_FLAGS,
    allowed_actions,
    feedback_bulk_moderate,
    flag_label,
    flag_summary,
    moderation_lock,
    moderation_queue,
    state_label,
)
from drafts.permissions import MODERATE, agency_policy

Action = ModerationAction.Action

PER_PAGE = 50
PREVIEW_CHARS = 300
BUTTON_LABELS = {
    Action.APPROVE: gettext_lazy("Approve"),
    Action.REJECT: gettext_lazy("Reject"),
    Action.REMOVE: gettext_lazy("Remove"),
    Action.RESTORE: gettext_lazy("Restore"),
    Action.DISMISS_FLAGS: gettext_lazy("Dismiss flags"),
}
DANGEROUS = {Action.REJECT, Action.REMOVE}


def done_message(action: str, count: int) -> str:
    """What the moderator is told once `action` was taken on `count` comments."""
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


def bulk_action_url(action: str, feedback_ids, *, next_url: str = "") -> str:
    """The confirmation screen of the bulk action `action` on these comments."""
    query = [("id", pk) for pk in feedback_ids]
    if next_url:
        query.append(("next", next_url))
    url = reverse("wagtail_bulk_action", args=["feedback", "feedback", action])
    return f"{url}?{urlencode(query)}"


def _buttons(actions) -> list[dict]:
    return [
        {"value": action, "label": BUTTON_LABELS[action], "dangerous": action in DANGEROUS}
        for action in actions
    ]


def feedback_row(
    feedback: Feedback,
    *,
    flags=None,
    preview_chars: int | None = PREVIEW_CHARS,
    locked: str | None = None,
):
    """What the screens show of one comment. `locked`: why no moderator may act on it (read
    with `moderation_lock` when None); a locked comment offers no decision."""
    flags = feedback.moderation_flags if flags is None else flags
    if locked is None:
        locked = moderation_lock(feedback)
    text = feedback.comment
    return {
        "pk": feedback.pk,
        "url": reverse("moderation:detail", args=[feedback.pk]),
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
        "actions": allowed_actions(feedback, locked=locked),
        "locked": locked,
    }


# The queue


class _RowColumn(Column):
    """A column of the queue, drawn by its own template from the row's dict."""

    def __init__(self, name, *, template: str, **kwargs):
        super().__init__(name, **kwargs)
        self.cell_template_name = f"moderation/admin/cells/{template}.html"


class _CheckboxColumn(BulkActionsCheckboxColumn):
    """The box to tick a comment for a bulk decision; none on a locked comment (an agency's
    official opinion), which no decision applies to."""

    def get_aria_describedby(self, row):
        return f"feedback_{row['pk']}_title"

    def render_cell_html(self, row, parent_context):
        if row["locked"]:
            return render_to_string("moderation/admin/cells/no_checkbox.html")
        return super().render_cell_html(row, parent_context)


class _CommentColumn(ButtonsColumnMixin, TitleColumn):
    """The comment: its draft and provision, its text linked to its moderation screen, and
    the decisions that apply to it in a dropdown."""

    cell_template_name = "moderation/admin/cells/comment.html"

    def __init__(self, name, *, get_buttons, **kwargs):
        super().__init__(name, **kwargs)
        self._get_row_buttons = get_buttons

    def get_buttons(self, row, parent_context):
        return self._get_row_buttons(row)


class ModerationQueueView(generic.IndexView):
    """The comments the user may moderate, flagged and pending first, fifty a page, filtered
    by draft and state; the ticked ones go to the moderation bulk actions."""

    model = Feedback
    permission_policy = agency_policy
    permission_required = MODERATE
    any_permission_required = None
    page_title = gettext_lazy("Moderation")
    header_icon = "warning"
    template_name = "moderation/admin/index.html"
    results_template_name = "moderation/admin/index_results.html"
    filterset_class = ModerationQueueFilterSet
    paginate_by = PER_PAGE
    is_searchable = False

    def get_base_queryset(self):
        return moderation_queue(user=self.request.user)

    @cached_property
    def columns(self):
        return [
            _CheckboxColumn("bulk_actions", obj_type="feedback"),
            _CommentColumn(
                "text",
                label=gettext_lazy("Comment"),
                get_url=lambda row: row["url"],
                get_title_id=lambda row: f"feedback_{row['pk']}_title",
                get_buttons=self.get_list_buttons,
            ),
            _RowColumn("author", label=gettext_lazy("Author"), template="author"),
            _RowColumn("flag_count", label=gettext_lazy("Flags"), template="flags"),
            _RowColumn("state", label=gettext_lazy("State"), template="state"),
        ]

    @cached_property
    def next_url(self) -> str:
        """The queue as the moderator sees it (filters and page), to come back to."""
        query = self.request.GET.copy()
        query.pop("_w_filter_fragment", None)
        return f"{self.index_url}?{query.urlencode()}" if query else self.index_url

    def get_list_buttons(self, row):
        buttons = [
            Button(
                BUTTON_LABELS[action],
                url=bulk_action_url(action, [row["pk"]], next_url=self.next_url),
                icon_name="warning" if action in DANGEROUS else "tick",
                priority=10 + index,
            )
            for index, action in enumerate(row["actions"])
        ]
        buttons.append(Button(_("History"), url=row["url"], icon_name="history", priority=90))
        return [
            ButtonWithDropdown(
                buttons=buttons,
                icon_name="dots-horizontal",
                attrs={"aria-label": _("Decisions on comment #%(n)d") % {"n": row["pk"]}},
            )
        ]

    def get_table(self, object_list):
        object_list = list(object_list)
        locks = moderation_locks([feedback.pk for feedback in object_list])
        self.rows = [
            feedback_row(feedback, locked=locks.get(feedback.pk, "")) for feedback in object_list
        ]
        return super().get_table(self.rows)

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["rows"] = self.rows
        return context


# One comment


class ModerationDetailView(
    PermissionCheckedMixin, WagtailAdminTemplateMixin, BaseObjectMixin, FormView
):
    """One comment with its readers' flags and every moderation decision taken on it; a POST
    takes a decision on it and goes back to `next` (the queue) or to this screen."""

    model = Feedback
    permission_policy = agency_policy
    permission_required = MODERATE
    form_class = ModerationForm
    template_name = "moderation/admin/detail.html"
    header_icon = "warning"
    index_url_name = None

    def get_base_object_queryset(self):
        return Feedback.objects.select_related("draft", "provision", "user").defer("draft__body")

    def dispatch(self, request, *args, **kwargs):
        if not self.user_has_permission_for_instance(MODERATE, self.object.draft):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Comment #%(n)d") % {"n": self.object.pk}

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": _("Moderation")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_success_url(self) -> str:
        return get_valid_next_url_from_request(self.request) or reverse(
            "moderation:detail", args=[self.object.pk]
        )

    def form_valid(self, form) -> HttpResponse:
        action = form.cleaned_data["action"]
        try:
            count = feedback_bulk_moderate(
                feedback_ids=[self.object.pk],
                action=action,
                user=self.request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            messages.error(self.request, " ".join(error.messages))
        else:
            messages.success(self.request, done_message(action, count))
        return redirect(self.get_success_url())

    def form_invalid(self, form) -> HttpResponse:
        messages.error(self.request, " ".join(m for errors in form.errors.values() for m in errors))
        return redirect(self.get_success_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        feedback = self.object
        flags = list(
            CommentFlag.objects.filter(comment=feedback, flag__in=MODERATION_FLAGS)
            .select_related("user")
            .order_by("-flag_date")
        )
        row = feedback_row(feedback, flags=flags, preview_chars=None)
        context.update(
            {
                "row": row,
                "flags": [
                    {
                        "when": flag.flag_date,
                        "who": flag.user.get_username(),
                        "why": flag_label(flag.flag),
                    }
                    for flag in flags
                ],
                "history": [
                    {
                        "when": action.created_at,
                        "who": action.actor.get_full_name() or action.actor.get_username(),
                        "what": action.get_action_display(),
                        "why": action.reason,
                    }
                    for action in feedback.moderation_actions.select_related("actor")
                ],
                "buttons": _buttons(row["actions"]),
                "reason_max_length": REASON_MAX_LENGTH,
            }
        )
        return context
