"""Admin views of the drafters' answers, on Wagtail's generic views: the drafts a user answers,
each draft's inbox of comments, its answers (publish, delete, change).

Views read requests and shape data; the rules (who may answer, what a published answer
keeps) live in consult.answers.services, the reads in consult.answers.selectors. Every view
asks the agency rule (`drafts.permissions.agency_policy`, action ANSWER) before anything else,
for GET and POST alike, and refuses with a plain 403.

Other rooms add to these screens through hooks, without this module knowing them:
- INBOX_ACTIONS_HOOK: fn(request, draft) → HTML shown at the top of a draft's inbox (the
  synthesis report's state and the link to its publish screen, from consult.reports);
- INBOX_PANELS_HOOK: fn(request, draft) → HTML shown under a draft's inbox (the synthesis
  report's exports, from consult.reports);
- INBOX_ROW_MARKS_HOOK: fn(request, comments) → {comment id: HTML} shown with those comments
  of a page of the inbox (an agency's official opinion and its letter, from consult.opinions);
- DRAFT_ROWS_HOOK: fn(request, rows) adds values to the drafts list's rows (dicts with
  "draft", "title", counts…), and DRAFT_COLUMNS_HOOK: fn() → Wagtail table columns showing them.
"""

from __future__ import annotations

from functools import cached_property, wraps

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import defaults
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic import IndexView, WagtailAdminTemplateMixin

from consult.answers import selectors as inbox
from consult.answers.filters import InboxFilterSet
from consult.answers.forms import AnswerForm, DecisionForm, ResponseActionForm
from consult.answers.models import Response
from consult.answers.selectors import AnswerState
from consult.answers.services import (
    answerable_drafts,
    check_can_answer,
    response_create,
    response_delete,
    response_publish,
    response_update,
)
from consult.answers.traces import (
    comment_versions,
    earliest_commented_version,
    later_choices,
    responses_traces,
)
from consult.feedback.models import Feedback
from consult.feedback.provinces import PROVINCE_NAMES
from drafts.models import DraftPage
from drafts.permissions import ANSWER, agency_policy

PER_PAGE = 50
PREVIEW_CHARS = 300
REPORT_PATH = "bao-cao/"
URL_NAMESPACE = "answers_admin"

INBOX_ACTIONS_HOOK = "insert_answers_inbox_action"
INBOX_PANELS_HOOK = "insert_answers_inbox_panel"
INBOX_ROW_MARKS_HOOK = "insert_answers_inbox_row_marks"
DRAFT_ROWS_HOOK = "construct_answers_draft_rows"
DRAFT_COLUMNS_HOOK = "register_answers_draft_columns"


def url_name(view: str) -> str:
    """The admin URL name of one of these views ("inbox" → "answers_admin:inbox")."""
    return f"{URL_NAMESPACE}:{view}"


# Shared with the synthesis report's admin view (consult.reports.admin_views)


