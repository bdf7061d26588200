"""Signed, encrypted one-click unsubscribe links: one per (e-mail address, kind of e-mail).

The token is the (address, kind) encrypted and authenticated with Fernet (cryptography's
AES-CBC + HMAC recipe) under a key derived from SECRET_KEY and a salt of its own, so it is
opaque (the address does not show in access logs or a forwarded link) and cannot be made for
an address or a kind it was not given for. Keys of SECRET_KEY_FALLBACKS still read it. It
does not expire: a link in an old e-mail must still stop the e-mails (RFC 8058).
"""

from __future__ import annotations

import base64
from collections.abc import Callable

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.crypto import salted_hmac

from consult.feedback.notifications import absolute_url
from consult.notifications.models import Kind

SALT = "consult.notifications.unsubscribe"


class BadToken(ValueError):
    """An unsubscribe token that was altered, cut short or names no kind of e-mail."""


def _fernet() -> MultiFernet:
    """Fernet keys from SECRET_KEY (encrypts) and SECRET_KEY_FALLBACKS (still read)."""
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet(
        [
            Fernet(
                base64.urlsafe_b64encode(
                    salted_hmac(SALT, "fernet", secret=s, algorithm="sha256").digest()
                )
            )
            for s in secrets
        ]
    )


def unsubscribe_token(email: str, kind: str) -> str:
    """The opaque token of (`email`, `kind`): about 120 URL-safe characters."""
    plain = f"{kind}\n{email.lower()}".encode()
    return _fernet().encrypt(plain).decode().rstrip("=")


def unsubscribe_read(token: str) -> tuple[str, str]:
    """(address, kind) of a token; raises BadToken when it is not one this site made."""
    try:
        kind, email = _fernet().decrypt(token + "=" * (-len(token) % 4)).decode().split("\n", 1)
    except (InvalidToken, ValueError, TypeError):
        email, kind = _legacy_read(token)
    if kind not in Kind.values or not isinstance(email, str) or "@" not in email:
        raise BadToken(token)
    return email, kind


def _legacy_read(token: str) -> tuple[str, str]:
    """The first links (signed, not encrypted: "WyJh…:1x…:…"), in e-mails already sent."""
    try:
        email, kind = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise BadToken(token) from exc
    return email, kind


def unsubscribe_url(email: str, kind: str) -> str:
    """The absolute one-click unsubscribe link of (`email`, `kind`)."""
    return absolute_url(reverse("notifications:unsubscribe", args=[unsubscribe_token(email, kind)]))


def unsubscribe_url_maker(kind: str) -> Callable[[str], str]:
    """`unsubscribe_url(…, kind)` for many addresses: the URL is reversed and the key derived
    once, not per address (a batch of a thousand e-mails)."""
    placeholder = "TOKEN"
    pattern = absolute_url(reverse("notifications:unsubscribe", args=[placeholder]))
    head, tail = pattern.rsplit(placeholder, 1)
    fernet = _fernet()

    def link(email: str) -> str:
        token = fernet.encrypt(f"{kind}\n{email.lower()}".encode()).decode().rstrip("=")
        return f"{head}{token}{tail}"

    return link
