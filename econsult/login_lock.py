"""How django-axes counts and refuses log-in failures (settings AXES_*_CALLABLE).

A failure counts against the pair (account, network address). The account is the one the
typed login names — its username, whether the person typed the username, the e-mail address,
or either in other letter case — so switching between them gives no extra tries; a login that
names no account counts under what was typed, case-folded. Locking the pair, not the account,
keeps the owner able to sign in from anywhere else while someone guesses from one address.
"""

from datetime import timedelta

from axes.backends import AxesStandaloneBackend
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

ADMIN_PREFIXES = ("/admin/", "/django-admin/")


class LoginLockBackend(AxesStandaloneBackend):
    """django-axes' lock check, first in AUTHENTICATION_BACKENDS: refuses a locked pair.

    Every log-in form passes the request to `authenticate()`; a call without one (a management
    command, Django's test client `login()`) comes from no network address, so there is no
    pair to check and the other backends decide, instead of axes raising ValueError.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def _typed_login(request: HttpRequest, credentials: dict | None) -> str:
    """The login as given to `authenticate()`, or as posted by a log-in form."""
    credentials = credentials or {}
    for key in ("username", "email", "login"):
        if credentials.get(key):
            return str(credentials[key])
    for key in ("login", "username", "email"):
        if request is not None and request.POST.get(key):
            return request.POST[key]
    return ""


def login_key(request: HttpRequest, credentials: dict | None) -> str:
    """The account part of the lock-out pair: the named account's username, or the login
    typed (stripped and case-folded) when it names no account. "" when nothing was typed."""
    typed = _typed_login(request, credentials).strip()
    if not typed:
        return ""
    cache = getattr(request, "_login_keys", None)
    if cache is None:
        cache = {}
        if request is not None:
            request._login_keys = cache
    if typed not in cache:
        users = get_user_model().objects.all()
        lookup = {"email__iexact": typed} if "@" in typed else {"username__iexact": typed}
        usernames = list(users.filter(**lookup).values_list("username", flat=True)[:2])
        if "@" in typed and not usernames:
            from allauth.account.models import EmailAddress

            usernames = list(
                EmailAddress.objects.filter(email__iexact=typed).values_list(
                    "user__username", flat=True
                )[:2]
            )
        cache[typed] = usernames[0] if len(usernames) == 1 else typed.casefold()
    return cache[typed]


def client_address(request: HttpRequest) -> str | None:
    """The network part of the pair: REMOTE_ADDR, which the reverse proxy must set."""
    return request.META.get("REMOTE_ADDR")


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """The page shown instead of logging in while the pair is locked out (HTTP 429).

    The staff log-ins get a plain page that links back to their form; the public one keeps the
    site's layout and offers a password reset.
    """
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request) or timedelta(0)
    context = {"cooloff_minutes": max(1, round(cool_off.total_seconds() / 60))}
    if request.path.startswith(ADMIN_PREFIXES):
        context["login_url"] = request.path
        template = "econsult/login_locked_admin.html"
    else:
        template = "account/login_locked.html"
    return render(request, template, context, status=429)
