"""The admin screens of requests for opinions (Law 64/2025 Art. 30).

Drafting side ("Đề nghị góp ý", namespace `opinions_sent`): the requests sent for the drafts
of the user's agencies with each invitation's status, the form to send one, and the request
letter. Invited side ("Ý kiến được đề nghị", namespace `opinions_received`): the invitations
to the user's agencies with their deadline, the screen to write, replace or withdraw the
agency's official opinion.

Every screen asks the one agency rule (services.can_request / can_give); an object of
another agency answers 404, as one that does not exist.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from consult.opinions import selectors, services
from consult.opinions.forms import (
    PROVISION_ROWS_MAX,
    GeneralOpinionForm,
    OpinionRequestForm,
    ProvisionOpinionFormSet,
    WithdrawForm,
    ask_file_again,
)
from consult.opinions.models import OpinionInvitation, OpinionRequest, OpinionSubmission
from consult.opinions.notifications import agencies_unreachable
from consult.opinions.views import pdf_response
from drafts.models import DraftPage
from drafts.permissions import agency_policy
from drafts.selectors import provision_choices

SENT, RECEIVED = "opinions_sent", "opinions_received"
PROVISION_ROWS = 3  # empty provision rows offered; "add rows" offers 3 more each time


def can_request_any(user) -> bool:
    return agency_policy.user_has_permission(user, services.REQUEST)


def has_drafts_to_request(user) -> bool:
    """Whether some draft is `user`'s agency's to ask opinions on (one query)."""
    return agency_policy.instances_user_has_any_permission_for(user, [services.REQUEST]).exists()


def can_give_any(user) -> bool:
    return agency_policy.user_has_permission(user, services.GIVE)


class RequestingMixin:
    """Views of the drafting side: refused (403) to people who draft for no agency."""

    def dispatch(self, request, *args, **kwargs):
        if not can_request_any(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @property
    def drafts(self):
        return agency_policy.instances_user_has_any_permission_for(
            self.request.user, [services.REQUEST]
        ).order_by("title")


class SentIndexView(RequestingMixin, WagtailAdminTemplateMixin, TemplateView):
    """The requests sent for the user's agencies' drafts, newest first, with each invited
    agency's status (waiting, answered on time, answered late, overdue)."""

    template_name = "opinions/admin/sent_index.html"
    page_title = gettext_lazy("Requests for opinions")
    header_icon = "mail"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        requests = list(
            OpinionRequest.objects.filter(draft__in=self.drafts.values("pk"))
            .select_related("draft", "sent_by")
            .defer("draft__body", "draft__summary")[:200]
        )
        invitations = selectors.invitations_with_status(
            OpinionInvitation.objects.filter(request__in=[r.pk for r in requests])
        )
        by_request: dict[int, list] = {}
        for invitation in invitations:
            by_request.setdefault(invitation.request_id, []).append(invitation)
        unreachable = agencies_unreachable({i.agency_id for i in invitations})
        for invitation in invitations:
            invitation.unreachable = invitation.agency_id in unreachable
        for row in requests:
            row.rows = by_request.get(row.pk, [])
            row.overdue_count = sum(1 for i in row.rows if i.is_overdue)
        context.update(requests=requests, add_url=reverse(f"{SENT}:add"))
        return context

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]


class SentCreateView(RequestingMixin, WagtailAdminTemplateMixin, FormView):
    """Send a request: one of the user's agencies' drafts, the agencies asked, the letter
    (a real PDF) and the deadline (15 days by default)."""

    form_class = OpinionRequestForm
    template_name = "wagtailadmin/generic/form.html"
    page_title = gettext_lazy("Ask agencies for their opinion")
    header_icon = "mail"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["drafts"] = self.drafts
        if not agency_policy.is_superuser(self.request.user):
            kwargs["own_agency_ids"] = agency_policy.agency_ids(self.request.user, services.REQUEST)
        if draft := self.request.GET.get("draft"):
            kwargs["initial"] = {"draft": draft}
        return kwargs

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(f"{SENT}:index"), "label": _("Requests for opinions")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            action_url=reverse(f"{SENT}:add"),
            submit_button_label=_("Send the request"),
            submit_button_active_label=_("Sending…"),
            media=context["form"].media,
        )
        return context

    def form_invalid(self, form):
        ask_file_again(form, "letter")
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            request = services.opinion_request_send(
                user=self.request.user,
                draft=data["draft"],
                agencies=list(data["agencies"]),
                subject=data["subject"],
                message=data["message"],
                reference=data["reference"],
                letter=data["letter"],
                deadline=form.deadline_at,
            )
        except ValidationError as refused:
            form.add_error(None, refused.messages[0])
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The request was sent to %(agencies)s; opinions are due by %(deadline)s.")
            % {
                "agencies": ", ".join(a.name for a in data["agencies"]),
                "deadline": timezone.localtime(request.deadline).strftime("%H:%M %d/%m/%Y"),
            },
        )
        unreachable = agencies_unreachable(a.pk for a in data["agencies"])
        if unreachable:
            messages.warning(
                self.request,
                _(
                    "Nobody at %(agencies)s can receive the request on the platform: the agency "
                    "has no active staff account. Send the letter to it by other means."
                )
                % {"agencies": ", ".join(a.name for a in data["agencies"] if a.pk in unreachable)},
            )
        return redirect(f"{SENT}:index")


