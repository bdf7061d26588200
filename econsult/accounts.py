"""Account names as people meant them.

Sign-up (django-allauth, through `AccountAdapter`) stores the username and the first and last
names through econsult.text.clean_input, like every other text a person types: NFC, without
zero-width or bidirectional control characters, so "Lan\u200b" and "Lan" are one name and a
name cannot display reversed. `clean_user_names` does the same for every other way an account
is saved (the Wagtail admin's user forms, createsuperuser), connected in ConsultConfig.ready.
"""

from __future__ import annotations

from collections.abc import Iterable

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from wagtail.users.models import UserProfile

from econsult.text import clean_input, fold

NAME_FIELDS = ("username", "first_name", "last_name")


def clean_user_names(sender, instance, raw=False, **kwargs) -> None:
    """pre_save of the user model: names stored as typed text."""
    if raw:
        return
    for name in NAME_FIELDS:
        value = getattr(instance, name, None)
        if isinstance(value, str) and value:
            setattr(instance, name, clean_input(value))


class AccountAdapter(DefaultAccountAdapter):
    def clean_username(self, username: str, shallow: bool = False) -> str:
        """The username cleaned as typed text, then allauth's checks (validators,
        blacklist, uniqueness) on what will be stored."""
        return super().clean_username(clean_input(username), shallow=shallow)

    def generate_unique_username(self, txts, regex=None) -> str:
        """allauth's unique username from a name or address, folded first (lower case, no
        diacritics, Đ/đ → d), so "Đỗ Văn Nam" gives do_van_nam, not o_van_nam."""
        return super().generate_unique_username([fold(txt) if txt else txt for txt in txts], regex)

    def save_user(self, request, user, form, commit: bool = True):
        user = super().save_user(request, user, form, commit=False)
        for name in NAME_FIELDS:
            value = getattr(user, name, None)
            if isinstance(value, str):
                setattr(user, name, clean_input(value))
        if commit:
            user.save()
        return user


def admin_languages(user_ids: Iterable[int]) -> dict[int, str]:
    """{user id: the language they chose for the admin (Wagtail's account settings)}, for
    those of `user_ids` who chose one of LANGUAGES; the others are left out (the e-mails of
    staff are then in LANGUAGE_CODE). One query."""
    choices = dict(settings.LANGUAGES)
    return {
        user_id: language
        for user_id, language in UserProfile.objects.filter(user_id__in=list(user_ids)).values_list(
            "user_id", "preferred_language"
        )
        if language in choices
    }
