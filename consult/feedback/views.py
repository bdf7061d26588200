"""Public views of feedback: the conversation on a provision with its form, endorsing,
flagging, confirming by e-mail, and attachments served with safe headers."""

from __future__ import annotations

import uuid
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consult.feedback import selectors, services
from consult.feedback.counters import public_feedback_filter
from consult.feedback.forms import FeedbackForm, FlagForm
from consult.feedback.models import Feedback
from drafts.models import DraftPage, Provision
from drafts.permissions import ANSWER, MODERATE, agency_policy
from drafts.selectors import provision_lookup


def client_ip(request) -> str | None:
    """The visitor's address; behind a proxy, set the proxy to pass REMOTE_ADDR correctly."""
    return request.META.get("REMOTE_ADDR")


# The conversation on a provision of an earlier version that the current one left out:
# `gop-y/<anchor>/?phien-ban=<n>`, read-only.
VERSION_PARAM = "phien-ban"


def _thread_url(draft: DraftPage, provision: Provision | None, earlier: int | None = None) -> str:
    if provision is None:
        return f"{draft.url}gop-y/"
    url = f"{draft.url}gop-y/{provision.anchor}/"
    return f"{url}?{VERSION_PARAM}={earlier}" if earlier else url


def _live_now(draft: DraftPage, key) -> Provision | None:
    """The current version's live provision with this key, or None if it left it out."""
    return (
        Provision.objects.filter(
            version__page_id=draft.pk,
            version__number=draft.version_number,
            key=key,
            withdrawn=False,
        )
        .only("anchor")
        .first()
    )


def _earlier_provision(draft: DraftPage, anchor: str, number: int) -> Provision:
    """The live provision `anchor` of Dự thảo `number` (not the current one); 404 if none."""
    provision = (
        Provision.objects.filter(
            version__page=draft, version__number=number, anchor=anchor, withdrawn=False
        )
        .select_related("version")
        .first()
    )
    if provision is None:
        raise Http404
    return provision


def feedback_thread(request, draft: DraftPage, anchor: str | None = None):
    """One provision (or the whole draft): its text, its conversation and the form to join it.

    Works without JavaScript: the form posts here and the page comes back with the comment.
    """
    provision = None
    earlier = None  # Dự thảo N, for a provision that the current version left out
    if anchor is not None:
        raw = request.GET.get(VERSION_PARAM, "") if request.method == "GET" else ""
        number = int(raw) if raw.isdigit() else None
        if number is not None and number != draft.version_number:
            provision = _earlier_provision(draft, anchor, number)
            now = _live_now(draft, provision.key)
            if now is not None:  # still in the draft: its conversation is the current one
                return redirect(_thread_url(draft, now))
            earlier = number
        else:
            provision = provision_lookup(draft, anchor=anchor).select_related("version").first()
            if provision is None and request.method == "GET":
                # A link made on an earlier version to a provision the current one no
                # longer names so: to where that provision is now (by key), or to its
                # read-only conversation.
                before = (
                    Provision.objects.filter(version__page=draft, anchor=anchor, withdrawn=False)
                    .select_related("version")
                    .order_by("-version__number")
                    .first()
                )
                if before is not None:
                    now = _live_now(draft, before.key)
                    if now is not None:
                        return redirect(_thread_url(draft, now))
                    return redirect(_thread_url(draft, before, before.version.number))
        if provision is None:
            raise Http404
    user = request.user if request.user.is_authenticated else None
    asked, reply_to = _reply_target(request, draft)
    reply_refusal = services.reply_refusal(draft=draft, parent=reply_to) if asked else None
    status = 200
    form = None
    refusal = services.window_refusal(draft)
    if earlier is not None:
        refusal = _(
            "This provision is no longer in the current draft: comment on the current draft "
            "instead."
        )
    # A consultation that requires an identity verified by the national provider: the form
    # gives way to an explanation and the provider's sign-in button (templates/socialaccount/
    # snippets/national_sign_in.html); a POST anyway is refused below, nothing stored.
    identity_needed = False
    if refusal is None and (needed := services.assurance_refusal(draft, user)):
        refusal, identity_needed = needed, True
    sign_in_would_help = refusal is None and user is None and not draft.allow_anonymous
    if sign_in_would_help:
        refusal = _("Sign in to comment on this consultation.")

    if request.method == "POST":
        form = FeedbackForm(draft, data=request.POST, files=request.FILES, user=user, reply=asked)
        if refusal or reply_refusal:
            # Refused before anything is stored; the bound form keeps the text typed.
            form.is_valid()
            form.add_error(None, refusal or reply_refusal)
            status = 403 if refusal else 409
        elif form.is_valid():
            data = form.cleaned_data
            try:
                feedback, _created = services.feedback_submit(
                    draft=draft,
                    author=services.Author(
                        user=user,
                        name=data.get("name", ""),
                        email=data.get("email", ""),
                        ip_address=client_ip(request),
                    ),
                    text=data["comment"],
                    provision=provision,
                    parent=reply_to,
                    stance=data.get("stance", ""),
                    proposed_wording=data.get("proposed_wording", ""),
                    respondent_type=data["respondent_type"],
                    organisation=data.get("organisation", ""),
                    province=data.get("province", ""),
                    show_name=data.get("show_name", False),
                    followup=data.get("followup", False),
                    attachment=data.get("attachment"),
                    attachment_type=getattr(form, "attachment_type", ""),
                    submission_key=data["submission_key"],
                )
            except services.FeedbackRefused as refused:
                messages.error(request, refused.message)
                status = refused.status
            else:
                remember_province(request, data.get("province", ""))
                if not feedback.email_confirmed:
                    messages.success(
                        request,
                        _("Almost done: open the link we sent to %(email)s to publish it.")
                        % {"email": feedback.user_email},
                    )
                elif not feedback.is_public:
                    messages.success(
                        request,
                        _("Thank you. Your comment will appear once a moderator approves it."),
                    )
                else:
                    messages.success(request, _("Thank you. Your comment is published."))
                return back_to_thread(feedback)
        else:
            status = 400
    if reply_refusal and request.method != "POST":
        messages.warning(request, reply_refusal)
        reply_to = None
    if form is None and refusal is None:
        form = FeedbackForm(
            draft,
            user=user,
            reply=reply_to is not None,
            initial={
                "submission_key": uuid.uuid4(),
                "reply_to": reply_to.pk if reply_to else 0,
                "province": remembered_province(request, user),
            },
        )

    comments, threads = selectors.thread_feedback(
        draft=draft, provision=provision, user=user, page=request.GET.get("trang", 1)
    )
    context = {
        "page": draft,
        "draft": draft,
        "provision": provision,
        "comments": comments,
        "threads": threads,
        # A refused POST keeps its bound form, so the text typed is never lost.
        "form": form if refusal is None or request.method == "POST" else None,
        "refusal": refusal,
        # Sign-in buttons only where signing in lets one comment (not when closed).
        "offer_sign_in": sign_in_would_help,
        "offer_national_sign_in": identity_needed,
        "reply_to": None if reply_refusal else reply_to,
        "flag_form": FlagForm(),
        "thread_url": _thread_url(draft, provision, earlier),
        "earlier_version": earlier,
        "post_url": (
            reverse("feedback:post", args=[draft.pk, provision.anchor])
            if provision
            else reverse("feedback:post_draft", args=[draft.pk])
        ),
    }
    return TemplateResponse(request, "feedback/thread.html", context, status=status)