def request_letter(request, request_id: int):
    """The request letter: for the drafting agency's staff and the invited agencies' staff."""
    found = (
        OpinionRequest.objects.select_related("draft")
        .defer("draft__body", "draft__summary")
        .filter(pk=request_id)
        .first()
    )
    if found is None:
        raise Http404
    allowed = services.can_request(request.user, found) or any(
        services.can_give(request.user, invitation) for invitation in found.invitations.all()
    )
    if not allowed:
        raise Http404
    return pdf_response(found.letter, f"de-nghi-gop-y-{found.pk}.pdf")


class ReceivedMixin:
    """Views of the invited side: refused (403) to people who act for no agency."""

    def dispatch(self, request, *args, **kwargs):
        if not can_give_any(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ReceivedIndexView(ReceivedMixin, WagtailAdminTemplateMixin, TemplateView):
    """The requests for opinions sent to the user's agencies: those still to answer (overdue
    or waiting) first, soonest deadline first; then those answered, latest deadline first."""

    template_name = "opinions/admin/received_index.html"
    page_title = gettext_lazy("Opinions requested from us")
    header_icon = "mail"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        invitations = OpinionInvitation.objects.all()
        if not agency_policy.is_superuser(self.request.user):
            invitations = invitations.filter(
                agency_id__in=agency_policy.agency_ids(self.request.user, services.GIVE)
            )
        current = OpinionSubmission.State.CURRENT
        to_answer = selectors.invitations_with_status(
            invitations.exclude(submissions__state=current).order_by("request__deadline", "pk")[
                :300
            ]
        )
        answered = selectors.invitations_with_status(
            invitations.filter(submissions__state=current).order_by("-request__deadline", "pk")[
                :300
            ]
        )
        context["invitations"] = to_answer + answered
        return context

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]


