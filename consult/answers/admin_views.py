"""Admin views of the drafters' answers: the drafts a user answers, each draft's inbox of
comments, its answers (publish, delete, change) and its synthesis report.

Views read requests and shape data; the rules (who may answer, what a published answer
keeps) live in consult.responses, the reads in consult.inbox. Every view checks that the user
answers for the draft's agency before anything else, for GET and POST alike.
"""

from __future__ import annotations

from functools import wraps

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import defaults
from wagtail.admin import messages
from wagtail.admin.paginator import WagtailPaginator

from consult.answers import selectors as inbox
from consult.answers.models import Decision, Response
from consult.answers.selectors import AnswerState, InboxFilters, InboxSort
from consult.answers.services import (
    answerable_drafts,
    can_answer,
    can_answer_any,
    response_create,
    response_delete,
    response_publish,
    response_update,
)
from consult.feedback.models import Feedback, RespondentType, Stance
from consult.feedback.provinces import PROVINCE_NAMES, PROVINCES
from consult.moderation.views import FeedbackIdsField, _next_url
from consult.reports.forms import ReportForm
from consult.reports.models import SynthesisReport
from drafts.models import DraftPage

PER_PAGE = 50
MAX_IDS = 10_000  # comments a campaign link may name
PREVIEW_CHARS = 300
TEXT_FILTER_MAX_LENGTH = 200
REASON_MAX_LENGTH = 10000
REPORT_PATH = "bao-cao/"


# Forms


class InboxFilterForm(forms.Form):
    provision = forms.CharField(label=gettext_lazy("Provision"), required=False)
    stance = forms.ChoiceField(
        label=gettext_lazy("Stance"),
        choices=[("", gettext_lazy("All stances")), *Stance.choices],
        required=False,
    )
    respondent_type = forms.ChoiceField(
        label=gettext_lazy("Respondent"),
        choices=[("", gettext_lazy("All respondents")), *RespondentType.choices],
        required=False,
    )
    province = forms.ChoiceField(
        label=gettext_lazy("Province"),
        choices=[("", gettext_lazy("All provinces")), *PROVINCES],
        required=False,
    )
    answered = forms.ChoiceField(
        label=gettext_lazy("Answer"), choices=AnswerState.choices, required=False
    )
    text = forms.CharField(
        label=gettext_lazy("Text contains"), required=False, max_length=TEXT_FILTER_MAX_LENGTH
    )
    sort = forms.ChoiceField(label=gettext_lazy("Order"), choices=InboxSort.choices, required=False)
    ids = forms.CharField(
        label=gettext_lazy("Only these comments"),
        required=False,
        widget=forms.HiddenInput,
        help_text="Comma-separated ids, e.g. a campaign of identical comments from the search.",
    )

    def __init__(self, data, *, draft: DraftPage, counts: dict[str, int]):
        self.draft = draft
        self.resolved_provision = None
        data = data.copy()
        resolved = inbox.provision_resolve(draft, data.get("provision", ""))
        if resolved is not None and resolved != inbox.WHOLE_DRAFT:
            data["provision"] = resolved.anchor  # an id in the URL selects its anchor
        super().__init__(data)
        self.fields["provision"].widget = forms.Select(
            choices=[
                ("", _("All provisions")),
                (inbox.WHOLE_DRAFT, _("The draft as a whole")),
                *inbox.provision_options(draft),
            ]
        )
        self.fields["answered"].choices = [
            ("", _("Answered or not")),
            *((value, f"{label} ({counts[value]})") for value, label in AnswerState.choices),
        ]

    def clean_provision(self):
        value = self.cleaned_data["provision"]
        self.resolved_provision = inbox.provision_resolve(self.draft, value)
        if value and self.resolved_provision is None:
            raise ValidationError(_("This draft has no such provision."))
        return value

    def clean_ids(self) -> tuple[int, ...]:
        raw = [part.strip() for part in self.cleaned_data["ids"].split(",") if part.strip()]
        if not all(part.isdigit() for part in raw) or len(raw) > MAX_IDS:
            raise ValidationError(
                _("The list of comments is not valid (at most %(n)d numbers, comma-separated).")
                % {"n": MAX_IDS}
            )
        return tuple(int(part) for part in raw)

    def filters(self) -> InboxFilters:
        """The valid filters; an invalid one is shown with its error and not applied."""
        self.is_valid()
        data = self.cleaned_data
        return InboxFilters(
            provision=self.resolved_provision if "provision" in data else None,
            stance=data.get("stance", ""),
            respondent_type=data.get("respondent_type", ""),
            province=data.get("province", ""),
            answered=data.get("answered", ""),
            text=data.get("text", ""),
            ids=data.get("ids", ()),
            sort=data.get("sort") or InboxSort.NEWEST,
        )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=Decision.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose a decision."),
            "invalid_choice": gettext_lazy("Choose a decision."),
        },
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Required for a partly accepted or not accepted comment; published with the answer."
        ),
    )


