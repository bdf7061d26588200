from django.conf import settings


def site(request):
    """The language switcher's choices, each language named in itself ("Tiếng Việt", "English")."""
    return {"language_choices": settings.LANGUAGES}
