"""The signed link e-mailed with an answer, with which the author of the comment rates it.
Its salt is in every link already sent: never change it."""

from django.core import signing

from consult.feedback.models import Feedback

SATISFACTION_SALT = "consult.response.satisfaction"


SATISFACTION_MAX_AGE = 180 * 24 * 3600


def satisfaction_token(feedback: Feedback) -> str:
    """The signed link part that lets the author of a comment rate its answer, with or
    without an account (it goes out in the "your comment was answered" e-mail)."""
    return signing.dumps({"id": feedback.pk}, salt=SATISFACTION_SALT, compress=True)
