"""The e-mails about one's comments (an answer, a reply) honour the switches, carry the
one-click unsubscribe link and headers, and reach the author of the comment replied to when
they follow its draft, even without the followup box ticked."""

import pytest
from django.core import mail

from consult.answers import services as responses
from consult.answers.models import Decision
from consult.feedback.models import Feedback
from consult.notifications.models import Follow, Kind, OptOut
from drafts.models import Provision
from tests import factories
from tests.consult.feedback.test_feedback_email import CLAUSE, COMMENT, open_draft, post_from_page
from tests.factories import make_feedback

pytestmark = pytest.mark.django_db


def reply_from_hung(client, url, original, django_capture_on_commit_callbacks):
    client.force_login(factories.UserFactory(username="hung", email="hung@example.vn"))
    with django_capture_on_commit_callbacks(execute=True):
        post_from_page(
            client, f"{url}?reply={original.pk}", comment="Đã có tại Điều 3.", reply_to=original.pk
        )


@pytest.fixture
def thread(client, home, agency, django_capture_on_commit_callbacks):
    """Mai's comment, without the followup box ticked, and the URL of its conversation."""
    draft = open_draft(home, agency)
    url = f"{draft.url}gop-y/{CLAUSE}/"
    mai = factories.UserFactory(username="mai", email="mai@example.vn")
    client.force_login(mai)
    with django_capture_on_commit_callbacks(execute=True):
        post_from_page(client, url, comment=COMMENT, stance="question")
    return draft, url, mai, Feedback.objects.get()


def test_the_author_who_follows_the_draft_hears_of_a_reply_with_an_unsubscribe_link(
    client, thread, django_capture_on_commit_callbacks
):
    draft, url, mai, original = thread
    Follow.objects.create(user=mai, agency=draft.agency)
    reply_from_hung(client, url, original, django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [["mai@example.vn"]]
    message = mail.outbox[0].message()
    assert "đã trả lời góp ý của bạn" in mail.outbox[0].body
    assert message["List-Unsubscribe"].startswith("<http://testserver/theo-doi/huy-nhan-thu/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["List-Unsubscribe"][1:-1] in mail.outbox[0].body


def test_no_reply_email_once_replies_are_turned_off_even_with_the_box_ticked(
    client, thread, django_capture_on_commit_callbacks
):
    draft, url, mai, original = thread
    Feedback.objects.filter(pk=original.pk).update(followup=True)
    OptOut.objects.create(email="mai@example.vn", kind=Kind.REPLY)
    reply_from_hung(client, url, original, django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_answers_skip_authors_who_turned_them_off_and_carry_the_link(
    draft, agency, django_capture_on_commit_callbacks
):
    drafter = factories.agency_staff(agency, "soanthao")
    article = Provision.objects.get(version__page=draft, anchor="dieu-1")
    comments = [
        make_feedback(
            draft,
            provision=article,
            user=factories.UserFactory(username=f"tg{n}", email=f"tg{n}@example.vn"),
        )
        for n in range(2)
    ]
    OptOut.objects.create(email="tg1@example.vn", kind=Kind.ANSWER)
    response = responses.response_create(
        user=drafter,
        draft=draft,
        feedback_ids=[c.pk for c in comments],
        decision=Decision.ACCEPTED,
        reason="Đã sửa Điều 1.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        responses.response_publish(user=drafter, responses=[response])
    assert [m.to for m in mail.outbox] == [["tg0@example.vn"]]
    message = mail.outbox[0].message()
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["List-Unsubscribe"][1:-1] in mail.outbox[0].body
