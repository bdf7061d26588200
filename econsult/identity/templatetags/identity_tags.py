"""`{% identity_of user as identity %}`: the account's verification record, or None."""

from django import template

from econsult.identity import services

register = template.Library()


@register.simple_tag
def identity_of(user):
    """The IdentityVerification of `user`, or None (see econsult.identity.services)."""
    return services.identity_of(user)
