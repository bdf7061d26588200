"""`{% csp_nonce %}`: the current request's CSP nonce, also in templates rendered without it."""

from django import template

from econsult.csp import current_nonce

register = template.Library()


@register.simple_tag(takes_context=True)
def csp_nonce(context) -> str:
    """The nonce for an inline <script> or <style>: `<script nonce="{% csp_nonce %}">`."""
    request = context.get("request")
    nonce = getattr(request, "csp_nonce", None) if request is not None else None
    return str(nonce) if nonce is not None else current_nonce()
