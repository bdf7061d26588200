"""What every template needs to offer the national sign-in (TEMPLATES context processor)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse


def national_sign_in(request) -> dict:
    """`national_sign_in`: None without a configured provider, else {"name", "url"} (the URL
    the button posts to, allauth's openid_connect login view)."""
    apps = settings.SOCIALACCOUNT_PROVIDERS.get("openid_connect", {}).get("APPS") or []
    if not apps:
        return {"national_sign_in": None}
    app = apps[0]
    return {
        "national_sign_in": {
            "name": app.get("name") or settings.OIDC_PROVIDER_NAME,
            "url": reverse("openid_connect_login", kwargs={"provider_id": app["provider_id"]}),
        }
    }
