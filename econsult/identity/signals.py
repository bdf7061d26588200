"""allauth's signals → the verification record (econsult.identity.services)."""

from __future__ import annotations

from allauth.account.signals import email_confirmed, user_logged_in
from allauth.socialaccount.signals import social_account_added

from econsult.identity import services


def _record_social(account) -> None:
    if account is None or account.provider is None or not account.user_id:
        return
    services.record_provider(
        user=account.user,
        provider=account.provider,
        subject=account.uid,
        extra_data=account.extra_data or {},
    )


def on_login(sender, request=None, user=None, sociallogin=None, **kwargs) -> None:
    """Every sign-in through a provider (a new account, an existing one, one linked by its
    e-mail address) refreshes the record with the level asserted this time."""
    if sociallogin is not None and sociallogin.account is not None:
        _record_social(sociallogin.account)


def on_account_added(sender, request=None, sociallogin=None, **kwargs) -> None:
    """A signed-in person links the provider to their account."""
    if sociallogin is not None:
        _record_social(sociallogin.account)


def on_email_confirmed(sender, request=None, email_address=None, **kwargs) -> None:
    if email_address is not None and email_address.user_id:
        services.record_email(user=email_address.user)


def connect() -> None:
    user_logged_in.connect(on_login, dispatch_uid="identity_on_login")
    social_account_added.connect(on_account_added, dispatch_uid="identity_on_account_added")
    email_confirmed.connect(on_email_confirmed, dispatch_uid="identity_on_email_confirmed")
