"""The outbox: every e-mail is a row written with the change that causes it, so a broker that
is down delays it and loses nothing; drains send each row once, retry failures with back-off,
and running a notification again e-mails nobody twice."""

import threading
import time
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import call_command
from django.db import DatabaseError
from django.urls import reverse
from django.utils import timezone
from post_office.models import STATUS, Email

from consult.answers import services as responses
from consult.answers import tasks as answer_tasks
from consult.answers.models import Decision
from consult.feedback import tasks
from consult.feedback.models import Feedback
from drafts.models import Provision
from econsult.celery import app
from econsult.outbox import tasks as outbox_tasks
from tests import factories
from tests.consult.feedback.test_feedback_email import (
    AUTHOR_EMAIL,
    CLAUSE,
    COMMENT,
    confirmation_path,
    open_draft,
    post_from_page,
    post_without_account,
)
from tests.factories import make_feedback
from tests.search.brokers import CLOSED_BROKER, real_broker

pytestmark = pytest.mark.django_db

OUTBOX_BACKEND = "econsult.outbox.backends.OutboxBackend"


class FailingTwiceBackend(BaseEmailBackend):
    """Refuses the first two sends (an SMTP server that is down), then delivers to the test
    mailbox."""

    refusals = 0

    def send_messages(self, messages):
        if FailingTwiceBackend.refusals < 2:
            FailingTwiceBackend.refusals += 1
            raise ConnectionRefusedError("SMTP server unreachable")
        return LocmemBackend().send_messages(messages)


class SlowBackend(LocmemBackend):
    """Delivers to the test mailbox after a pause, so that two drains overlap."""

    def send_messages(self, messages):
        time.sleep(0.2)
        return super().send_messages(messages)


@contextmanager
def broker_down():
    """Tasks sent to a broker on a closed port, with no result backend to wait on (a Redis
    one on that port would retry for 20 s on every task)."""
    with real_broker(CLOSED_BROKER):
        app.conf.result_backend = None
        app._backend_cache = None
        yield


def use_backend(settings, path: str) -> None:
    settings.POST_OFFICE = {**settings.POST_OFFICE, "BACKENDS": {"default": path}}


def queued_to(address: str):
    return Email.objects.filter(to__contains=address, status__in=[STATUS.queued, STATUS.requeued])


def test_a_comment_posted_while_the_broker_is_down_keeps_its_email_until_a_drain(
    client, home, agency, django_capture_on_commit_callbacks
):
    draft = open_draft(home, agency)
    url = f"{draft.url}gop-y/{CLAUSE}/"

    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        response = post_without_account(client, url)

    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert not feedback.email_confirmed
    assert mail.outbox == [], "sent although the broker was down"
    waiting = queued_to(AUTHOR_EMAIL).get()
    assert COMMENT in waiting.message

    # The broker is back (eager here): beat's drain task, then the operator's command.
    assert outbox_tasks.outbox_drain.delay().get() == {"sent": 1, "requeued": 0, "failed": 0}
    call_command("outbox_drain", stdout=open("/dev/null", "w"))  # noqa: SIM115
    outbox_tasks.outbox_drain.delay()

    assert [m.to for m in mail.outbox] == [[AUTHOR_EMAIL]]
    assert Email.objects.get(pk=waiting.pk).status == STATUS.sent
    client.get(confirmation_path(mail.outbox[0]))
    feedback.refresh_from_db()
    assert feedback.email_confirmed and feedback.is_public


def test_a_comment_whose_email_cannot_be_written_is_not_stored_either(
    client, home, agency, monkeypatch
):
    """The e-mail and the comment are one transaction: never a comment waiting for a
    confirmation link that nobody will send."""
    draft = open_draft(home, agency)

    def broken(messages):
        raise DatabaseError("disk full")

    monkeypatch.setattr("consult.feedback.notifications.outbox_send", broken)
    client.raise_request_exception = False
    response = post_without_account(client, f"{draft.url}gop-y/{CLAUSE}/")
    assert response.status_code == 500
    assert not Feedback.objects.exists()


