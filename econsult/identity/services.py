"""Reading and recording how accounts were verified."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from econsult.identity.models import Assurance, IdentityVerification, Method
from econsult.text import clean_input


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


def verified_name(user) -> str:
    """The name the national provider asserted for `user` when it verified the account, or ''
    (not verified by the provider, or no name asserted): the name shown next to the badge."""
    identity = identity_of(user)
    return identity.name if identity is not None and identity.by_provider else ""


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


class IdentityInUse(Exception):
    """The provider identity (provider, subject) already verifies another account: one
    national identity verifies at most one account."""


def name_of(extra_data: Mapping) -> str:
    """The person's whole name as the provider asserted it ("name", else family and given
    names in the Vietnamese order), cleaned like typed text; '' if the provider gave none."""
    data = extra_data or {}
    name = claim_of(data, "name") or " ".join(
        str(part) for part in (claim_of(data, "family_name"), claim_of(data, "given_name")) if part
    )
    return clean_input(str(name or ""))[:150]


def holder_of(provider: str, subject: str) -> IdentityVerification | None:
    """The verification that the provider identity (provider, subject) holds, or None."""
    return (
        IdentityVerification.objects.filter(
            method=Method.PROVIDER, provider=provider[:64], subject=str(subject)[:255]
        )
        .select_related("user")
        .first()
    )


def record_provider(
    *, user, provider: str, subject: str, extra_data: Mapping, at: datetime | None = None
) -> IdentityVerification:
    """Record that the provider `provider` verified `user` (its subject `subject`) now, with
    the assurance it asserted in `extra_data` (claim OIDC_ASSURANCE_CLAIM), and make the name
    it asserted the account's display name (the "đã xác thực" badge sits next to it).

    Raises IdentityInUse, recording nothing, when that identity verifies another account."""
    asserted = claim_of(extra_data or {}, settings.OIDC_ASSURANCE_CLAIM)
    name = name_of(extra_data)
    holder = holder_of(provider, subject)
    if holder is not None and holder.user_id != user.pk:
        raise IdentityInUse(subject)
    try:
        with transaction.atomic():
            identity, _created = IdentityVerification.objects.update_or_create(
                user=user,
                defaults={
                    "method": Method.PROVIDER,
                    "provider": provider[:64],
                    "subject": str(subject)[:255],
                    "assurance": "" if asserted is None else str(asserted)[:255],
                    "name": name,
                    "level": level_of(asserted),
                    "verified_at": at or timezone.now(),
                },
            )
            if name and (user.first_name, user.last_name) != (name, ""):
                user.first_name, user.last_name = name, ""
                user.save(update_fields=["first_name", "last_name"])
    except IntegrityError as exc:  # another account took it meanwhile
        raise IdentityInUse(subject) from exc
    _forget_cached(user)
    return identity


def record_unlinked(*, user, provider: str, subject: str) -> IdentityVerification | None:
    """The provider identity (provider, subject) was unlinked from `user`: a verification it
    made drops back to the e-mail address (if one is confirmed) or to none at all, so the
    account no longer counts as verified and the identity may verify another account.
    Returns the record left, or None."""
    from allauth.account.models import EmailAddress

    with transaction.atomic():
        identity = (
            IdentityVerification.objects.select_for_update()
            .filter(user=user, method=Method.PROVIDER, provider=provider[:64])
            .filter(subject=str(subject)[:255])
            .first()
        )
        if identity is None:
            return identity_of(user)
        if EmailAddress.objects.filter(user=user, verified=True).exists():
            identity.method, identity.level = Method.EMAIL, Assurance.NONE
            identity.provider = identity.subject = identity.assurance = identity.name = ""
            identity.verified_at = timezone.now()
            identity.save()
        else:
            identity.delete()
            identity = None
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
