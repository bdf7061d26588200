"""The province is remembered between comments (issue 12): the form comes pre-filled with the
province of the signed-in person's latest comment, or, for a visitor without an account, of
the last comment sent from this browser."""

import re

import pytest
from django.test import Client

from tests import factories
from tests.consult.posting import post_feedback

pytestmark = pytest.mark.django_db

CLAUSE = "dieu-2-khoan-2"
OTHER_CLAUSE = "dieu-2-khoan-1"


def selected_province(html: str) -> str:
    select = re.search(r'<select name="province".*?</select>', html, re.S)
    assert select, "no province choice on the form"
    chosen = re.findall(r'<option value="([^"]*)"[^>]*\bselected\b', select.group(0))
    return chosen[0] if chosen else ""


def test_a_signed_in_persons_next_form_has_the_province_of_their_latest_comment(client, draft):
    lan = factories.UserFactory(username="lan", first_name="Lan")
    client.force_login(lan)
    assert selected_province(client.get(f"{draft.url}gop-y/{CLAUSE}/").content.decode()) == ""
    response, _ = post_feedback(
        client, f"{draft.url}gop-y/{CLAUSE}/", comment="Góp ý thứ nhất.", province="da-nang"
    )
    assert response.status_code == 302

    # Another browser of the same person: the account remembers, not the session.
    other = Client()
    other.force_login(lan)
    html = other.get(f"{draft.url}gop-y/{OTHER_CLAUSE}/").content.decode()
    assert selected_province(html) == "da-nang"


def test_a_visitor_without_an_account_gets_the_province_back_in_the_same_browser(client, draft):
    draft.allow_anonymous = True
    draft.save_revision().publish()
    response, _ = post_feedback(
        client,
        f"{draft.url}gop-y/{CLAUSE}/",
        comment="Góp ý không cần tài khoản.",
        name="Hoa",
        email="hoa@example.vn",
        province="can-tho",
    )
    assert response.status_code == 302
    html = client.get(f"{draft.url}gop-y/{OTHER_CLAUSE}/").content.decode()
    assert selected_province(html) == "can-tho"
    stranger = Client().get(f"{draft.url}gop-y/{OTHER_CLAUSE}/").content.decode()
    assert selected_province(stranger) == ""
