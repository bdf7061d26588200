"""With a real Celery worker on the local Redis: the synthesis report published fans out
through the broker (the event's task, then one small batch task per group of followers, then
the outbox's drain), and each follower's e-mail is written and sent once, even when the
event's task is delivered twice. The worker is a thread of the test process, as in
tests/outbox/test_outbox_worker.py, on a queue of the run's own."""

import time
import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.core import mail
from post_office.models import STATUS, Email

from consult.notifications import services
from consult.reports.services import report_publish
from econsult.celery import app
from tests import factories
from tests.consult.notifications.helpers import person
from tests.outbox.test_outbox_worker import (
    REDIS_URL,
    broker,
    close_worker_connections,
    wait_for,
)
from tests.search.brokers import redis_or_skip

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_report_published_fans_out_through_a_real_worker_once_per_follower(
    home, agency, monkeypatch
):
    redis_or_skip(REDIS_URL)
    monkeypatch.setattr(services, "BATCH_SIZE", 2)  # 5 followers: 3 batch tasks
    draft = factories.draft_page(parent=home, agency=agency)
    drafter = factories.agency_staff(agency, "soanthao")
    followers = [
        person(f"p{n}", draft=draft if n % 2 else None, agency=None if n % 2 else agency)
        for n in range(5)
    ]
    queue = f"econsult-follow-{uuid.uuid4().hex}"
    ran = []

    def note(sender=None, **kwargs):
        ran.append(sender.name)

    task_postrun.connect(close_worker_connections, weak=False)
    task_postrun.connect(note, weak=False)
    try:
        with (
            broker(REDIS_URL, queue),
            start_worker(
                app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=20
            ),
        ):
            report_publish(user=drafter, draft=draft)
            wait_for(
                lambda: (
                    Email.objects.count() == 5
                    and not Email.objects.exclude(status=STATUS.sent).exists()
                ),
                timeout=60,
                what="five e-mails written and sent",
            )
            # The event's task delivered again (a redelivery after a lost ack).
            app.send_task(
                "consult.notifications.tasks.follow_event", args=["report", draft.pk], queue=queue
            )
            wait_for(
                lambda: ran.count("consult.notifications.tasks.follow_batch") == 6,
                timeout=30,
                what="the batches of the second delivery",
            )
            time.sleep(1)
    finally:
        task_postrun.disconnect(close_worker_connections)
        task_postrun.disconnect(note)

    assert ran.count("consult.notifications.tasks.follow_event") == 2
    assert Email.objects.count() == 5
    assert sorted(m.to[0] for m in mail.outbox) == sorted(f.email for f in followers)
