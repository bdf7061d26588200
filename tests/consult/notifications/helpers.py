"""Shared helpers of the notifications tests."""

from django.conf import settings

from consult.notifications.models import Follow
from tests import factories


def person(username: str, *, language: str = "vi", draft=None, agency=None):
    """A signed-up person with an e-mail address who follows `draft` and/or `agency`, having
    used the site in `language`."""
    user = factories.UserFactory(username=username, email=f"{username}@example.vn")
    if draft is not None:
        Follow.objects.create(user=user, draft=draft, language=language)
    if agency is not None:
        Follow.objects.create(user=user, agency=agency, language=language)
    return user


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
