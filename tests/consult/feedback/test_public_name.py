"""The name shown with a comment (issue 12): sign-up asks for a display name; a comment shows
it, or the name given with the comment, never an account's username; otherwise “Ẩn danh” in
Vietnamese and “Anonymous” in English."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from consult.feedback import services
from drafts.models import Provision
from tests import factories

pytestmark = pytest.mark.django_db

CLAUSE = "dieu-2-khoan-2"
PASSWORD = "Dat-dai-2024-song-hong"


def signup_data(**overrides):
    return {
        "email": "minh@example.vn",
        "first_name": "Trần Văn Minh",
        "username": "minh2024",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **overrides,
    }


def test_sign_up_asks_for_the_display_name_and_stores_it(client):
    form = client.get(reverse("account_signup")).content.decode()
    assert 'name="first_name"' in form
    response = client.post(reverse("account_signup"), signup_data(first_name=" Trần  Văn Minh "))
    assert response.status_code == 302
    user = get_user_model().objects.get(username="minh2024")
    assert user.first_name.split() == ["Trần", "Văn", "Minh"]


def test_sign_up_without_a_display_name_is_refused_with_a_link_to_the_field(client):
    response = client.post(reverse("account_signup"), signup_data(first_name="  "))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="#id_first_name"' in html
    assert not get_user_model().objects.filter(username="minh2024").exists()


def comment_by(draft, user, *, show_name=True):
    provision = Provision.objects.get(version__page=draft, anchor=CLAUSE, withdrawn=False)
    feedback, _created = services.feedback_submit(
        draft=draft,
        author=services.Author(user=user, name="", email=""),
        text="Góp ý của tôi.",
        provision=provision,
        show_name=show_name,
    )
    return feedback


@pytest.mark.parametrize(
    ("language", "anonymous"), [("vi", "Ẩn danh"), ("en", "Anonymous")], ids=["vi", "en"]
)
def test_an_account_without_a_display_name_shows_as_anonymous_never_by_username(
    client, draft, language, anonymous
):
    comment_by(draft, factories.UserFactory(username="tendangnhap", first_name="", last_name=""))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get(f"{draft.url}gop-y/{CLAUSE}/").content.decode()
    assert "tendangnhap" not in html
    assert f'<strong class="comment__author">{anonymous}</strong>' in html


def test_a_comment_stored_with_the_username_still_hides_it(client, draft):
    """Comments made before sign-up asked for a name stored the username as the name."""
    user = factories.UserFactory(username="tendangnhap", first_name="", last_name="")
    provision = Provision.objects.get(version__page=draft, anchor=CLAUSE, withdrawn=False)
    factories.make_feedback(draft, provision=provision, user=user)  # user_name = username
    html = client.get(f"{draft.url}gop-y/{CLAUSE}/").content.decode()
    assert "tendangnhap" not in html
    assert '<strong class="comment__author">Ẩn danh</strong>' in html


def test_the_display_name_is_shown_and_hidden_on_request(client, draft):
    user = factories.UserFactory(username="tendangnhap", first_name="Lan", last_name="Nguyễn")
    shown = comment_by(draft, user)
    hidden = comment_by(
        draft, factories.UserFactory(username="an", first_name="Hoa"), show_name=False
    )
    assert shown.public_name == user.get_full_name()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(f"{draft.url}gop-y/{CLAUSE}/").content.decode()
    assert user.get_full_name() in html
    assert "Hoa" not in html and "Anonymous" in html
    assert hidden.user_name == "Hoa"  # kept for the moderators, not shown


def test_the_anonymous_choice_on_the_form_reads_in_the_interface_language(client, draft):
    draft.allow_anonymous = True
    draft.save_revision().publish()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(f"{draft.url}gop-y/{CLAUSE}/").content.decode()
    assert "(otherwise “Anonymous”)" in html
    assert "Ẩn danh" not in html


def test_the_anonymous_form_has_no_english_help_in_vietnamese(client, draft):
    draft.allow_anonymous = True
    draft.save_revision().publish()
    html = client.get(f"{draft.url}gop-y/{CLAUSE}/").content.decode()
    assert 'name="email"' in html
    assert "Required for comment verification" not in html
