"""Nothing is lost when the broker or the search engine is down: the post succeeds, the comment
is stored, a warning is logged, and `search_reconcile --repair` brings search up to date once
the services are back."""

import io
import logging
import time

import pytest
from django.core.management import call_command
from django.test import override_settings
from post_office.models import STATUS, Email

from consult.feedback.models import Feedback
from econsult.celery import app
from search import tasks
from tests import factories
from tests.factories import make_feedback
from tests.search.brokers import CLOSED_BROKER, real_broker
from tests.search.support import citizen, found_ids, post_comment, token

CLOSED_ELASTICSEARCH = "http://127.0.0.1:1"


def reconcile(*args) -> str:
    out = io.StringIO()
    call_command("search_reconcile", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_with_the_broker_down_a_post_succeeds_and_reconcile_indexes_it(client, caplog):
    draft = factories.draft_page()
    client.force_login(citizen())
    word = token()
    caplog.set_level(logging.WARNING, logger="econsult.queueing")

    with real_broker(CLOSED_BROKER):
        began = time.monotonic()
        feedback = post_comment(client, draft, f"Góp ý {word} khi hàng đợi hỏng.")
        assert time.monotonic() - began < 5, "the post waited on the broker"

    assert Feedback.objects.filter(pk=feedback.pk, is_public=True).exists()
    assert any("could not queue" in r.getMessage() for r in caplog.records), caplog.text
    assert found_ids(client, q=word) == []

    output = reconcile("--repair")
    assert "missing: 1" in output
    assert found_ids(client, q=word) == [feedback.pk]
    assert "missing: 0" in reconcile()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_with_the_broker_down_a_reply_and_a_comment_without_account_are_still_saved(client, caplog):
    """Both write e-mails (to the thread's followers, to confirm the address): those wait in
    the outbox for beat's next drain, and the person still sees success."""
    draft = factories.draft_page(allow_anonymous=True)
    first = make_feedback(draft, text="Góp ý đầu tiên.", followup=True)
    caplog.set_level(logging.WARNING, logger="econsult.queueing")

    with real_broker(CLOSED_BROKER):
        client.force_login(citizen())
        reply = post_comment(client, draft, "Trả lời khi hàng đợi hỏng.", reply_to=first.pk)
        client.logout()
        anonymous = post_comment(
            client, draft, "Góp ý không tài khoản.", name="Lan", email="lan@example.vn"
        )

    assert reply.parent_id == first.pk and reply.is_public
    assert not anonymous.email_confirmed
    assert "e-mail sent by beat's next drain" in caplog.text
    waiting = Email.objects.filter(status=STATUS.queued)
    assert sorted(email.to[0] for email in waiting) == ["a@example.vn", "lan@example.vn"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_with_elasticsearch_down_a_post_succeeds_and_reconcile_indexes_it(client, caplog):
    draft = factories.draft_page()
    client.force_login(citizen())
    word = token()
    caplog.set_level(logging.WARNING, logger="econsult.queueing")

    with override_settings(ELASTICSEARCH_URL=CLOSED_ELASTICSEARCH):
        feedback = post_comment(client, draft, f"Góp ý {word} khi máy tìm kiếm hỏng.")
        assert client.get(f"{draft.url}tim-kiem/", {"q": word}).status_code == 503
        assert client.get("/api/v1/feedback/search/", {"q": word}).status_code == 503

    assert Feedback.objects.filter(pk=feedback.pk, is_public=True).exists()
    assert any("could not queue" in r.getMessage() for r in caplog.records), caplog.text
    assert found_ids(client, q=word) == []

    output = reconcile("--repair")
    assert "missing: 1" in output
    assert found_ids(client, q=word) == [feedback.pk]


@pytest.mark.django_db
def test_the_index_task_retries_then_gives_up_with_a_warning(draft, caplog):
    from celery.signals import task_retry

    feedback = make_feedback(draft, text="Góp ý khi máy tìm kiếm hỏng.")
    retries = []

    def count(**kwargs):
        retries.append(1)

    task_retry.connect(count, weak=False)
    caplog.set_level(logging.WARNING, logger="econsult.queueing")
    # Eager retries run at once, one inside the other; they must not raise out of the test.
    propagates, app.conf.task_eager_propagates = app.conf.task_eager_propagates, False
    try:
        with override_settings(ELASTICSEARCH_URL=CLOSED_ELASTICSEARCH):
            result = tasks.index_feedback.apply(args=[[feedback.pk]])
    finally:
        app.conf.task_eager_propagates = propagates
        task_retry.disconnect(count)

    assert result.failed()
    assert len(retries) == tasks.index_feedback.max_retries
    assert any("gave up" in r.getMessage() for r in caplog.records), caplog.text
