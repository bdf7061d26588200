"""Indexing follows the comment's life: a post, a moderator's decision, an endorsement and the
draft's publication each reach public search once committed (tasks run eagerly here; the
real worker is in test_indexing_worker.py)."""

import pytest

from consult.feedback.models import Feedback
from consult.moderation import services as moderation
from tests.factories import make_feedback
from tests.search.support import api, citizen, found_ids, post_comment, token

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(client):
    person = citizen()
    client.force_login(person)
    return person


def test_a_posted_comment_is_found_once_committed(
    client, draft, reader, django_capture_on_commit_callbacks
):
    word = token()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        feedback = post_comment(client, draft, f"Đề nghị làm rõ {word} trong khoản này.")
    assert found_ids(client, q=word) == [], "indexed before the transaction committed"

    for callback in callbacks:
        callback()

    data = api(client, q=word)
    assert [row["id"] for row in data["results"]] == [feedback.pk]
    assert data["results"][0]["draft"] == draft.pk
    assert "<mark>" in data["results"][0]["highlight"]


def test_removing_a_comment_takes_it_out_of_public_search(
    client, draft, superuser, reader, django_capture_on_commit_callbacks
):
    word = token()
    with django_capture_on_commit_callbacks(execute=True):
        feedback = post_comment(client, draft, f"Quảng cáo {word} không liên quan.")
    assert found_ids(client, q=word) == [feedback.pk]

    with django_capture_on_commit_callbacks(execute=True):
        moderation.feedback_remove(feedback=feedback, user=superuser, reason="Quảng cáo")

    assert found_ids(client, q=word) == []
    assert found_ids(client, q=word, draft=draft.pk, stance="agree") == []


def test_an_approved_comment_appears_and_a_rejected_one_never_does(
    client, draft, superuser, django_capture_on_commit_callbacks
):
    approved_word, rejected_word = token(), token()
    approved = make_feedback(draft, text=f"Chờ duyệt {approved_word}", is_public=False)
    rejected = make_feedback(draft, text=f"Chờ duyệt {rejected_word}", is_public=False)

    with django_capture_on_commit_callbacks(execute=True):
        moderation.feedback_approve(feedback=approved, user=superuser)
        moderation.feedback_reject(feedback=rejected, user=superuser, reason="Lạc đề")

    assert found_ids(client, q=approved_word) == [approved.pk]
    assert found_ids(client, q=rejected_word) == []


def test_an_endorsement_reaches_the_index(
    client, draft, reader, django_capture_on_commit_callbacks
):
    word = token()
    with django_capture_on_commit_callbacks(execute=True):
        feedback = post_comment(client, draft, f"Ý kiến {word} được đồng tình.")
    client.force_login(citizen("nguoithu2"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/gop-y/{feedback.pk}/tan-thanh/")
    assert response.status_code in (200, 302)
    assert Feedback.objects.get(pk=feedback.pk).endorsement_count == 1

    (row,) = api(client, q=word)["results"]
    assert row["endorsements"] == 1


def test_unpublishing_a_draft_hides_its_feedback_and_publishing_shows_it_again(
    client, draft, reader, django_capture_on_commit_callbacks
):
    word = token()
    with django_capture_on_commit_callbacks(execute=True):
        feedback = post_comment(client, draft, f"Góp ý {word} cho dự thảo.")
    assert found_ids(client, q=word) == [feedback.pk]

    with django_capture_on_commit_callbacks(execute=True):
        draft.unpublish()
    assert found_ids(client, q=word) == []

    with django_capture_on_commit_callbacks(execute=True):
        draft.save_revision().publish()
    assert found_ids(client, q=word) == [feedback.pk]
