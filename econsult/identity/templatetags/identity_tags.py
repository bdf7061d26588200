"""`{% identity_of user as identity %}`: the account's verification record, or None;
`{% identity_provider_name %}`: the provider's name (e.g. VNeID)."""

from django import template

from econsult.identity import services

register = template.Library()


@register.simple_tag
def identity_of(user):
    """The IdentityVerification of `user`, or None (see econsult.identity.services)."""
    return services.identity_of(user)


@register.simple_tag
def identity_provider_name() -> str:
    """The national identity provider's name as the buttons give it (OIDC_PROVIDER_NAME)."""
    from django.conf import settings

    return settings.OIDC_PROVIDER_NAME


@register.filter
def masked_identifier(value) -> str:
    """A person's identifier at the provider shown masked but its last 4 characters
    ("079123459999" → "••••9999"): enough to recognise one's own, not to read it."""
    text = str(value or "")
    return f"••••{text[-4:]}" if len(text) > 4 else "••••"
