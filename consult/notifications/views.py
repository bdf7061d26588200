"""Public views of following: follow/unfollow buttons, the following page with the e-mail
switches, and the one-click unsubscribe link (RFC 8058)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from consult.notifications import selectors, services
from consult.notifications.models import KIND_DESCRIPTIONS, Kind
from consult.notifications.tokens import BadToken, unsubscribe_read
from drafts.models import Agency, DraftPage

FOLLOW_ACTIONS = {"follow": True, "unfollow": False}


def _back(request, default: str) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = default
    return HttpResponseRedirect(target)


def _follow(request, *, draft=None, agency=None, default: str):
    action = request.POST.get("action", "")
    if action not in FOLLOW_ACTIONS:
        return HttpResponseBadRequest(_("Choose to follow or to stop following."))
    following = services.follow_set(
        user=request.user,
        draft=draft,
        agency=agency,
        following=FOLLOW_ACTIONS[action],
        language=get_language() or "vi",
    )
    name = draft.title if draft is not None else agency.name
    if following:
        messages.success(
            request, _("You follow “%(name)s”: its news will come by e-mail.") % {"name": name}
        )
    else:
        messages.success(request, _("You no longer follow “%(name)s”.") % {"name": name})
    return _back(request, default)


@login_required
@require_POST
def follow_draft(request, draft_id: int):
    """Follow or stop following a live, public draft (POST `action` = follow | unfollow,
    `next`); 404 for a draft under a view restriction (private, password, groups)."""
    draft = get_object_or_404(DraftPage.objects.live().public().defer_streamfields(), pk=draft_id)
    return _follow(request, draft=draft, default=draft.url)


@login_required
@require_POST
def follow_agency(request, key: str):
    """Follow or stop following an agency (named by its slug or code): all its drafts."""
    agency = Agency.objects.filter(Q(slug=key) | Q(code=key.upper())).order_by("pk").first()
    if agency is None:
        raise Http404
    return _follow(request, agency=agency, default=f"/co-quan/{agency.slug}/")


def _kind_choices(request) -> list[dict]:
    off = selectors.kinds_off(request.user.email)
    staff = request.user.agencies.exists()
    return [
        {"value": value, "label": label, "on": value not in off}
        for value, label in Kind.choices
        if value != Kind.DIGEST or staff
    ]


@login_required
@require_GET
def following(request):
    """What the signed-in person follows, each with a button to stop, and the kinds of
    e-mail they receive, with switches."""
    return TemplateResponse(
        request,
        "notifications/following.html",
        {
            "follows": selectors.follows_of(request.user),
            "kinds": _kind_choices(request),
            "email": request.user.email,
        },
    )


@login_required
@require_POST
def preferences(request):
    """Save the e-mail switches of the following page (every kind not ticked is off)."""
    if request.POST.get("form") != "kinds" or not request.user.email:
        return HttpResponseBadRequest(_("The e-mail settings could not be read; try again."))
    shown = {choice["value"] for choice in _kind_choices(request)}
    off = selectors.kinds_off(request.user.email)
    on = {k for k in request.POST.getlist("kinds") if k in shown}
    # Kinds the page does not show (the staff digest, to others) keep their state.
    on |= {k for k in Kind.values if k not in shown and k not in off}
    services.kinds_set(email=request.user.email, kinds_on=on)
    messages.success(request, _("Your e-mail settings are saved."))
    return HttpResponseRedirect(reverse("notifications:following"))


# The one-click POST of a mail client has no session (RFC 8058): the signed token is the proof.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """GET: a page with one button (mail scanners fetch links); POST (the button, or a mail
    client's `List-Unsubscribe=One-Click`): the kind of e-mail is turned off for the address."""
    try:
        email, kind = unsubscribe_read(token)
    except BadToken:
        return TemplateResponse(
            request, "notifications/unsubscribe.html", {"invalid": True}, status=400
        )
    context = {"email": email, "kind_description": KIND_DESCRIPTIONS[kind], "done": False}
    if request.method == "POST":
        services.optout_add(email=email, kind=kind)
        context["done"] = True
    return TemplateResponse(request, "notifications/unsubscribe.html", context)
