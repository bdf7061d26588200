"""allauth's signals → the verification record (econsult.identity.services).

The verification follows the linked SocialAccount: recorded when the provider signs the
person in or is linked to the account, dropped when it is unlinked."""

from __future__ import annotations

import logging

from allauth.account.signals import email_confirmed, user_logged_in
from allauth.socialaccount.signals import (
    social_account_added,
    social_account_removed,
    social_account_updated,
)

from econsult.identity import services

logger = logging.getLogger(__name__)


def _record_social(account) -> None:
    if account is None or account.provider is None or not account.user_id:
        return
    try:
        services.record_provider(
            user=account.user,
            provider=account.provider,
            subject=account.uid,
            extra_data=account.extra_data or {},
        )
    except services.IdentityInUse:
        # Refused before (econsult.identity.adapter.pre_social_login); a race ends here:
        # the account is simply not verified.
        logger.warning(
            "identity %s/%s already verifies another account", account.provider, account.uid
        )


def on_login(sender, request=None, user=None, sociallogin=None, **kwargs) -> None:
    """Every sign-in through a provider (a new account, an existing one, one linked by its
    e-mail address) refreshes the record with the level and name asserted this time."""
    if sociallogin is not None and sociallogin.account is not None:
        _record_social(sociallogin.account)


def on_account_added(sender, request=None, sociallogin=None, **kwargs) -> None:
    """A signed-in person links the provider to their account."""
    if sociallogin is not None:
        _record_social(sociallogin.account)


def on_account_updated(sender, request=None, sociallogin=None, **kwargs) -> None:
    """A signed-in person links again the provider already linked to their account: the
    level and name asserted this time (a sign-in is recorded by on_login)."""
    if sociallogin is not None and (sociallogin.state or {}).get("process") == "connect":
        account = sociallogin.account
        if request is not None and account is not None and account.user_id == request.user.pk:
            _record_social(account)


def on_account_removed(sender, request=None, socialaccount=None, **kwargs) -> None:
    """The person unlinked the provider ("Huỷ liên kết"): the account is no longer verified."""
    if socialaccount is not None and socialaccount.user_id:
        services.record_unlinked(
            user=socialaccount.user, provider=socialaccount.provider, subject=socialaccount.uid
        )


def on_email_confirmed(sender, request=None, email_address=None, **kwargs) -> None:
    if email_address is not None and email_address.user_id:
        services.record_email(user=email_address.user)


def connect() -> None:
    user_logged_in.connect(on_login, dispatch_uid="identity_on_login")
    social_account_added.connect(on_account_added, dispatch_uid="identity_on_account_added")
    social_account_updated.connect(on_account_updated, dispatch_uid="identity_on_account_updated")
    social_account_removed.connect(on_account_removed, dispatch_uid="identity_on_account_removed")
    email_confirmed.connect(on_email_confirmed, dispatch_uid="identity_on_email_confirmed")
