"""Reading and recording how accounts were verified."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from econsult.identity.models import Assurance, IdentityVerification, Method


def identity_of(user) -> IdentityVerification | None:
    """The verification record of `user` (an account, or AnonymousUser/None), or None."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.identity_verification
    except IdentityVerification.DoesNotExist:
        return None


def provider_level(user) -> int | None:
    """The assurance level the national provider asserted for `user` (1 or more), or None when
    the account was not verified by the provider. What a comment stores as its badge."""
    identity = identity_of(user)
    if identity is None or not identity.by_provider:
        return None
    return max(identity.level, Assurance.PROVIDER)


def is_verified(user, min_level: int = Assurance.PROVIDER) -> bool:
    """Whether `user` was verified by the national provider at `min_level` or above; with
    `min_level` 0 (Assurance.NONE), whether the account exists at all."""
    if min_level <= Assurance.NONE:
        return bool(user is not None and getattr(user, "is_authenticated", False))
    level = provider_level(user)
    return level is not None and level >= min_level


def level_of(value) -> int:
    """Our level for the assurance value a provider asserted: OIDC_ASSURANCE_LEVELS maps it
    when it names it, a number is taken as it is, anything else (or nothing) counts as 1."""
    text = str(value or "").strip()
    mapping = settings.OIDC_ASSURANCE_LEVELS
    if text in mapping:
        return max(int(mapping[text]), Assurance.PROVIDER)
    if text.isdigit():
        return max(min(int(text), 32767), Assurance.PROVIDER)
    return Assurance.PROVIDER


def claim_of(extra_data: Mapping, claim: str):
    """The value of `claim` in what allauth's openid_connect provider stored for the account:
    the userinfo answer first, then the ID token (where "acr" usually is); None if absent."""
    for part in ("userinfo", "id_token"):
        data = extra_data.get(part)
        if isinstance(data, Mapping) and data.get(claim) not in (None, ""):
            return data[claim]
    return extra_data.get(claim)


def record_provider(
    *, user, provider: str, subject: str, extra_data: Mapping, at: datetime | None = None
) -> IdentityVerification:
    """Record that the provider `provider` verified `user` (its subject `subject`) now, with
    the assurance it asserted in `extra_data` (claim OIDC_ASSURANCE_CLAIM)."""
    asserted = claim_of(extra_data or {}, settings.OIDC_ASSURANCE_CLAIM)
    with transaction.atomic():
        identity, _created = IdentityVerification.objects.update_or_create(
            user=user,
            defaults={
                "method": Method.PROVIDER,
                "provider": provider[:64],
                "subject": str(subject)[:255],
                "assurance": "" if asserted is None else str(asserted)[:255],
                "level": level_of(asserted),
                "verified_at": at or timezone.now(),
            },
        )
    _forget_cached(user)
    return identity


def record_email(*, user, at: datetime | None = None) -> IdentityVerification:
    """Record that `user` confirmed an e-mail address, unless the provider verified them."""
    with transaction.atomic():
        identity, created = IdentityVerification.objects.select_for_update().get_or_create(
            user=user,
            defaults={
                "method": Method.EMAIL,
                "level": Assurance.NONE,
                "verified_at": at or timezone.now(),
            },
        )
        if not created and identity.method == Method.EMAIL:
            identity.verified_at = at or timezone.now()
            identity.save(update_fields=["verified_at"])
    _forget_cached(user)
    return identity


def _forget_cached(user) -> None:
    """The reverse one-to-one cached on a user object would hide the new record."""
    with contextlib.suppress(AttributeError, KeyError):
        del user._state.fields_cache["identity_verification"]