# The session key under which the province of a visitor's last comment is kept.
PROVINCE_SESSION_KEY = "feedback_province"


def remember_province(request, province: str) -> None:
    """Keep the province of the comment just sent for the visitor's next one (in the session,
    which is all an anonymous visitor has; a blank choice forgets it)."""
    if province:
        request.session[PROVINCE_SESSION_KEY] = province
    else:
        request.session.pop(PROVINCE_SESSION_KEY, None)


def remembered_province(request, user) -> str:
    """The province to pre-fill: the one of the signed-in person's latest comment that gave
    one, else the one kept in the session from this visitor's last comment; '' if none."""
    if user is not None:
        latest = (
            Feedback.objects.filter(user=user)
            .exclude(province="")
            .order_by("-submit_date", "-pk")
            .values_list("province", flat=True)
            .first()
        )
        if latest:
            return latest
    return request.session.get(PROVINCE_SESSION_KEY, "")


@require_POST
def feedback_post(request, draft_id: int, anchor: str | None = None):
    """Where the feedback form posts: the conversation page's own POST without the cost of
    routing through the page tree, which matters when thousands post at once."""
    draft = get_object_or_404(DraftPage.objects.live().defer_streamfields(), pk=draft_id)
    return feedback_thread(request, draft, anchor)


def _reply_target(request, draft: DraftPage) -> tuple[bool, Feedback | None]:
    """Whether the request replies to a comment, and that comment of `draft` in whatever state
    (None if there is none): `services.reply_refusal` judges it, never this lookup, so a reply
    to a comment that cannot take one is refused rather than stored as a new conversation."""
    raw = request.POST.get("reply_to") or request.GET.get("reply")
    try:
        pk = int(raw or 0)
    except ValueError:
        return True, None
    if not pk:
        return False, None
    return True, Feedback.objects.filter(draft=draft, pk=pk).select_related("provision").first()


def comment_action(view):
    """A person's action on a comment (endorse, withdraw, flag, rate its answer): done by
    POST. A GET, which is where the sign-in page sends someone back after an action asked
    them to sign in, lands on the comment in its conversation so they can act there; a
    comment that is not public answers 404. Other methods answer 405."""

    @wraps(view)
    def wrapper(request, pk: int, *args, **kwargs):
        if request.method == "GET":
            feedback = get_object_or_404(
                Feedback.objects.filter(public_feedback_filter()).select_related("draft"), pk=pk
            )
            return back_to_thread(feedback)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        return view(request, pk, *args, **kwargs)

    return wrapper


