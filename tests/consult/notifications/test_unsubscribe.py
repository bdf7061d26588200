"""One-click unsubscribe (RFC 8058): a GET shows one button, a POST (with no session or CSRF
token, as a mail client sends it) turns the kind off; a bad link gets a clear message."""

import base64
import re

import pytest
from django.core import signing
from django.test import Client

from consult.notifications.models import Kind, OptOut
from consult.notifications.tokens import SALT, unsubscribe_token

pytestmark = pytest.mark.django_db


def url(token: str) -> str:
    return f"/theo-doi/huy-nhan-thu/{token}/"


def test_get_shows_one_button_and_changes_nothing(client):
    response = client.get(url(unsubscribe_token("An@Example.vn", Kind.REPLY)))
    html = response.content.decode()
    assert response.status_code == 200
    assert "an@example.vn" in html and "Ngừng nhận loại thư này" in html
    assert html.count("<button") >= 1 and 'method="post"' in html
    assert not OptOut.objects.exists()


def test_post_without_session_or_csrf_token_unsubscribes(db):
    mail_client = Client(enforce_csrf_checks=True)
    token = unsubscribe_token("an@example.vn", Kind.VERSION)
    response = mail_client.post(
        url(token), "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert "Xong" in response.content.decode()
    assert list(OptOut.objects.values_list("email", "kind")) == [("an@example.vn", "version")]
    # Again: harmless.
    assert mail_client.post(url(token)).status_code == 200
    assert OptOut.objects.count() == 1


@pytest.mark.parametrize(
    "token",
    [
        "ma-khong-hop-le",
        unsubscribe_token("an@example.vn", Kind.REPLY)[:-3] + "abc",  # tampered signature
        unsubscribe_token("an@example.vn", "khong-phai-loai"),  # signed, but no such kind
    ],
)
def test_a_bad_token_gets_a_clear_vietnamese_message(client, token):
    for method in (client.get, client.post):
        response = method(url(token))
        assert response.status_code == 400
        assert "Liên kết hủy nhận thư này không hợp lệ" in response.content.decode()
        assert 'tại trang <a href="/theo-doi/">Đang theo dõi</a>' in response.content.decode()
    assert not OptOut.objects.exists()


def test_the_token_does_not_show_the_address_or_the_kind():
    token = unsubscribe_token("an@example.vn", Kind.CLOSING)
    readable = [token, *token.split(":"), *token.split(".")]
    decoded = b"".join(
        base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
        for part in readable
        if re.fullmatch(r"[A-Za-z0-9_-]+", part)
    )
    assert b"example" not in decoded.lower() and b"closing" not in decoded
    assert "example" not in token
    # Two links for the same address do not even look alike (nothing to correlate in logs).
    assert token != unsubscribe_token("an@example.vn", Kind.CLOSING)


def test_the_page_describes_the_kind_neutrally_and_links_the_following_page(db):
    client = Client()
    token = unsubscribe_token("an@example.vn", Kind.CLOSING)
    html = client.get(url(token)).content.decode()
    assert (
        "Ngừng gửi đến an@example.vn thư nhắc đợt lấy ý kiến được theo dõi còn 3 ngày nữa "
        "kết thúc?" in html
    )
    assert "tôi" not in html.split("<main", 1)[-1]
    html = client.post(url(token)).content.decode()
    assert "Xong: an@example.vn sẽ không nhận thư nhắc đợt lấy ý kiến" in html
    assert 'tại trang <a href="/theo-doi/">Đang theo dõi</a>' in html


def test_links_already_sent_in_the_first_format_still_work(db):
    old = signing.dumps(["an@example.vn", "reply"], salt=SALT, compress=True)
    assert Client().post(url(old)).status_code == 200
    assert list(OptOut.objects.values_list("email", "kind")) == [("an@example.vn", "reply")]