def forbidden_as_403(view):
    """Refuse with a plain 403, where Wagtail's admin would turn PermissionDenied into a
    redirect to the dashboard: another agency's drafts are not a matter of navigation."""

    @wraps(view)
    def checked(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as exc:
            return defaults.permission_denied(request, exc)

    return checked


def draft_for_answering(request: HttpRequest, draft_id: int) -> DraftPage:
    """The draft `draft_id` without its body; 404 when there is none, PermissionDenied when
    the user does not answer for it."""
    draft = get_object_or_404(
        DraftPage.objects.defer_streamfields().select_related("agency"), pk=draft_id
    )
    check_can_answer(request.user, draft)
    return draft


def form_errors(form: forms.Form) -> str:
    """Every error of `form`, as one message."""
    return " ".join(str(m) for errors in form.errors.values() for m in errors)


def public_report_url(request: HttpRequest, draft: DraftPage) -> str:
    """The public synthesis report of `draft`, or "" while the draft has no public URL."""
    url = draft.get_url(request)
    return f"{url}{REPORT_PATH}" if url else ""


# Mixins


class RefuseWith403Mixin:
    """forbidden_as_403 for class-based views; outermost, so it also covers Wagtail's own
    permission check."""

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except PermissionDenied as exc:
            return defaults.permission_denied(request, exc)


class AnswerPermissionMixin(RefuseWith403Mixin):
    """Only for people who answer for at least one agency (the agency rule, ANSWER)."""

    permission_policy = agency_policy
    any_permission_required = [ANSWER]
    permission_required = None
    is_searchable = False  # the inbox has its own text filter
    header_icon = "comment"
    breadcrumbs_items = [
        {"url": reverse_lazy("wagtailadmin_home"), "label": gettext_lazy("Dashboard")}
    ]


class AnswerableDraftsMixin:
    """For the screens of those who answer some draft's feedback (the agency rule, action
    ANSWER): the drafts they answer are `self.drafts`. With `require_drafts`, someone who
    answers no draft at all is refused (the staff search); otherwise they see an empty list."""

    permission_policy = agency_policy
    permission_required = ANSWER
    any_permission_required = None
    require_drafts = False

    def dispatch(self, request, *args, **kwargs):
        self.drafts = answerable_drafts(request.user)
        if self.require_drafts and not self.drafts.exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class DraftMixin(AnswerPermissionMixin):
    """A view of one draft (`draft_id`), refused unless the user answers for it."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self._draft = None

    @property
    def draft(self) -> DraftPage:
        if self._draft is None:
            self._draft = draft_for_answering(self.request, self.kwargs["draft_id"])
        return self._draft

    def get(self, request, *args, **kwargs):
        self.draft  # noqa: B018 - refuse before reading anything
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.draft  # noqa: B018
        return self.handle_post(request)

    def handle_post(self, request) -> HttpResponse:
        raise PermissionDenied

    def draft_breadcrumbs(self, *extra: dict) -> list[dict]:
        return [
            *self.breadcrumbs_items,
            {"url": reverse(url_name("index")), "label": _("Answers")},
            {"url": reverse(url_name("inbox"), args=[self.draft.pk]), "label": self.draft.title},
            *extra,
        ]


# The drafts list


class CellColumn(Column):
    """A column whose cell is one of this app's templates, given the row."""

    def __init__(self, name, *, template: str, **kwargs):
        super().__init__(name, **kwargs)
        self.cell_template_name = template

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["row"] = instance
        return context


class AnswersIndexView(AnswerPermissionMixin, IndexView):
    """The drafts the user answers for, with how far their answering has come."""

    model = DraftPage
    page_title = gettext_lazy("Answers")
    # On a phone the table scrolls sideways in its own region, and says so.
    results_template_name = "econsult/admin/scrolling_index_results.html"
    index_url_name = f"{URL_NAMESPACE}:index"
    paginate_by = PER_PAGE
    default_ordering = "title"
    table_classname = "listing"

    def get_base_queryset(self):
        return answerable_drafts(self.request.user).select_related("agency")

    def order_queryset(self, queryset):
        return queryset.order_by("title", "pk")

    @cached_property
    def columns(self):
        contributed = [column for fn in hooks.get_hooks(DRAFT_COLUMNS_HOOK) for column in fn()]
        return [
            CellColumn("title", label=_("Draft"), template="answers/admin/cells/draft.html"),
            CellColumn(
                "status", label=_("Consultation"), template="answers/admin/cells/status.html"
            ),
            Column("comments", label=_("Comments")),
            Column("answered", label=_("Answered")),
            Column("published", label=_("Answer published")),
            *contributed,
            CellColumn("actions", label=_("Actions"), template="answers/admin/cells/actions.html"),
        ]

    def get_table(self, object_list):
        """The page's drafts as rows (dicts) the columns read; other rooms add to them."""
        drafts = list(object_list)
        counts = inbox.answer_counts(draft.pk for draft in drafts)
        empty = {"comments": 0, "answered": 0, "published": 0}
        self.rows = [
            {
                "draft": draft,
                "pk": draft.pk,
                "title": draft.title,
                "agency": draft.agency.name,
                "status": draft.status_label,
                "closes_at": draft.closes_at,
                "live": draft.live,
                **counts.get(draft.pk, empty),
                "inbox_url": reverse(url_name("inbox"), args=[draft.pk]),
                "responses_url": reverse(url_name("responses"), args=[draft.pk]),
                "report_url": public_report_url(self.request, draft),
            }
            for draft in drafts
        ]
        for fn in hooks.get_hooks(DRAFT_ROWS_HOOK):
            fn(self.request, self.rows)
        return super().get_table(self.rows)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = self.rows
        context["no_results_message"] = _("Your agency has no drafts to answer yet.")
        return context


# A draft's inbox


class InboxView(DraftMixin, IndexView):
    """A draft's published comments to answer, filtered (GET); POST answers the ticked ones
    with one response. After an error the page comes back with the filters, the ticks and
    the wording as they were; after success, the same filtered list."""

    model = Feedback
    columns: list = []  # the template lays the comments out
    template_name = "answers/admin/inbox.html"
    paginate_by = PER_PAGE
    filterset_class = InboxFilterSet
    default_ordering = None

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.answer_form = None

    @cached_property
    def resulting_choices(self) -> list:
        """The provisions of the versions after the earliest one commented on ([] when the
        draft has no later version); the service checks each answer's own comments."""
        return later_choices(self.draft, after=earliest_commented_version(self.draft))

    def get_page_title(self):
        return self.draft.title

    def get_index_url(self):
        return reverse(url_name("inbox"), args=[self.draft.pk])

    def get_breadcrumbs_items(self):
        return self.draft_breadcrumbs({"url": "", "label": _("Comments to answer")})

    @cached_property
    def counts(self) -> dict[str, int]:
        return inbox.draft_answer_counts(self.draft)

    def get_filterset_kwargs(self):
        return {**super().get_filterset_kwargs(), "draft": self.draft, "counts": self.counts}

    def get_base_queryset(self):
        return inbox.draft_feedback(self.draft)

    def order_queryset(self, queryset):
        return queryset  # the filterset's `sort` orders

    def filter_queryset(self, queryset):
        # each valid filter applies, even when another one is not valid
        return self.filters.filter_queryset(queryset)

    def handle_post(self, request):
        self.answer_form = AnswerForm(request.POST, resulting_choices=self.resulting_choices)
        if self._answer(self.answer_form):
            return redirect(request.get_full_path())
        return self.get(request)

    def _answer(self, form: AnswerForm) -> bool:
        """Answer the ticked comments, or every comment the filters select that has no
        published answer yet; False (with the message shown) when nothing changed."""
        request = self.request
        if not form.is_valid():
            messages.error(request, form_errors(form))
            return False
        data = form.cleaned_data
        if data["everything"]:
            data["feedback"] = inbox.answerable_ids(self.draft, self.filters.inbox_filters())
            if not data["feedback"]:
                messages.error(request, _("No comment the filters select is left to answer."))
                return False
        try:
            response = response_create(
                user=request.user,
                draft=self.draft,
                feedback_ids=data["feedback"],
                decision=data["decision"],
                reason=data["reason"],
                publish=data["publish"],
                resulting_provision_ids=data.get("resulting_provisions") or (),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return False
        answered_message(request, response, count=len(set(data["feedback"])))
        return True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        draft = self.draft
        feedback = list(context["object_list"])
        covered = inbox.covered_counts(f.response_id for f in feedback if f.response_id)
        traces = responses_traces(f.response for f in feedback if f.response_id)
        selected = self._selected_ids()
        marks: dict[int, list[str]] = {}
        for fn in hooks.get_hooks(INBOX_ROW_MARKS_HOOK):
            for pk, html in fn(self.request, feedback).items():
                marks.setdefault(pk, []).append(html)
        filter_form = self.filters.form
        context.update(
            {
                "draft": draft,
                "filter_form": filter_form,
                "filters": None,  # shown in the page (filter_form), not in the header
                "filtered": any(
                    self.request.GET.get(name) for name in filter_form.fields if name != "sort"
                ),
                "answer_form": self.answer_form
                or AnswerForm(resulting_choices=self.resulting_choices),
                "head": [_("Comment"), _("Respondent"), _("Endorsements"), _("Answer")],
                "rows": [
                    _inbox_row(draft, f, covered=covered, selected=selected, traces=traces)
                    | {"marks": marks.get(f.pk, [])}
                    for f in feedback
                ],
                "items": context["page_obj"],
                "counts": self.counts,
                "private_count": Response.objects.filter(draft=draft, published_at=None).count(),
                "responses_url": reverse(url_name("responses"), args=[draft.pk]),
                "campaigns_url": reverse("feedback_search:clusters", args=[draft.pk]),
                "campaign_size": len(self.filters.inbox_filters().ids),
                "public_report_url": public_report_url(self.request, draft),
                "actions": [
                    html
                    for fn in hooks.get_hooks(INBOX_ACTIONS_HOOK)
                    if (html := fn(self.request, draft))
                ],
                "panels": [
                    html
                    for fn in hooks.get_hooks(INBOX_PANELS_HOOK)
                    if (html := fn(self.request, draft))
                ],
            }
        )
        return context

    def _selected_ids(self) -> set[int]:
        form = self.answer_form
        if form is None or not form.is_bound:
            return set()
        return {int(pk) for pk in form.data.getlist("feedback") if str(pk).isdigit()}


def answered_message(request: HttpRequest, response: Response, *, count: int) -> None:
    """Tell that `count` comments got `response`, with a button to change it."""
    if response.is_published:
        text = ngettext(
            "%(count)d comment answered; the answer is published and its author is told.",
            "%(count)d comments answered with one answer; it is published and their authors "
            "are told.",
            count,
        )
    else:
        text = ngettext(
            "%(count)d comment answered; the answer is not published yet.",
            "%(count)d comments answered with one answer; it is not published yet.",
            count,
        )
    edit_url = reverse(url_name("response_edit"), args=[response.draft_id, response.pk])
    messages.success(
        request, text % {"count": count}, buttons=[messages.button(edit_url, _("Edit"))]
    )


# A draft's answers ("private answers": not yet published first)


class ResponsesView(DraftMixin, IndexView):
    """The draft's answers, private ones first by default; POST publishes or deletes the
    ticked private ones."""

    model = Response
    columns: list = []
    template_name = "answers/admin/responses.html"
    paginate_by = PER_PAGE
    page_title = gettext_lazy("Answers")
    default_ordering = None

    def get_header_title(self):
        return f"{_('Answers')}: {self.draft.title}"

    def get_index_url(self):
        return reverse(url_name("responses"), args=[self.draft.pk])

    def get_breadcrumbs_items(self):
        return self.draft_breadcrumbs({"url": "", "label": _("Answers")})

    @cached_property
    def state(self) -> str:
        state = self.request.GET.get("state", AnswerState.PRIVATE)
        if state not in (AnswerState.PRIVATE, AnswerState.PUBLISHED, "all"):
            state = AnswerState.PRIVATE
        return state

    def get_base_queryset(self):
        return inbox.draft_responses(self.draft, state=self.state)

    def order_queryset(self, queryset):
        return queryset  # most recently changed first (the selector's)

    def handle_post(self, request):
        return act_on_responses(
            request, self.draft, request.POST, fallback_url=request.get_full_path()
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        draft = self.draft
        context.update(
            {
                "draft": draft,
                "state": self.state,
                "states": [
                    (AnswerState.PRIVATE, _("Not yet published")),
                    (AnswerState.PUBLISHED, _("Published")),
                    ("all", _("All")),
                ],
                "head": [_("Answer"), _("Provision"), _("Comments"), _("State"), _("Actions")],
                "rows": [_response_row(draft, response) for response in context["object_list"]],
                "items": context["page_obj"],
                "inbox_url": reverse(url_name("inbox"), args=[draft.pk]),
            }
        )
        return context


class ResponseEditView(DraftMixin, WagtailAdminTemplateMixin, TemplateView):
    """One answer: the comments it covers, its wording to change, its earlier published
    wordings; a private one may also be published or deleted from here."""

    template_name = "answers/admin/response.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.form = None

    @cached_property
    def response(self) -> Response:
        response = get_object_or_404(
            Response.objects.select_related("provision", "created_by", "published_by"),
            pk=self.kwargs["response_id"],
            draft=self.draft,
        )
        response.draft = self.draft
        return response

    @cached_property
    def comments(self) -> list[Feedback]:
        return list(
            Feedback.objects.filter(response=self.response)
            .select_related("provision__version")
            .order_by("submit_date", "pk")
        )

    @cached_property
    def resulting_choices(self) -> list:
        """The provisions of the versions after the latest one its comments were made on."""
        versions = comment_versions(self.draft, self.comments)
        return later_choices(self.draft, after=max(versions.values(), default=0))

    @cached_property
    def resulting_ids(self) -> list[int]:
        return list(self.response.resulting_provisions.values_list("pk", flat=True))

    @cached_property
    def here(self) -> str:
        return reverse(url_name("response_edit"), args=[self.draft.pk, self.response.pk])

    def get_page_title(self):
        return _("Answer #%(n)d") % {"n": self.response.pk}

    def get_breadcrumbs_items(self):
        return self.draft_breadcrumbs(
            {"url": reverse(url_name("responses"), args=[self.draft.pk]), "label": _("Answers")},
            {"url": "", "label": self.get_page_title()},
        )

    def handle_post(self, request):
        response = self.response
        action = request.POST.get("action", "save")
        if action in (ResponseActionForm.PUBLISH, ResponseActionForm.DELETE):
            data = request.POST.copy()
            data.setlist("response", [str(response.pk)])
            fallback = reverse(url_name("responses"), args=[self.draft.pk])
            if action == ResponseActionForm.PUBLISH:
                fallback = self.here
            return act_on_responses(request, self.draft, data, fallback_url=fallback)
        self.form = DecisionForm(request.POST, resulting_choices=self.resulting_choices)
        if self._update(self.form):
            return redirect(self.here)
        return self.get(request)

    def _update(self, form: DecisionForm) -> bool:
        request, response = self.request, self.response
        if not form.is_valid():
            messages.error(request, form_errors(form))
            return False
        data = form.cleaned_data
        resulting = data.get("resulting_provisions")  # None: the draft has no later version
        unchanged = (
            data["decision"] == response.decision
            and data["reason"].strip() == response.reason
            and (resulting is None or set(resulting) == set(self.resulting_ids))
        )
        try:
            response_update(
                user=request.user,
                response=response,
                decision=data["decision"],
                reason=data["reason"],
                resulting_provision_ids=resulting,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return False
        if unchanged:
            messages.info(request, _("Nothing was changed."))
        elif response.is_published:
            messages.success(
                request, _("The answer is changed; its earlier published wording is kept.")
            )
        else:
            messages.success(request, _("The answer is changed."))
        return True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        response = self.response
        feedback = self.comments
        context.update(
            {
                "draft": self.draft,
                "response": response,
                "answer": _answer_summary(
                    response, covered=len(feedback), traces=responses_traces([response])
                ),
                "form": self.form
                or DecisionForm(
                    initial={
                        "decision": response.decision,
                        "reason": response.reason,
                        "resulting_provisions": self.resulting_ids,
                    },
                    resulting_choices=self.resulting_choices,
                ),
                "comments": [_comment(f, preview_chars=None) for f in feedback],
                "revisions": [
                    _revision(revision)
                    for revision in response.revisions.select_related("replaced_by")
                ],
                "responses_url": reverse(url_name("responses"), args=[self.draft.pk]),
            }
        )
        return context


def act_on_responses(request: HttpRequest, draft: DraftPage, data, *, fallback_url: str):
    """Publish or delete the answers in `data` (all or none), report it, and go back."""
    next_url = get_valid_next_url_from_request(request) or fallback_url
    form = ResponseActionForm(data)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect(next_url)
    ids = set(form.cleaned_data["response"])
    rows = list(Response.objects.filter(pk__in=ids, draft=draft))
    if len(rows) != len(ids):
        messages.error(request, _("Some of the selected answers no longer exist; reload the list."))
        return redirect(next_url)
    for row in rows:
        row.draft = draft
    try:
        if form.cleaned_data["action"] == ResponseActionForm.PUBLISH:
            count = len(response_publish(user=request.user, responses=rows))
            text = published_text(count)
        else:
            with transaction.atomic():
                for row in rows:
                    response_delete(user=request.user, response=row)
            count = len(rows)
            text = ngettext(
                "%(count)d answer deleted; its comments are unanswered again.",
                "%(count)d answers deleted; their comments are unanswered again.",
                count,
            ) % {"count": count}
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, text)
    return redirect(next_url)


def published_text(count: int) -> str:
    return ngettext(
        "%(count)d answer published; the authors of its comments are told.",
        "%(count)d answers published; the authors of their comments are told.",
        count,
    ) % {"count": count}


# What the templates show


def _comment(feedback: Feedback, *, preview_chars: int | None = PREVIEW_CHARS) -> dict:
    """What the templates show of one comment."""
    text = feedback.comment
    preview = Truncator(text).chars(preview_chars) if preview_chars else text
    provision = feedback.provision
    return {
        "pk": feedback.pk,
        "provision": provision.citation if provision else _("The draft as a whole"),
        "provision_withdrawn": bool(provision and provision.withdrawn),
        "author": feedback.public_name,
        "stance": feedback.get_stance_display(),
        "respondent_type": feedback.get_respondent_type_display(),
        "organisation": feedback.organisation,
        "province": PROVINCE_NAMES.get(feedback.province, ""),
        "endorsements": feedback.endorsement_count,
        "submitted": feedback.submit_date,
        "preview": preview,
        "text": text,
        "truncated": preview != text,
        "proposed_wording": feedback.proposed_wording,
    }


def _inbox_row(
    draft: DraftPage,
    feedback: Feedback,
    *,
    covered: dict[int, int],
    selected: set[int],
    traces: dict[int, list[dict]],
) -> dict:
    row = _comment(feedback)
    row["selected"] = feedback.pk in selected
    response = feedback.response
    row["answer"] = (
        _answer_summary(response, covered=covered.get(response.pk, 1), draft=draft, traces=traces)
        if response
        else None
    )
    return row


def _answer_summary(
    response: Response,
    *,
    covered: int,
    draft: DraftPage | None = None,
    traces: dict[int, list[dict]] | None = None,
) -> dict:
    """`traces`: consult.answers.traces.responses_traces of the answers shown."""
    draft_id = draft.pk if draft else response.draft_id
    return {
        "pk": response.pk,
        "decision": response.get_decision_display(),
        "reason": response.reason,
        "published": response.is_published,
        "published_at": response.published_at,
        "revised_at": response.revised_at,
        "revisions": [_revision(r) for r in response.revisions.all()],
        "covered": covered,
        "traces": (traces or {}).get(response.pk, []),
        "url": reverse(url_name("response_edit"), args=[draft_id, response.pk]),
    }


def _revision(revision) -> dict:
    who = revision.replaced_by
    return {
        "decision": revision.get_decision_display(),
        "reason": revision.reason,
        "resulting": revision.resulting.splitlines(),
        "published_at": revision.published_at,
        "replaced_at": revision.replaced_at,
        "replaced_by": who.get_full_name() or who.get_username(),
    }


def _response_row(draft: DraftPage, response: Response) -> dict:
    author = response.created_by
    return {
        "pk": response.pk,
        "provision": response.provision.citation
        if response.provision
        else _("Several provisions or the draft as a whole"),
        "decision": response.get_decision_display(),
        "reason": Truncator(response.reason).chars(PREVIEW_CHARS),
        "covered": response.covered,
        "written_by": author.get_full_name() or author.get_username(),
        "updated_at": response.updated_at,
        "published": response.is_published,
        "published_at": response.published_at,
        "revised_at": response.revised_at,
        "url": reverse(url_name("response_edit"), args=[draft.pk, response.pk]),
    }