def test_a_comment_with_template_syntax_reaches_the_email_as_written(
    client, home, agency, django_capture_on_commit_callbacks
):
    draft = open_draft(home, agency)
    text = "Điều này {{ sai }} và {% if x %} cần sửa {# ghi chú #}."
    with django_capture_on_commit_callbacks(execute=True):
        response = post_without_account(client, f"{draft.url}gop-y/{CLAUSE}/", comment=text)

    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[AUTHOR_EMAIL]]
    assert text in mail.outbox[0].body


def queue_four() -> None:
    for n in range(4):
        Email.objects.create(
            from_email="no-reply@econsult.local",
            to=[f"nguoi{n}@example.vn"],
            subject=f"Thư {n}",
            message="Nội dung",
            status=STATUS.queued,
        )


class DrainingAgainBackend(LocmemBackend):
    """While the first message is being sent, a second drain runs (as another worker would)."""

    nested: list[dict] = []

    def send_messages(self, messages):
        if not DrainingAgainBackend.nested:
            DrainingAgainBackend.nested.append(outbox_tasks.outbox_drain())
        return super().send_messages(messages)


def test_a_drain_that_runs_while_another_is_sending_sends_nothing_twice(settings):
    use_backend(settings, "tests.outbox.test_outbox.DrainingAgainBackend")
    DrainingAgainBackend.nested = []
    queue_four()

    assert outbox_tasks.outbox_drain()["sent"] == 4
    assert DrainingAgainBackend.nested == [{"sent": 0, "requeued": 0, "failed": 0}]
    assert sorted(m.to[0] for m in mail.outbox) == [f"nguoi{n}@example.vn" for n in range(4)]


