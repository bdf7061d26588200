"""Accounts through HTTP: sign-up with e-mail verification, sign-in with the e-mail address,
password reset, and the pages' place in the public site's layout."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consult.feedback import services
from consult.feedback.models import Feedback
from consult.moderation import services as moderation
from drafts.models import DraftPage, Moderation, Provision
from tests import factories
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Dat-dai-2024-song-hong"


@pytest.fixture
def client(client):
    """A visitor who chose English, so the assertions read the msgids, not their translation."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def link_in(message, pattern: str) -> str:
    """The path of the one link in the e-mail whose path matches `pattern`."""
    paths = re.findall(r"https?://[^/\s]+(/\S+)", message.body)
    matching = [path for path in paths if re.search(pattern, path)]
    assert len(matching) == 1, f"no single {pattern!r} link in:\n{message.body}"
    return matching[0]


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


def verified_user(email="lan@example.vn", username="lan", password=PASSWORD):
    user = UserFactory(username=username, email=email, password=password)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def test_signup_sends_verification_email_whose_link_verifies_and_signs_in(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "minh@example.vn",
            "first_name": "Trần Minh",
            "username": "minh",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert signed_in_user_id(client) is None, "signed in before verifying the address"
    page = client.get(response.url)
    assert "Verify your e-mail address" in page.content.decode()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["minh@example.vn"]
    assert message.subject.startswith("[eConsultation] ")
    assert "example.com" not in message.body
    confirm_path = link_in(message, r"/tai-khoan/confirm-email/")

    response = client.get(confirm_path)

    assert response.status_code == 302
    user = get_user_model().objects.get(username="minh")
    assert EmailAddress.objects.get(user=user, email="minh@example.vn").verified
    assert signed_in_user_id(client) == str(user.pk)


def test_verification_link_opened_in_another_browser_verifies_then_asks_to_sign_in(client):
    client.post(
        reverse("account_signup"),
        {
            "email": "minh@example.vn",
            "first_name": "Trần Minh",
            "username": "minh",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    other_browser = Client()
    other_browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = other_browser.get(link_in(mail.outbox[0], r"/tai-khoan/confirm-email/"), follow=True)

    assert EmailAddress.objects.get(email="minh@example.vn").verified
    assert signed_in_user_id(other_browser) is None
    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))
    other_browser.post(reverse("account_login"), {"login": "minh@example.vn", "password": PASSWORD})
    assert signed_in_user_id(other_browser) is not None


def test_signup_form_errors_are_shown_next_to_their_fields(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "not-an-address", "username": "minh", "password1": "x", "password2": "y"},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="field field--email field--error"' in html
    assert 'role="alert"' in html
    assert mail.outbox == []


def test_tampered_verification_link_verifies_nothing(client):
    client.post(
        reverse("account_signup"),
        {
            "email": "minh@example.vn",
            "first_name": "Trần Minh",
            "username": "minh",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    confirm_path = link_in(mail.outbox[0], r"/tai-khoan/confirm-email/")
    tampered = confirm_path.rstrip("/")[:-3] + "xyz/"

    response = client.get(tampered)

    assert response.status_code == 200
    assert "This confirmation link has expired or is not valid." in response.content.decode()
    assert not EmailAddress.objects.filter(email="minh@example.vn", verified=True).exists()
    assert signed_in_user_id(client) is None


def test_sign_in_with_email_address(client):
    user = verified_user()

    response = client.post(
        reverse("account_login"), {"login": "lan@example.vn", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert signed_in_user_id(client) == str(user.pk)


def test_wrong_password_is_refused_on_the_page(client):
    verified_user()

    response = client.post(reverse("account_login"), {"login": "lan@example.vn", "password": "no"})

    assert response.status_code == 200
    assert 'class="error-summary" role="alert"' in response.content.decode()
    assert signed_in_user_id(client) is None


def test_unverified_address_cannot_sign_in_and_gets_a_new_link(client):
    user = UserFactory(username="hoa", email="hoa@example.vn", password=PASSWORD)
    EmailAddress.objects.create(user=user, email="hoa@example.vn", verified=False, primary=True)

    response = client.post(
        reverse("account_login"), {"login": "hoa@example.vn", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert signed_in_user_id(client) is None
    assert [m.to for m in mail.outbox] == [["hoa@example.vn"]]


def test_password_reset_email_link_sets_a_new_password(client):
    user = verified_user()

    response = client.post(reverse("account_reset_password"), {"email": "lan@example.vn"})

    assert response.status_code == 302
    assert response.url == reverse("account_reset_password_done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lan@example.vn"]
    reset_path = link_in(mail.outbox[0], r"/tai-khoan/password/reset/key/")

    # allauth moves the key from the URL into the session, then shows the form.
    response = client.get(reset_path, follow=True)
    assert response.status_code == 200
    assert "Choose a new password" in response.content.decode()
    form_path = response.redirect_chain[-1][0] if response.redirect_chain else reset_path
    new_password = "Song-Cuu-Long-2025"
    response = client.post(form_path, {"password1": new_password, "password2": new_password})

    assert response.status_code == 302
    assert response.url == reverse("account_reset_password_from_key_done")
    user.refresh_from_db()
    assert user.check_password(new_password)
    client.logout()
    client.post(reverse("account_login"), {"login": "lan@example.vn", "password": new_password})
    assert signed_in_user_id(client) == str(user.pk)


def test_used_password_reset_link_is_refused(client):
    verified_user()
    client.post(reverse("account_reset_password"), {"email": "lan@example.vn"})
    reset_path = link_in(mail.outbox[0], r"/tai-khoan/password/reset/key/")
    response = client.get(reset_path, follow=True)
    form_path = response.redirect_chain[-1][0]
    client.post(form_path, {"password1": "Song-Cuu-Long-2025", "password2": "Song-Cuu-Long-2025"})

    response = client.get(reset_path, follow=True)

    assert "This link does not work" in response.content.decode()


@pytest.mark.parametrize(
    "url_name",
    [
        "account_login",
        "account_signup",
        "account_reset_password",
        "account_email_verification_sent",
    ],
)
def test_account_pages_use_the_public_layout_and_work_without_javascript(client, url_name):
    response = client.get(reverse(url_name))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="site-header"' in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert 'class="page-account"' in html
    assert re.search(r"<title>[^<]+ · eConsultation</title>", html)
    # Forms post back to the server: nothing on these pages depends on a script.
    assert "<script" not in html


@pytest.mark.parametrize("url_name", ["account_email", "account_change_password"])
def test_account_management_pages_use_the_public_layout(client, url_name):
    client.force_login(verified_user())

    response = client.get(reverse(url_name))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="site-header"' in html and 'class="page-account"' in html
    assert 'class="button' in html  # allauth's buttons drawn as the site's


def test_login_page_labels_its_fields_and_links_to_signup_and_reset(client):
    html = client.get(reverse("account_login")).content.decode()

    assert '<label for="id_login">' in html
    assert '<label for="id_password">' in html
    assert f'href="{reverse("account_reset_password")}"' in html
    assert f'href="{reverse("account_signup")}' in html


def test_logout_asks_then_signs_out(client):
    user = verified_user()
    client.force_login(user)

    assert "Do you want to sign out?" in client.get(reverse("account_logout")).content.decode()
    client.post(reverse("account_logout"))

    assert signed_in_user_id(client) is None


# “My feedback”: /tai-khoan/gop-y/


@pytest.fixture
def _no_rate_limit(settings):
    settings.FEEDBACK_RATE_PER_MINUTE = 10_000


def clause(draft, anchor="dieu-2-khoan-2") -> Provision:
    return Provision.objects.get(version__page=draft, anchor=anchor, withdrawn=False)


def comment(draft, user, text, *, provision=None, parent=None, stance="agree") -> Feedback:
    feedback, _ = services.feedback_submit(
        draft=draft,
        author=services.Author(user=user, name="", email=""),
        text=text,
        provision=provision,
        parent=parent,
        stance=stance,
    )
    return feedback


def my_feedback_html(client) -> str:
    response = client.get(reverse("consult_account:my_feedback"))
    assert response.status_code == 200
    return response.content.decode()


def item_html(html: str, feedback: Feedback) -> str:
    """The list item of one comment on the page."""
    listing = html[: html.index("</ol>")]
    for item in listing.split('<li class="card my-feedback__item')[1:]:
        if f'id="c{feedback.pk}"' in item.split(">", 1)[0]:
            return item
    raise AssertionError(f"comment {feedback.pk} is not on the page")


def test_my_feedback_requires_signing_in(client):
    url = reverse("consult_account:my_feedback")
    assert url == "/tai-khoan/gop-y/"

    response = client.get(url, follow=True)

    assert response.redirect_chain, "an anonymous visitor was not sent to sign in"
    assert response.redirect_chain[0][0] == f"{reverse('account_login')}?next={url}"
    assert response.status_code == 200
    assert '<label for="id_login">' in response.content.decode()


@pytest.mark.usefixtures("_no_rate_limit")
def test_my_feedback_shows_each_comment_with_its_state_and_the_replies_to_it(client, home, agency):
    author = verified_user()
    other = UserFactory(username="hung", email="hung@example.vn")
    moderator = UserFactory(username="mod", is_superuser=True, is_staff=True)
    open_draft = factories.draft_page(parent=home, agency=agency)
    screened = factories.draft_page(parent=home, agency=agency, title="Dự thảo Nghị định thử")
    screened.moderation = Moderation.PRE
    screened.save_revision().publish()
    screened = DraftPage.objects.get(pk=screened.pk)

    published = comment(
        open_draft, author, "Ý kiến đã đăng về khoản 2.", provision=clause(open_draft)
    )
    whole = comment(open_draft, author, "Ý kiến về toàn bộ dự thảo.", stance="question")
    pending = comment(screened, author, "Ý kiến chờ kiểm duyệt.", provision=clause(screened))
    removed = comment(open_draft, author, "Ý kiến bị gỡ.", provision=clause(open_draft))
    moderation.feedback_remove(feedback=removed, user=moderator, reason="Lộ thông tin cá nhân.")
    comment(open_draft, other, "Phản hồi đã đăng.", parent=published)
    hidden_reply = comment(open_draft, other, "Phản hồi bị gỡ.", parent=published)
    moderation.feedback_remove(feedback=hidden_reply, user=moderator, reason="Spam.")
    services.feedback_endorse(feedback=published, user=other)
    comment(open_draft, other, "Ý kiến của người khác.", provision=clause(open_draft))

    client.force_login(author)
    html = my_feedback_html(client)

    assert "You have given 4 comments." in html
    assert "Ý kiến của người khác." not in html
    item = item_html(html, published)
    assert "Published" in item
    assert open_draft.title in item and "Khoản 2 Điều 2" in item
    assert "1 endorsement" in item
    assert f'href="/gop-y/{published.pk}/"' in item
    assert "Phản hồi đã đăng." in item
    assert "Phản hồi bị gỡ." not in html
    assert "The draft as a whole" in item_html(html, whole)
    item = item_html(html, pending)
    assert "Waiting for moderation" in item and screened.title in item
    assert f'href="{screened.url}gop-y/dieu-2-khoan-2/#c{pending.pk}"' in item
    item = item_html(html, removed)
    assert "Removed by a moderator" in item and "Lộ thông tin cá nhân." in item
    assert "See it in its conversation" not in item

    # The links lead to the comments: a published one through its permanent address, a pending
    # one to its conversation, where its author sees it waiting.
    response = client.get(f"/gop-y/{published.pk}/", follow=True)
    assert f'id="c{published.pk}"' in response.content.decode()
    response = client.get(f"{screened.url}gop-y/dieu-2-khoan-2/")
    assert f'id="c{pending.pk}"' in response.content.decode()


@pytest.mark.usefixtures("_no_rate_limit")
def test_my_feedback_costs_the_same_queries_for_two_comments_or_twenty(client, draft):
    author = verified_user()
    other = UserFactory(username="hung", email="hung@example.vn")
    client.force_login(author)

    def queries_for_page() -> list[str]:
        with CaptureQueriesContext(connection) as queries:
            my_feedback_html(client)
        return [q["sql"] for q in queries]

    for n in range(2):
        parent = comment(draft, author, f"Ý kiến {n}.", provision=clause(draft))
        comment(draft, other, f"Phản hồi {n}.", parent=parent)
    queries_for_page()  # Wagtail caches the site's root paths on the first page
    few = queries_for_page()
    for n in range(2, 20):
        parent = comment(draft, author, f"Ý kiến {n}.", provision=clause(draft, "dieu-5-khoan-1"))
        comment(draft, other, f"Phản hồi {n}.", parent=parent)
    many = queries_for_page()

    assert len(many) == len(few), "\n".join(many)
    assert "Phản hồi 19." in my_feedback_html(client)


@pytest.mark.usefixtures("_no_rate_limit")
def test_my_feedback_shows_twenty_comments_a_page_newest_first(client, draft):
    author = verified_user()
    for n in range(21):
        comment(draft, author, f"Ý kiến số {n:02d}.")
    client.force_login(author)

    first = my_feedback_html(client)
    second = client.get(reverse("consult_account:my_feedback"), {"page": 2}).content.decode()

    assert first.count('class="card my-feedback__item') == 20
    assert "Ý kiến số 20." in first and "Ý kiến số 00." not in first
    assert second.count('class="card my-feedback__item') == 1
    assert "Ý kiến số 00." in second
    assert 'rel="next" href="?page=2"' in first


def test_my_feedback_says_so_when_there_is_none(client):
    client.force_login(verified_user())

    assert "You have not commented on any draft yet." in my_feedback_html(client)


@pytest.mark.usefixtures("_no_rate_limit")
def test_a_pending_comment_on_a_provision_since_removed_links_to_where_it_is(client, draft):
    """Not to the current Khoản 1 Điều 5, another clause since Dự thảo 2 dropped the first."""
    from tests.drafts.test_versions_pages import article, publish_next_version

    draft.moderation = Moderation.PRE
    draft.save_revision().publish()
    author = verified_user()
    pending = comment(draft, author, "Chờ duyệt.", provision=clause(draft, "dieu-5-khoan-1"))

    def drop_clause(body):
        clauses = article(body, "5")["value"]["clauses"]
        clauses.pop(0)
        clauses[0]["value"]["number"] = "1"

    revised = publish_next_version(draft, drop_clause)
    client.force_login(author)
    item = item_html(my_feedback_html(client), pending)
    url = f"{revised.url}gop-y/dieu-5-khoan-1/?phien-ban=1"
    assert f'href="{url}#c{pending.pk}"' in item
    assert f'id="c{pending.pk}"' in client.get(url).content.decode()
