"""The public sign-up form: allauth's, doing the same work whether or not the address is known."""

from allauth.account.forms import SignupForm as AllauthSignupForm
from django.contrib.auth.hashers import make_password


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form (ACCOUNT_FORMS["signup"]).

    With ACCOUNT_PREVENT_ENUMERATION, allauth answers an address that already has an account
    with the same "check your e-mail" page as a new one and e-mails its owner instead of
    creating a second account; but only the new address would pay for hashing the password,
    so the answer came measurably sooner for a known address. Hashing it here too (and
    throwing the hash away) gives both paths the same costly step.
    """

    def try_save(self, request):
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1"))
        return super().try_save(request)