# Serialized rollback, like the other transactional tests: a flush would recreate content
# types under new ids, which the next serialized restore refuses.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_drains_at_the_same_time_send_each_email_once(settings):
    from django.db import connection

    if connection.vendor == "sqlite":
        pytest.skip("SQLite's shared in-memory test database refuses concurrent writers")
    use_backend(settings, "tests.outbox.test_outbox.SlowBackend")
    queue_four()
    results = []
    errors = []

    def drain():
        try:
            results.append(outbox_tasks.outbox_drain())
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            from django.db import connection

            connection.close()

    threads = [threading.Thread(target=drain) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(m.to[0] for m in mail.outbox) == [f"nguoi{n}@example.vn" for n in range(4)]
    assert sum(r["sent"] for r in results) == 4
    assert not Email.objects.exclude(status=STATUS.sent).exists()


def test_a_failed_send_is_retried_with_back_off_then_sent_once(settings):
    use_backend(settings, "tests.outbox.test_outbox.FailingTwiceBackend")
    FailingTwiceBackend.refusals = 0
    settings.OUTBOX_RETRY_SECONDS = 60
    email = Email.objects.create(
        from_email="no-reply@econsult.local",
        to=["lan@example.vn"],
        subject="Thư",
        message="Nội dung",
        status=STATUS.queued,
    )

    before = timezone.now()
    assert outbox_tasks.outbox_drain() == {"sent": 0, "requeued": 1, "failed": 0}
    email.refresh_from_db()
    assert (email.status, email.number_of_retries) == (STATUS.requeued, 1)
    first_wait = email.scheduled_time - before
    assert timedelta(seconds=55) < first_wait < timedelta(seconds=70)
    assert email.logs.get().exception_type == "ConnectionRefusedError"

    # Not due yet: a drain now leaves it alone.
    assert outbox_tasks.outbox_drain() == {"sent": 0, "requeued": 0, "failed": 0}

    Email.objects.filter(pk=email.pk).update(scheduled_time=timezone.now())
    before = timezone.now()
    assert outbox_tasks.outbox_drain()["requeued"] == 1
    email.refresh_from_db()
    assert email.number_of_retries == 2
    assert email.scheduled_time - before > timedelta(seconds=115), "no back-off"

    Email.objects.filter(pk=email.pk).update(scheduled_time=timezone.now())
    assert outbox_tasks.outbox_drain()["sent"] == 1
    assert outbox_tasks.outbox_drain()["sent"] == 0
    assert [m.to for m in mail.outbox] == [["lan@example.vn"]]


def test_a_send_that_keeps_failing_is_given_up_after_the_retries(settings):
    use_backend(settings, "tests.outbox.test_outbox.FailingTwiceBackend")
    FailingTwiceBackend.refusals = 0
    settings.OUTBOX_MAX_RETRIES = 1
    settings.OUTBOX_RETRY_SECONDS = 0
    email = Email.objects.create(
        from_email="no-reply@econsult.local",
        to=["lan@example.vn"],
        message="Nội dung",
        status=STATUS.queued,
    )
    assert outbox_tasks.outbox_drain() == {"sent": 0, "requeued": 1, "failed": 1}
    email.refresh_from_db()
    assert email.status == STATUS.failed
    assert mail.outbox == []


def test_publishing_an_answer_emails_each_author_once_even_if_the_task_runs_again(
    draft, agency, django_capture_on_commit_callbacks
):
    drafter = factories.UserFactory(username="drafter")
    agency.staff.add(drafter)
    article = Provision.objects.filter(version__page=draft, kind="article").first()
    comments = [
        make_feedback(
            draft,
            provision=article,
            text=f"Góp ý {n}",
            user=factories.UserFactory(username=f"tg{n}", email=f"tg{n}@example.vn"),
        )
        for n in range(3)
    ]
    response = responses.response_create(
        user=drafter,
        draft=draft,
        feedback_ids=[c.pk for c in comments],
        decision=Decision.ACCEPTED,
        reason="Đã sửa Điều 1.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        responses.response_publish(user=drafter, responses=[response])
    assert sorted(m.to[0] for m in mail.outbox) == [f"tg{n}@example.vn" for n in range(3)]

    # A retried (or re-run) notification task writes nothing new, and nothing is sent again.
    with django_capture_on_commit_callbacks(execute=True):
        assert answer_tasks.notify_answered.delay(response.pk).get() == 0
        assert answer_tasks.notify_answered.delay(response.pk).get() == 0
    outbox_tasks.outbox_drain()
    assert len(mail.outbox) == 3
    assert Email.objects.count() == 3


def test_followers_hear_of_a_reply_once_even_if_the_task_runs_again(
    client, home, agency, django_capture_on_commit_callbacks
):
    draft = open_draft(home, agency)
    url = f"{draft.url}gop-y/{CLAUSE}/"
    client.force_login(factories.UserFactory(username="mai", email="mai@example.vn"))
    with django_capture_on_commit_callbacks(execute=True):
        post_from_page(client, url, comment=COMMENT, stance="question", followup="on")
    original = Feedback.objects.get()
    client.force_login(factories.UserFactory(username="hung", email="hung@example.vn"))
    with django_capture_on_commit_callbacks(execute=True):
        post_from_page(
            client, f"{url}?reply={original.pk}", comment="Đã có tại Điều 3.", reply_to=original.pk
        )
    reply = Feedback.objects.exclude(pk=original.pk).get()
    assert [m.to for m in mail.outbox] == [["mai@example.vn"]]

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.notify_followers.delay(reply.pk).get() == 0
        assert tasks.send_confirmation_request.delay(original.pk).get() is False
    assert [m.to for m in mail.outbox] == [["mai@example.vn"]]


def test_the_signup_verification_email_waits_in_the_outbox_while_the_broker_is_down(
    client, settings, django_capture_on_commit_callbacks
):
    # The test runner swaps EMAIL_BACKEND for its mailbox; the project's is the outbox.
    settings.EMAIL_BACKEND = OUTBOX_BACKEND
    password = "Mat-khau-rat-dai-2024"
    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {
                "email": "minh@example.vn",
                "first_name": "Minh",
                "username": "minh",
                "password1": password,
                "password2": password,
            },
        )
    assert response.status_code == 302
    assert mail.outbox == []
    assert queued_to("minh@example.vn").count() == 1

    outbox_tasks.outbox_drain.delay()
    outbox_tasks.outbox_drain.delay()
    assert [m.to for m in mail.outbox] == [["minh@example.vn"]]
    assert "/tai-khoan/confirm-email/" in mail.outbox[0].body


def test_in_the_embedded_default_emails_go_out_at_once(
    client, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = OUTBOX_BACKEND
    assert settings.CELERY_TASK_ALWAYS_EAGER
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_reset_password"),
            {"email": factories.UserFactory(username="lan", email="lan@example.vn").email},
        )
    assert [m.to for m in mail.outbox] == [["lan@example.vn"]]
    assert Email.objects.get().status == STATUS.sent
