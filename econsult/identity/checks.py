"""System checks of the national sign-in's configuration (the OIDC_* environment)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Warning, register

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@register()
def oidc_configuration(app_configs=None, **kwargs) -> list:
    """identity.E001: an issuer without its client id or secret; identity.E002: an issuer that
    is not an http(s) URL; identity.W001: an issuer reached over plain http off this machine."""
    problems = []
    apps = settings.SOCIALACCOUNT_PROVIDERS.get("openid_connect", {}).get("APPS") or []
    for app in apps:
        issuer = app.get("settings", {}).get("server_url", "")
        parts = urlsplit(issuer)
        if not app.get("client_id") or not app.get("secret"):
            problems.append(
                Error(
                    "OIDC_ISSUER_URL is set but OIDC_CLIENT_ID or OIDC_CLIENT_SECRET is empty.",
                    hint="Set both to the values the identity provider registered for this site.",
                    id="identity.E001",
                )
            )
        if parts.scheme not in ("http", "https") or not parts.netloc:
            problems.append(
                Error(
                    f"OIDC_ISSUER_URL {issuer!r} is not an http(s) URL.",
                    hint="The issuer, e.g. https://sso.example.vn (without /.well-known/…).",
                    id="identity.E002",
                )
            )
        elif parts.scheme == "http" and parts.hostname not in LOOPBACK:
            problems.append(
                Warning(
                    f"OIDC_ISSUER_URL {issuer!r} is plain http: identities travel unprotected.",
                    hint="Use the provider's https address.",
                    id="identity.W001",
                )
            )
    return problems