class AnswerForm(DecisionForm):
    feedback = FeedbackIdsField(required=False)
    everything = forms.BooleanField(
        label=gettext_lazy(
            "Answer every comment the filters select, on all pages (not only the ticked ones)"
        ),
        required=False,
    )
    publish = forms.BooleanField(
        label=gettext_lazy("Publish now (the authors are told by e-mail)"), required=False
    )

    def clean(self):
        data = super().clean()
        if not data.get("feedback") and not data.get("everything"):
            raise ValidationError(_("Select at least one comment to answer."))
        return data


class ResponseActionForm(forms.Form):
    PUBLISH, DELETE = "publish", "delete"

    action = forms.ChoiceField(
        choices=[(PUBLISH, PUBLISH), (DELETE, DELETE)],
        error_messages={"required": gettext_lazy("Choose what to do with the selected answers.")},
    )
    response = FeedbackIdsField(
        error_messages={
            "required": gettext_lazy("Select at least one answer."),
            "invalid": gettext_lazy("The selection of answers is not valid."),
        }
    )


# Views


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


@forbidden_as_403
def answers_index_view(request: HttpRequest) -> HttpResponse:
    """The drafts the user answers for, with how far their answering has come."""
    user = request.user
    if not can_answer_any(user):
        raise PermissionDenied
    drafts = list(answerable_drafts(user).select_related("agency"))
    counts = inbox.answer_counts(draft.pk for draft in drafts)
    empty = {"comments": 0, "answered": 0, "published": 0}
    reports = dict(
        SynthesisReport.objects.filter(draft__in=drafts).values_list("draft_id", "published_at")
    )
    rows = [
        {
            "title": draft.title,
            "agency": draft.agency.name,
            "status": draft.status_label,
            "closes_at": draft.closes_at,
            "live": draft.live,
            **counts.get(draft.pk, empty),
            "report_published_at": reports.get(draft.pk),
            "inbox_url": reverse("consult_answers_inbox", args=[draft.pk]),
            "responses_url": reverse("consult_answers_responses", args=[draft.pk]),
            "report_url": _public_report_url(request, draft),
        }
        for draft in drafts
    ]
    label = _("Answers")
    return TemplateResponse(
        request,
        "answers/admin/index.html",
        {
            "rows": rows,
            "page_title": label,
            "header_title": label,
            "header_icon": "comment",
            "breadcrumbs_items": [
                {"url": reverse("wagtailadmin_home"), "label": _("Dashboard")},
                {"url": "", "label": label},
            ],
        },
    )


@forbidden_as_403
def inbox_view(request: HttpRequest, draft_id: int) -> HttpResponse:
    """A draft's published comments to answer, filtered (GET); POST answers the ticked ones
    with one response. After an error the page comes back with the filters, the ticks and
    the wording as they were; after success, the same filtered list."""
    draft = _draft_for(request, draft_id)
    answer_form = AnswerForm()
    counts = inbox.draft_answer_counts(draft)
    filter_form = InboxFilterForm(request.GET, draft=draft, counts=counts)
    filters = filter_form.filters()
    if request.method == "POST":
        answer_form = AnswerForm(request.POST)
        if _answer(request, draft, answer_form, filters=filters):
            return redirect(request.get_full_path())

    queryset = inbox.inbox_feedback(draft, filters)
    paginator = WagtailPaginator(queryset, PER_PAGE)
    page = paginator.get_page(request.GET.get("p"))
    feedback = list(page)
    covered = inbox.covered_counts(f.response_id for f in feedback if f.response_id)
    selected = _selected_ids(answer_form)
    report = SynthesisReport.objects.filter(draft=draft).first()
    private_count = Response.objects.filter(draft=draft, published_at=None).count()
    title = draft.title
    return TemplateResponse(
        request,
        "answers/admin/inbox.html",
        {
            "draft": draft,
            "filter_form": filter_form,
            "filtered": any(request.GET.get(name) for name in filter_form.fields if name != "sort"),
            "answer_form": answer_form,
            "rows": [_inbox_row(draft, f, covered=covered, selected=selected) for f in feedback],
            "items": page,
            "elided_page_range": paginator.get_elided_page_range(page.number),
            "counts": counts,
            "private_count": private_count,
            "responses_url": reverse("consult_answers_responses", args=[draft.pk]),
            "campaigns_url": reverse("feedback_search:clusters", args=[draft.pk]),
            "campaign_size": len(filters.ids),
            "report": report,
            "report_form": ReportForm(
                initial={"introduction": report.introduction if report else ""}
            ),
            "report_action": reverse("consult_answers_report", args=[draft.pk]),
            "public_report_url": _public_report_url(request, draft),
            "page_title": title,
            "header_title": title,
            "header_icon": "comment",
            "breadcrumbs_items": _breadcrumbs(draft=draft, here=_("Comments to answer")),
        },
    )


