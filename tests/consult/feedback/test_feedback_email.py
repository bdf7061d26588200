"""Feedback and e-mail, through HTTP and the test mailbox: a comment without an account is
published only once its author opens the link we send, and people who follow a conversation
hear about replies."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from consult.feedback.models import Feedback
from drafts.models import Moderation
from tests import factories
from tests.consult.posting import post_feedback

pytestmark = pytest.mark.django_db

CLAUSE = "dieu-2-khoan-2"
AUTHOR_EMAIL = "tran.thi.mai@example.vn"
COMMENT = "Đề nghị làm rõ khái niệm cá nhân nước ngoài tại khoản này."


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def client(client):
    return english(client)


@pytest.fixture
def reader():
    """Someone else, with no session of their own: what the public sees."""
    return english(Client())


def open_draft(home, agency, *, moderation=Moderation.POST):
    """A consultation that takes feedback without an account, published as an editor would."""
    page = factories.draft_page(parent=home, agency=agency)
    page.allow_anonymous = True
    page.moderation = moderation
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def post_from_page(client, url, **data):
    """GET the thread page, then POST its form back as a browser would, with `data` filled in."""
    return post_feedback(client, url, **data)[0]


def post_without_account(client, url, **data):
    author = {
        "name": "Trần Thị Mai",
        "email": AUTHOR_EMAIL,
        "comment": COMMENT,
        "stance": "question",
        "show_name": "on",
    }
    return post_from_page(client, url, **{**author, **data})


def confirmation_path(message) -> str:
    paths = re.findall(r"https?://[^/\s]+(/gop-y/xac-nhan/[^\s]+/)", message.body)
    assert len(paths) == 1, message.body
    return paths[0]


def test_comment_without_account_is_published_when_its_author_opens_the_emailed_link(
    client, reader, home, agency, django_capture_on_commit_callbacks
):
    draft = open_draft(home, agency)
    url = f"{draft.url}gop-y/{CLAUSE}/"

    with django_capture_on_commit_callbacks(execute=True):
        response = post_without_account(client, url)

    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert (feedback.is_public, feedback.email_confirmed) == (False, False)
    assert COMMENT not in reader.get(url).content.decode()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [AUTHOR_EMAIL]
    assert draft.title in message.subject
    assert COMMENT in message.body

    response = client.get(confirmation_path(message))

    assert response.status_code == 302
    assert response["Location"].endswith(f"{url}#c{feedback.pk}")
    feedback.refresh_from_db()
    assert (feedback.is_public, feedback.email_confirmed) == (True, True)
    thread = client.get(response["Location"]).content.decode()
    assert "your comment is confirmed and published" in thread
    public = reader.get(url).content.decode()
    assert COMMENT in public
    assert "Trần Thị Mai" in public
    assert AUTHOR_EMAIL not in public
    assert "tran.thi.mai" not in public


def test_confirming_twice_is_harmless(client, home, agency, django_capture_on_commit_callbacks):
    draft = open_draft(home, agency)
    url = f"{draft.url}gop-y/{CLAUSE}/"
    with django_capture_on_commit_callbacks(execute=True):
        post_without_account(client, url)
    path = confirmation_path(mail.outbox[0])

    with django_capture_on_commit_callbacks(execute=True):
        first = client.get(path)
        second = client.get(path)

    assert first.status_code == second.status_code == 302
    assert Feedback.objects.get().is_public
    assert len(mail.outbox) == 1


def test_under_pre_moderation_a_confirmed_comment_waits_for_a_moderator(
    client, reader, home, agency, django_capture_on_commit_callbacks
):
    draft = open_draft(home, agency, moderation=Moderation.PRE)
    url = f"{draft.url}gop-y/{CLAUSE}/"
    with django_capture_on_commit_callbacks(execute=True):
        post_without_account(client, url)

    response = client.get(confirmation_path(mail.outbox[0]), follow=True)

    assert response.status_code == 200
    assert "will appear once approved" in response.content.decode()
    feedback = Feedback.objects.get()
    assert (feedback.email_confirmed, feedback.is_public) == (True, False)
    assert COMMENT not in reader.get(url).content.decode()


def test_tampered_confirmation_link_is_refused_with_a_reason(
    client, home, agency, django_capture_on_commit_callbacks
):
    draft = open_draft(home, agency)
    with django_capture_on_commit_callbacks(execute=True):
        post_without_account(client, f"{draft.url}gop-y/{CLAUSE}/")
    path = confirmation_path(mail.outbox[0])
    token = path.removeprefix("/gop-y/xac-nhan/").rstrip("/")
    tampered = f"/gop-y/xac-nhan/{token[:-4]}{'AAAA' if token[-4:] != 'AAAA' else 'BBBB'}/"

    response = client.get(tampered)

    assert response.status_code == 400
    html = response.content.decode()
    assert "We could not confirm this comment" in html
    assert "This confirmation link is not valid." in html
    feedback = Feedback.objects.get()
    assert (feedback.is_public, feedback.email_confirmed) == (False, False)


def test_confirmation_email_follows_the_language_the_author_chose(
    client, home, agency, django_capture_on_commit_callbacks
):
    draft = open_draft(home, agency)
    url = f"{draft.url}gop-y/{CLAUSE}/"
    vietnamese = Client()  # no language chosen: the site speaks Vietnamese

    with django_capture_on_commit_callbacks(execute=True):
        post_without_account(client, url)
        post_without_account(vietnamese, url, email="le.van.an@example.vn")

    languages = dict(Feedback.objects.values_list("user_email", "language"))
    assert languages == {AUTHOR_EMAIL: "en", "le.van.an@example.vn": "vi"}
    english_mail = next(m for m in mail.outbox if m.to == [AUTHOR_EMAIL])
    assert english_mail.subject.startswith("Confirm your comment on")


REPLY_AS_TYPED = "Khái niệm 'người sử dụng lao động' có tại Điều 3 & Điều 4 (mức phạt < 5 triệu)."


def test_reply_emails_the_author_who_asked_to_follow_the_conversation(
    client, reader, home, agency, django_capture_on_commit_callbacks
):
    draft = open_draft(home, agency)
    url = f"{draft.url}gop-y/{CLAUSE}/"
    follower = factories.UserFactory(username="mai", email="mai@example.vn")
    replier = factories.UserFactory(username="hung", email="hung@example.vn")

    client.force_login(follower)
    with django_capture_on_commit_callbacks(execute=True):
        post_from_page(client, url, comment=COMMENT, stance="question", followup="on")
    original = Feedback.objects.get()
    assert original.followup and original.is_public
    assert mail.outbox == []  # nobody follows yet but the author, and it is their own comment

    reader.force_login(replier)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_from_page(
            reader,
            f"{url}?reply={original.pk}",
            comment=REPLY_AS_TYPED,
            reply_to=str(original.pk),
        )

    assert response.status_code == 302, response.content.decode()[:2000]
    reply = Feedback.objects.exclude(pk=original.pk).get()
    assert (reply.parent_id, reply.level, reply.is_public) == (original.pk, 1, True)
    assert [m.to for m in mail.outbox] == [["mai@example.vn"]]
    message = mail.outbox[0]
    assert draft.title in message.subject
    assert REPLY_AS_TYPED in message.body  # plain text: quotes, & and < as typed, not escaped
    assert f"/gop-y/{reply.pk}/" in message.body
    assert "hung@example.vn" not in message.body


def test_no_reply_email_for_an_author_who_did_not_ask(
    client, reader, home, agency, django_capture_on_commit_callbacks
):
    draft = open_draft(home, agency)
    url = f"{draft.url}gop-y/{CLAUSE}/"
    client.force_login(factories.UserFactory(username="mai", email="mai@example.vn"))
    with django_capture_on_commit_callbacks(execute=True):
        post_from_page(client, url, comment=COMMENT, stance="question")
    original = Feedback.objects.get()

    reader.force_login(factories.UserFactory(username="hung", email="hung@example.vn"))
    with django_capture_on_commit_callbacks(execute=True):
        response = post_from_page(
            reader,
            f"{url}?reply={original.pk}",
            comment="Đã có tại Điều 3.",
            reply_to=str(original.pk),
        )

    assert response.status_code == 302
    assert mail.outbox == []


def test_reply_email_links_to_the_reply_in_its_conversation(
    client, reader, home, agency, django_capture_on_commit_callbacks
):
    draft = open_draft(home, agency)
    url = f"{draft.url}gop-y/{CLAUSE}/"
    client.force_login(factories.UserFactory(username="mai", email="mai@example.vn"))
    with django_capture_on_commit_callbacks(execute=True):
        post_from_page(client, url, comment=COMMENT, stance="question", followup="on")
    original = Feedback.objects.get()
    reader.force_login(factories.UserFactory(username="hung", email="hung@example.vn"))
    with django_capture_on_commit_callbacks(execute=True):
        post_from_page(
            reader,
            f"{url}?reply={original.pk}",
            comment="Khái niệm này đã có tại Điều 3.",
            reply_to=str(original.pk),
        )
    reply = Feedback.objects.exclude(pk=original.pk).get()
    link = re.search(r"https?://[^/\s]+(/\S*)", mail.outbox[0].body).group(1)

    response = client.get(link, follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0].endswith(f"{url}#c{reply.pk}")
    assert f'id="c{reply.pk}"' in response.content.decode()
