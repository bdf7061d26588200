"""Reads of following: what a person follows, who still wants which e-mails."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from consult.notifications.models import Follow, Kind, OptOut
from drafts.models import DraftPage


def follows_of(user) -> QuerySet[Follow]:
    """What `user` follows, newest first, with each draft (without its body) and agency; a
    draft no longer published or under a view restriction is left out (it sends nothing, and its
    title may be private)."""
    return (
        Follow.objects.filter(user=user)
        .filter(Q(draft__isnull=True) | Q(draft__in=DraftPage.objects.live().public().values("pk")))
        .select_related("draft", "agency")
        .defer("draft__body")
        .order_by("-created_at", "-pk")
    )


def is_following(user, *, draft=None, agency=None) -> bool:
    """Whether `user` (signed in) follows `draft` or `agency`."""
    if not user.is_authenticated:
        return False
    if draft is not None:
        return Follow.objects.filter(user=user, draft=draft).exists()
    return Follow.objects.filter(user=user, agency=agency).exists()


def opted_out(kind: str, addresses: Iterable[str]) -> set[str]:
    """Those of `addresses` (lower-cased) that turned `kind` off; one query."""
    addresses = [a.lower() for a in addresses if a]
    if not addresses:
        return set()
    return set(
        OptOut.objects.filter(kind=kind, email__in=addresses).values_list("email", flat=True)
    )


def kinds_off(email: str) -> set[str]:
    """The kinds of e-mail `email` turned off."""
    if not email:
        return set(Kind.values)
    return set(OptOut.objects.filter(email=email.lower()).values_list("kind", flat=True))


def followers_of_draft(*, draft, user_ids: list[int]) -> set[int]:
    """Those of `user_ids` who follow `draft` or its agency."""
    return set(
        Follow.objects.filter(
            Q(draft=draft) | Q(agency_id=draft.agency_id), user_id__in=user_ids
        ).values_list("user_id", flat=True)
    )
