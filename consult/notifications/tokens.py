"""Signed one-click unsubscribe links: one per (e-mail address, kind of e-mail).

The token is django.core.signing's (SECRET_KEY, with a salt of its own), so it cannot be made
for an address or a kind it was not given for; it does not expire: a link in an old e-mail
must still stop the e-mails (RFC 8058).
"""

from __future__ import annotations

from collections.abc import Callable

from django.core import signing
from django.urls import reverse

from consult.feedback.notifications import absolute_url
from consult.notifications.models import Kind

SALT = "consult.notifications.unsubscribe"


class BadToken(ValueError):
    """An unsubscribe token that was altered, cut short or names no kind of e-mail."""


def unsubscribe_token(email: str, kind: str) -> str:
    """The token of (`email`, `kind`), e.g. "WyJhQGIudm4iLCJyZXBseSJd:1x…" (URL-safe)."""
    return signing.dumps([email.lower(), str(kind)], salt=SALT, compress=True)


def unsubscribe_read(token: str) -> tuple[str, str]:
    """(address, kind) of a token; raises BadToken when it is not one this site made."""
    try:
        email, kind = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise BadToken(token) from exc
    if kind not in Kind.values or not isinstance(email, str) or "@" not in email:
        raise BadToken(token)
    return email, kind


def unsubscribe_url(email: str, kind: str) -> str:
    """The absolute one-click unsubscribe link of (`email`, `kind`)."""
    return absolute_url(reverse("notifications:unsubscribe", args=[unsubscribe_token(email, kind)]))


def unsubscribe_url_maker(kind: str) -> Callable[[str], str]:
    """`unsubscribe_url(…, kind)` for many addresses: the URL is reversed once, not per
    address (a batch of a thousand e-mails)."""
    placeholder = "TOKEN"
    pattern = absolute_url(reverse("notifications:unsubscribe", args=[placeholder]))
    head, tail = pattern.rsplit(placeholder, 1)
    return lambda email: f"{head}{unsubscribe_token(email, kind)}{tail}"