@forbidden_as_403
def responses_view(request: HttpRequest, draft_id: int) -> HttpResponse:
    """The draft's answers, private ones first by default; POST publishes or deletes the
    ticked private ones."""
    draft = _draft_for(request, draft_id)
    here = request.get_full_path()
    if request.method == "POST":
        return _act_on_responses(request, draft, request.POST, fallback_url=here)

    state = request.GET.get("state", AnswerState.PRIVATE)
    if state not in (AnswerState.PRIVATE, AnswerState.PUBLISHED, "all"):
        state = AnswerState.PRIVATE
    paginator = WagtailPaginator(inbox.draft_responses(draft, state=state), PER_PAGE)
    page = paginator.get_page(request.GET.get("p"))
    title = _("Answers")
    return TemplateResponse(
        request,
        "answers/admin/responses.html",
        {
            "draft": draft,
            "state": state,
            "states": [
                (AnswerState.PRIVATE, _("Not yet published")),
                (AnswerState.PUBLISHED, _("Published")),
                ("all", _("All")),
            ],
            "rows": [_response_row(draft, response) for response in page],
            "items": page,
            "elided_page_range": paginator.get_elided_page_range(page.number),
            "inbox_url": reverse("consult_answers_inbox", args=[draft.pk]),
            "page_title": title,
            "header_title": f"{title}: {draft.title}",
            "header_icon": "comment",
            "breadcrumbs_items": _breadcrumbs(draft=draft, here=title),
        },
    )


@forbidden_as_403
def response_edit_view(request: HttpRequest, draft_id: int, response_id: int) -> HttpResponse:
    """One answer: the comments it covers, its wording to change, its earlier published
    wordings; a private one may also be published or deleted from here."""
    draft = _draft_for(request, draft_id)
    response = get_object_or_404(
        Response.objects.select_related("provision", "created_by", "published_by"),
        pk=response_id,
        draft=draft,
    )
    response.draft = draft
    here = reverse("consult_answers_response", args=[draft.pk, response.pk])
    form = DecisionForm(initial={"decision": response.decision, "reason": response.reason})
    if request.method == "POST":
        action = request.POST.get("action", "save")
        if action in (ResponseActionForm.PUBLISH, ResponseActionForm.DELETE):
            data = request.POST.copy()
            data.setlist("response", [str(response.pk)])
            fallback = reverse("consult_answers_responses", args=[draft.pk])
            if action == ResponseActionForm.PUBLISH:
                fallback = here
            return _act_on_responses(request, draft, data, fallback_url=fallback)
        form = DecisionForm(request.POST)
        if _update(request, response, form):
            return redirect(here)

    feedback = list(
        Feedback.objects.filter(response=response)
        .select_related("provision")
        .order_by("submit_date", "pk")
    )
    title = _("Answer #%(n)d") % {"n": response.pk}
    return TemplateResponse(
        request,
        "answers/admin/response.html",
        {
            "draft": draft,
            "response": response,
            "answer": _answer_summary(response, covered=len(feedback)),
            "form": form,
            "comments": [_comment(f, preview_chars=None) for f in feedback],
            "revisions": [
                _revision(revision) for revision in response.revisions.select_related("replaced_by")
            ],
            "responses_url": reverse("consult_answers_responses", args=[draft.pk]),
            "page_title": title,
            "header_title": title,
            "header_icon": "comment",
            "breadcrumbs_items": _breadcrumbs(
                draft=draft,
                extra=[
                    {
                        "url": reverse("consult_answers_responses", args=[draft.pk]),
                        "label": _("Answers"),
                    }
                ],
                here=title,
            ),
        },
    )


# Helpers


def _draft_for(request: HttpRequest, draft_id: int) -> DraftPage:
    draft = get_object_or_404(
        DraftPage.objects.defer_streamfields().select_related("agency"), pk=draft_id
    )
    if not can_answer(request.user, draft):
        raise PermissionDenied
    return draft


