"""Helpers the search tests share: posting as a signed-in reader, asking the public API."""

import uuid

from consult.feedback.models import Feedback
from tests import factories
from tests.consult.posting import post_feedback

API = "/api/v1/feedback/search/"
CLAUSE = "dieu-2-khoan-2"


def token() -> str:
    """A word no other comment contains."""
    return f"tok{uuid.uuid4().hex[:10]}"


def citizen(username: str = "nguoidan"):
    return factories.UserFactory(username=username)


def post_comment(client, draft, text: str, *, anchor: str = CLAUSE, **data) -> Feedback:
    """Post on a provision through the page's form as a browser does; the stored comment."""
    response, _ = post_feedback(
        client, f"{draft.url}gop-y/{anchor}/", comment=text, stance="agree", **data
    )
    assert response.status_code == 302, response.status_code
    return Feedback.objects.get(comment=text)


def api(client, **params):
    response = client.get(API, params)
    assert response.status_code == 200, response.content
    return response.json()


def found_ids(client, **params) -> list[int]:
    return [row["id"] for row in api(client, **params)["results"]]


def make_staff(agency, username: str):
    """Agency staff who may use the Wagtail admin (and so answer the agency's feedback)."""
    return factories.agency_staff(agency, username)
