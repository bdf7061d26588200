"""allauth's social-account adapter for the national sign-in (SOCIALACCOUNT_ADAPTER)."""

from __future__ import annotations

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme

from econsult.identity import services
from econsult.text import clean_input

# Where a person who cancelled or failed the provider's sign-in is offered to go back to.
RETURN_SESSION_KEY = "identity_return_to"


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def populate_user(self, request, sociallogin, data):
        """The account as the provider describes the person: the whole name as the display
        name (first_name, as the sign-up form stores it; Vietnamese names are not split in
        two), cleaned like typed text; allauth then makes a unique username from it or the
        e-mail address, so the person is asked for nothing the provider gave."""
        user = super().populate_user(request, sociallogin, data)
        name = clean_input(
            data.get("name")
            or " ".join(part for part in (data.get("last_name"), data.get("first_name")) if part)
            or ""
        )
        if name:
            user.first_name = name[:150]
            user.last_name = ""
        return user

    def pre_social_login(self, request, sociallogin):
        """One national identity verifies one account: an identity that already verifies
        another account is refused (a page saying so, status 409, nothing changed) rather
        than verifying a second one, whether it is linked ("connect") or signed in with."""
        super().pre_social_login(request, sociallogin)
        account = sociallogin.account
        holder = services.holder_of(account.provider, account.uid)
        if holder is None:
            return
        if (sociallogin.state or {}).get("process") == "connect":
            target = request.user.pk if request.user.is_authenticated else None
        else:
            target = sociallogin.user.pk if sociallogin.is_existing else None
        if holder.user_id != target:
            raise ImmediateHttpResponse(
                TemplateResponse(
                    request,
                    "socialaccount/identity_in_use.html",
                    {"signed_in": request.user.is_authenticated},
                    status=409,
                )
            )

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ):
        """Remember where the person came from, for the way back on the error page."""
        state = (extra_context or {}).get("state") or {}
        target = state.get("next") if isinstance(state, dict) else None
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            request.session[RETURN_SESSION_KEY] = target
        return super().on_authentication_error(
            request, provider, error=error, exception=exception, extra_context=extra_context
        )
