"""The signed link e-mailed to the author of a comment posted without an account, to confirm it.
Its salt is in every link already sent: never change it."""

from django.core import signing

from consult.feedback.models import Feedback

CONFIRMATION_SALT = "consult.feedback.confirm"


CONFIRMATION_MAX_AGE = 7 * 24 * 3600


def confirmation_token(feedback: Feedback) -> str:
    return signing.dumps(
        {"id": feedback.pk, "email": feedback.user_email}, salt=CONFIRMATION_SALT, compress=True
    )