def _answer(
    request: HttpRequest, draft: DraftPage, form: AnswerForm, *, filters: InboxFilters
) -> bool:
    """Answer the ticked comments, or every comment the filters select that has no published
    answer yet; False (with the message shown) when nothing changed."""
    if not form.is_valid():
        messages.error(request, _errors(form))
        return False
    data = form.cleaned_data
    if data["everything"]:
        data["feedback"] = inbox.answerable_ids(draft, filters)
        if not data["feedback"]:
            messages.error(request, _("No comment the filters select is left to answer."))
            return False
    try:
        response = response_create(
            user=request.user,
            draft=draft,
            feedback_ids=data["feedback"],
            decision=data["decision"],
            reason=data["reason"],
            publish=data["publish"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    count = len(set(data["feedback"]))
    if data["publish"]:
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
    edit_url = reverse("consult_answers_response", args=[draft.pk, response.pk])
    messages.success(
        request, text % {"count": count}, buttons=[messages.button(edit_url, _("Edit"))]
    )
    return True


def _update(request: HttpRequest, response: Response, form: DecisionForm) -> bool:
    if not form.is_valid():
        messages.error(request, _errors(form))
        return False
    data = form.cleaned_data
    unchanged = data["decision"] == response.decision and data["reason"].strip() == response.reason
    try:
        response_update(
            user=request.user, response=response, decision=data["decision"], reason=data["reason"]
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


def _act_on_responses(request: HttpRequest, draft: DraftPage, data, *, fallback_url: str):
    """Publish or delete the answers in `data` (all or none), report it, and go back."""
    form = ResponseActionForm(data)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return redirect(_next_url(request, data.get("next"), fallback_url))
    ids = set(form.cleaned_data["response"])
    rows = list(Response.objects.filter(pk__in=ids, draft=draft))
    if len(rows) != len(ids):
        messages.error(request, _("Some of the selected answers no longer exist; reload the list."))
        return redirect(_next_url(request, data.get("next"), fallback_url))
    for row in rows:
        row.draft = draft
    action = form.cleaned_data["action"]
    try:
        if action == ResponseActionForm.PUBLISH:
            count = len(response_publish(user=request.user, responses=rows))
            text = ngettext(
                "%(count)d answer published; the authors of its comments are told.",
                "%(count)d answers published; the authors of their comments are told.",
                count,
            )
        else:
            with transaction.atomic():
                for row in rows:
                    response_delete(user=request.user, response=row)
            count = len(rows)
            text = ngettext(
                "%(count)d answer deleted; its comments are unanswered again.",
                "%(count)d answers deleted; their comments are unanswered again.",
                count,
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, text % {"count": count})
    return redirect(_next_url(request, data.get("next"), fallback_url))


def _errors(form: forms.Form) -> str:
    return " ".join(str(m) for errors in form.errors.values() for m in errors)


def _selected_ids(form: AnswerForm) -> set[int]:
    if not form.is_bound:
        return set()
    return {int(pk) for pk in form.data.getlist("feedback") if str(pk).isdigit()}


def _public_report_url(request: HttpRequest, draft: DraftPage) -> str:
    url = draft.get_url(request)
    return f"{url}{REPORT_PATH}" if url else ""


def _breadcrumbs(*, draft: DraftPage, here: str, extra: list[dict] = ()) -> list[dict]:
    return [
        {"url": reverse("wagtailadmin_home"), "label": _("Dashboard")},
        {"url": reverse("consult_answers"), "label": _("Answers")},
        {"url": reverse("consult_answers_inbox", args=[draft.pk]), "label": draft.title},
        *extra,
        {"url": "", "label": here},
    ]


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
    draft: DraftPage, feedback: Feedback, *, covered: dict[int, int], selected: set[int]
) -> dict:
    row = _comment(feedback)
    row["selected"] = feedback.pk in selected
    response = feedback.response
    row["answer"] = (
        _answer_summary(response, covered=covered.get(response.pk, 1), draft=draft)
        if response
        else None
    )
    return row


def _answer_summary(response: Response, *, covered: int, draft: DraftPage | None = None) -> dict:
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
        "url": reverse("consult_answers_response", args=[draft_id, response.pk]),
    }


def _revision(revision) -> dict:
    who = revision.replaced_by
    return {
        "decision": revision.get_decision_display(),
        "reason": revision.reason,
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
        "url": reverse("consult_answers_response", args=[draft.pk, response.pk]),
    }
