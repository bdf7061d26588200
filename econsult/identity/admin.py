"""The national sign-in is configured only from the environment (settings.oidc_providers):
django-admin does not offer allauth's provider rows, tokens or linked accounts to edit."""

from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from django.contrib import admin

for model in (SocialApp, SocialToken, SocialAccount):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