def back_to_thread(feedback: Feedback) -> HttpResponseRedirect:
    """To the comment on its conversation page, on the page of threads that holds it: a
    comment made on an earlier version is in the conversation on its provision in the current
    version (same key), whatever that provision is numbered now."""
    provision, earlier = provision_now(feedback)
    same_place = (
        Q(provision__key=feedback.provision.key) if feedback.provision_id else Q(provision=None)
    )
    earlier_threads = (
        Feedback.objects.filter(
            same_place,
            public_feedback_filter(),
            draft_id=feedback.draft_id,
            level=0,
            thread_id__lt=feedback.thread_id,
        ).count()
        if feedback.thread_id
        else 0
    )
    page = earlier_threads // selectors.THREADS_PER_PAGE + 1
    url = _thread_url(feedback.draft, provision, earlier)
    query = f"{'&' if '?' in url else '?'}trang={page}" if page > 1 else ""
    return HttpResponseRedirect(f"{url}{query}#c{feedback.pk}")


def provision_now(feedback: Feedback) -> tuple[Provision | None, int | None]:
    """Where the comment's conversation is, following its provision by key only (an anchor
    may name another provision in another version): (the current version's provision with
    that key, None); if the current version left it out, (its row in the last version that
    has it, that version's number), a read-only conversation; (None, None) for a comment on
    the draft as a whole."""
    made_on = feedback.provision
    if made_on is None:
        return None, None
    draft = feedback.draft
    now = _live_now(draft, made_on.key)
    if now is not None:
        return now, None
    last = (
        Provision.objects.filter(version__page_id=draft.pk, key=made_on.key, withdrawn=False)
        .select_related("version")
        .order_by("-version__number")
        .first()
    ) or made_on
    return last, last.version.number


@comment_action
@login_required
def endorse(request, pk: int):
    feedback = get_object_or_404(Feedback.objects.select_related("draft", "provision"), pk=pk)
    try:
        if services.feedback_endorse(feedback=feedback, user=request.user):
            messages.success(request, _("You endorsed this comment."))
        else:
            messages.info(request, _("You have already endorsed this comment."))
    except services.FeedbackRefused as refused:
        messages.error(request, refused.message)
    return back_to_thread(feedback)


@comment_action
@login_required
def unendorse(request, pk: int):
    """Withdraw one's endorsement of a comment."""
    feedback = get_object_or_404(Feedback.objects.select_related("draft", "provision"), pk=pk)
    if services.feedback_unendorse(feedback=feedback, user=request.user):
        messages.success(request, _("You withdrew your endorsement."))
    else:
        messages.info(request, _("You had not endorsed this comment."))
    return back_to_thread(feedback)


@comment_action
@login_required
def flag(request, pk: int):
    feedback = get_object_or_404(Feedback.objects.select_related("draft", "provision"), pk=pk)
    form = FlagForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose why you are reporting this comment."))
        return back_to_thread(feedback)
    try:
        services.feedback_flag(
            feedback=feedback, user=request.user, reason=form.cleaned_data["reason"]
        )
    except (services.FeedbackRefused, ValidationError) as refused:
        messages.error(request, getattr(refused, "message", str(refused)))
    else:
        messages.success(request, _("Thank you: the moderators will look at this comment."))
    return back_to_thread(feedback)


def confirm(request, token: str):
    """The link e-mailed to a commenter without an account."""
    try:
        feedback = services.feedback_confirm(token=token)
    except services.FeedbackRefused as refused:
        return TemplateResponse(
            request, "feedback/confirm_failed.html", {"message": refused.message}, status=400
        )
    if feedback.is_public:
        messages.success(request, _("Thank you: your comment is confirmed and published."))
    else:
        messages.success(
            request, _("Thank you: your comment is confirmed and will appear once approved.")
        )
    return back_to_thread(feedback)


ATTACHMENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def attachment(request, pk: int):
    """An official letter attached to a comment, downloaded, never rendered by the browser."""
    feedback = get_object_or_404(Feedback.objects.select_related("draft"), pk=pk)
    readable = (
        Feedback.objects.filter(public_feedback_filter(), pk=pk).exists()
        or (request.user.is_authenticated and feedback.user_id == request.user.pk)
        or agency_policy.user_has_any_permission_for_instance(
            request.user, {ANSWER, MODERATE}, feedback.draft
        )
    )
    if not feedback.attachment or not readable or feedback.attachment_type not in ATTACHMENT_TYPES:
        raise Http404
    response = FileResponse(
        feedback.attachment.open("rb"),
        as_attachment=True,
        filename=f"gop-y-{feedback.pk}.{feedback.attachment_type}",
        content_type=ATTACHMENT_TYPES[feedback.attachment_type],
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def feedback_redirect(request, pk: int):
    feedback = get_object_or_404(
        Feedback.objects.filter(public_feedback_filter()).select_related("draft", "provision"),
        pk=pk,
    )
    return redirect(back_to_thread(feedback).url)