class AnswerView(ReceivedMixin, WagtailAdminTemplateMixin, TemplateView):
    """One invitation: the request, the agency's current opinion and its record, and the
    form to submit the opinion (or to replace the current one). POST submits."""

    template_name = "opinions/admin/answer.html"
    header_icon = "mail"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self._invitation = None

    @property
    def invitation(self) -> OpinionInvitation:
        if self._invitation is None:
            self._invitation = services.invitation_for(
                self.request.user, self.kwargs["invitation_id"]
            )
        return self._invitation

    def get_page_title(self):
        return _("Opinion of %(agency)s") % {"agency": self.invitation.agency.name}

    def get_page_subtitle(self):
        return self.invitation.request.draft.title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(f"{RECEIVED}:index"), "label": _("Opinions requested from us")},
            {"url": "", "label": self.get_page_title()},
        ]

    @property
    def draft(self) -> DraftPage:
        return self.invitation.request.draft

    def rows_wanted(self) -> int:
        try:
            wanted = int(self.request.GET.get("dong", PROVISION_ROWS))
        except ValueError:
            wanted = PROVISION_ROWS
        return max(1, min(wanted, PROVISION_ROWS_MAX))

    def forms(self, data=None, files=None):
        choices = provision_choices(self.draft, title_chars=60, cite=True, by_article=True)
        general = GeneralOpinionForm(data, files, prefix="general")
        formset = ProvisionOpinionFormSet(
            data,
            prefix="provisions",
            form_kwargs={"draft": self.draft, "choices": choices},
            initial=None if data else [{}] * self.rows_wanted(),
        )
        return general, formset

    def get(self, request, *args, **kwargs):
        self.invitation  # noqa: B018 - refuse before reading anything
        general, formset = self.forms()
        return self.render_to_response(self.get_context_data(general=general, formset=formset))

    def post(self, request, *args, **kwargs):
        invitation = self.invitation
        # The form offers at most PROVISION_ROWS_MAX rows: a larger count was not typed by
        # anyone, and is refused before a single row is built (each renders every provision).
        try:
            rows = int(request.POST.get("provisions-TOTAL_FORMS", "0"))
        except ValueError:
            rows = -1
        if not 0 <= rows <= PROVISION_ROWS_MAX:
            return HttpResponseBadRequest(
                _("An opinion has at most %(count)d provision rows; reload the form.")
                % {"count": PROVISION_ROWS_MAX}
            )
        general, formset = self.forms(request.POST, request.FILES)
        valid = general.is_valid() & formset.is_valid()
        # Every error at once: "write something" with the fields' own errors.
        written = request.POST.get("general-comment", "").strip() or any(
            request.POST.get(f"{form.prefix}-comment", "").strip() for form in formset
        )
        if not written:
            general.add_error(
                None, _("Write the opinion on the draft or on at least one provision.")
            )
            valid = False
        if not valid:
            ask_file_again(general, "letter")
            return self.render_to_response(
                self.get_context_data(general=general, formset=formset), status=400
            )
        parts = []
        if general.cleaned_data["comment"]:
            parts.append(
                services.OpinionPart(
                    comment=general.cleaned_data["comment"],
                    stance=general.cleaned_data["stance"],
                )
            )
        for form in formset:
            data = form.cleaned_data
            if data.get("provision") and data.get("comment"):
                parts.append(
                    services.OpinionPart(
                        comment=data["comment"],
                        provision=data["provision"],
                        stance=data.get("stance", ""),
                        proposed_wording=data.get("proposed_wording", ""),
                    )
                )
        replacing = OpinionSubmission.objects.filter(
            invitation=invitation, state=OpinionSubmission.State.CURRENT
        ).exists()
        try:
            services.opinion_submit(
                user=request.user,
                invitation=invitation,
                letter=general.cleaned_data["letter"],
                parts=parts,
            )
        except ValidationError as refused:
            general.add_error(None, refused.messages[0])
            ask_file_again(general, "letter")
            return self.render_to_response(
                self.get_context_data(general=general, formset=formset), status=400
            )
        messages.success(
            request,
            _("The new opinion of %(agency)s replaced the earlier one, which stays on record.")
            % {"agency": invitation.agency.name}
            if replacing
            else _("The opinion of %(agency)s was submitted and is now public on the draft.")
            % {"agency": invitation.agency.name},
            buttons=[messages.button(self.draft.url, _("View"), True)] if self.draft.url else None,
        )
        return redirect(f"{RECEIVED}:answer", invitation.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        invitation = self.invitation
        row = selectors.invitations_with_status(OpinionInvitation.objects.filter(pk=invitation.pk))[
            0
        ]
        submissions = list(
            invitation.submissions.select_related("submitted_by").prefetch_related(
                "items__feedback__provision"
            )
        )
        current = next((s for s in submissions if s.state == OpinionSubmission.State.CURRENT), None)
        context.update(
            invitation=invitation,
            request_row=invitation.request,
            status=row,
            current=current,
            record=[s for s in submissions if s is not current],
            withdraw_form=WithdrawForm(),
            more_rows_url=f"?dong={self.rows_wanted() + PROVISION_ROWS}",
            request_letter_url=reverse(f"{SENT}:letter", args=[invitation.request_id]),
        )
        return context


class WithdrawView(AnswerView):
    """Withdraw the agency's current opinion, with a reason (POST); GET shows the screen."""

    def post(self, request, *args, **kwargs):
        invitation = self.invitation
        form = WithdrawForm(request.POST)
        current = OpinionSubmission.objects.filter(
            invitation=invitation, state=OpinionSubmission.State.CURRENT
        ).first()
        error = None
        if current is None:
            error = _("There is no current opinion to withdraw.")
        elif form.is_valid():
            try:
                services.opinion_withdraw(
                    user=request.user, submission=current, reason=form.cleaned_data["reason"]
                )
            except ValidationError as refused:
                error = refused.messages[0]
        else:
            error = " ".join(message for errors in form.errors.values() for message in errors)
        if error:
            general, formset = self.forms()
            context = self.get_context_data(general=general, formset=formset)
            context["withdraw_form"] = form
            context["withdraw_error"] = error
            return self.render_to_response(context, status=400)
        messages.success(
            request,
            _("The opinion of %(agency)s was withdrawn; it stays on record.")
            % {"agency": invitation.agency.name},
        )
        return redirect(f"{RECEIVED}:answer", invitation.pk)
