"""The public sign-up form: allauth's, doing the same work whether or not the address is known."""

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.contrib.auth.hashers import make_password
from django.utils.translation import gettext_lazy as _

from econsult.text import clean_input


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form (ACCOUNT_FORMS["signup"]).

    With ACCOUNT_PREVENT_ENUMERATION, allauth answers an address that already has an account
    with the same "check your e-mail" page as a new one and e-mails its owner instead of
    creating a second account; but only the new address would pay for hashing the password,
    so the answer came measurably sooner for a known address. Hashing it here too (and
    throwing the hash away) gives both paths the same costly step.

    It also asks for the name shown with the person's comments (stored as the account's first
    name, which allauth's adapter saves from `first_name`): the username only signs in and
    is never shown (issue 12).
    """

    first_name = forms.CharField(
        label=_("Your name as shown with your comments"),
        max_length=50,
        help_text=_("For example “Nguyễn Thị Lan”. You can still hide it on any comment."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(["email", "first_name", "username", "password1", "password2"])

    def clean_first_name(self) -> str:
        name = clean_input(self.cleaned_data.get("first_name", ""))
        if not name:
            raise forms.ValidationError(_("Write the name to show with your comments."))
        return name

    def try_save(self, request):
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1"))
        return super().try_save(request)
