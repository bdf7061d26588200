"""Repeated wrong passwords lock an (account, network address) pair for a cool-off, on the
public sign-in, Wagtail's admin log-in and Django's admin log-in alike; the owner still signs in
from another address, and sign-up never tells whether an address already has an account."""

import re
import time
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.test import Client

from tests import factories

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's
ATTACKER = "10.0.0.66"
OWNER_ELSEWHERE = "10.0.0.7"

FORMS = {
    "public": ("/tai-khoan/login/", "login"),
    "wagtail": ("/admin/login/", "username"),
    "django-admin": ("/django-admin/login/", "username"),
}


@pytest.fixture
def owner(db):
    """A verified staff superuser, who may sign in through all three forms."""
    user = factories.UserFactory(
        username="chu.taikhoan", email="chu@example.vn", is_staff=True, is_superuser=True
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def sign_in(form: str, login: str, password: str, address: str, client: Client | None = None):
    """POST the log-in form from `address`; (response, whether the client is now signed in)."""
    url, field = FORMS[form]
    client = client or Client()
    response = client.post(url, {field: login, "password": password}, REMOTE_ADDR=address)
    return response, "_auth_user_id" in client.session


@pytest.mark.parametrize("form", FORMS)
def test_wrong_passwords_lock_the_pair_but_not_the_owner_elsewhere(form, owner, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    for attempt in range(1, 5):
        response, signed_in = sign_in(form, owner.username, "wrong-guess", ATTACKER)
        assert not signed_in
        assert response.status_code == 200, f"attempt {attempt} was refused as locked"
    response, signed_in = sign_in(form, owner.username, "wrong-guess", ATTACKER)
    assert response.status_code == 429
    assert not signed_in

    # The right password from the locked address is refused with the lock-out page...
    response, signed_in = sign_in(form, owner.username, PASSWORD, ATTACKER)
    assert response.status_code == 429
    assert not signed_in
    page = response.content.decode()
    assert "data-login-locked" in page
    assert "Tạm dừng đăng nhập" in page
    assert "15 phút" in page

    # ...while the owner, from another address, signs in as usual.
    response, signed_in = sign_in(form, owner.username, PASSWORD, OWNER_ELSEWHERE)
    assert signed_in, response.content.decode()[:2000]


@pytest.mark.parametrize("form", FORMS)
def test_the_cool_off_ends(form, owner, settings):
    settings.AXES_COOLOFF_TIME = timedelta(seconds=2)
    for _ in range(5):
        sign_in(form, owner.username, "wrong-guess", ATTACKER)
    response, signed_in = sign_in(form, owner.username, PASSWORD, ATTACKER)
    assert response.status_code == 429 and not signed_in
    time.sleep(2.2)
    response, signed_in = sign_in(form, owner.username, PASSWORD, ATTACKER)
    assert signed_in


@pytest.mark.parametrize("form", FORMS)
def test_fewer_failures_than_the_limit_do_not_lock(form, owner):
    for _ in range(4):
        sign_in(form, owner.username, "wrong-guess", ATTACKER)
    response, signed_in = sign_in(form, owner.username, PASSWORD, ATTACKER)
    assert signed_in


def test_the_lockout_page_is_in_english_for_english_readers(owner):
    client = Client()
    client.cookies["django_language"] = "en"
    for _ in range(5):
        response, _signed_in = sign_in("public", owner.username, "wrong-guess", ATTACKER, client)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Sign-in paused" in page
    assert "paused for 15 minutes" in page
    assert 'class="site-header"' in page  # the site's layout
    assert "/tai-khoan/password/reset/" in page


def test_admin_lockout_page_links_back_to_its_form(owner):
    for _ in range(5):
        response, _signed_in = sign_in("wagtail", owner.username, "wrong-guess", ATTACKER)
    assert response.status_code == 429
    assert 'href="/admin/login/"' in response.content.decode()


def test_username_and_email_count_as_one_account(owner):
    """Alternating the username, the e-mail address and their letter case gives no extra tries."""
    logins = ["chu.taikhoan", "CHU@example.vn", "Chu.TaiKhoan", "chu@example.vn", "chu.taikhoan"]
    for login in logins:
        response, _signed_in = sign_in("public", login, "wrong-guess", ATTACKER)
    assert response.status_code == 429
    response, signed_in = sign_in("public", "chu@example.vn", PASSWORD, ATTACKER)
    assert response.status_code == 429 and not signed_in


def test_allauth_no_longer_refuses_the_right_password_everywhere(owner, settings):
    """allauth's own limit locked the login name from every address after 5 failures."""
    settings.AXES_FAILURE_LIMIT = 50
    for number in range(12):
        sign_in("public", owner.email, "wrong-guess", f"10.1.0.{number}")
    response, signed_in = sign_in("public", owner.email, PASSWORD, "10.1.0.200")
    assert signed_in


# --- Sign-up does not reveal whether an address has an account ---------------------------


class CountingHasher(MD5PasswordHasher):
    """MD5 (as in the test settings) that counts the passwords it hashes."""

    calls = 0

    def encode(self, password, salt):
        type(self).calls += 1
        return super().encode(password, salt)


def sign_up(email: str, username: str):
    client = Client()
    data = {
        "email": email,
        "first_name": "Minh",
        "username": username,
        "password1": "Song-hong-2024-dat-dai",
        "password2": "Song-hong-2024-dat-dai",
    }
    before = CountingHasher.calls
    response = client.post("/tai-khoan/signup/", data, REMOTE_ADDR="10.2.0.1")
    hashed = CountingHasher.calls - before
    page = client.get(response["Location"]) if response.status_code == 302 else response
    return response, page, hashed


def without_tokens(html: str, email: str) -> str:
    """The page without its CSRF token and with the address the visitor typed blanked out."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return html.replace(email.lower(), "EMAIL")


def test_sign_up_looks_the_same_for_a_new_and_a_registered_address(owner, settings):
    settings.PASSWORD_HASHERS = ["tests.test_login_lockout.CountingHasher"]
    users_before = get_user_model().objects.count()

    new, new_page, new_hashes = sign_up("moi@example.vn", "nguoi.moi")
    known, known_page, known_hashes = sign_up("Chu@Example.vn", "nguoi.khac")

    assert new.status_code == known.status_code == 302
    assert new["Location"] == known["Location"]
    assert new_page.status_code == known_page.status_code == 200
    assert without_tokens(new_page.content.decode(), "moi@example.vn") == without_tokens(
        known_page.content.decode(), "Chu@Example.vn"
    )
    # Both paths hash the password once: the answer for a known address is not quicker.
    assert new_hashes == known_hashes == 1

    # One account more (the new one); the registered address's owner is told by e-mail.
    assert get_user_model().objects.count() == users_before + 1
    assert not get_user_model().objects.filter(username="nguoi.khac").exists()
    by_recipient = {message.to[0].lower(): message for message in mail.outbox}
    assert set(by_recipient) == {"moi@example.vn", "chu@example.vn"}
    assert "/tai-khoan/confirm-email/" in by_recipient["moi@example.vn"].body
    assert "/tai-khoan/password/reset/" in by_recipient["chu@example.vn"].body
    assert "/tai-khoan/confirm-email/" not in by_recipient["chu@example.vn"].body
