"""Nothing is lost when the broker or a worker is down, with real Celery workers on the local
Redis (database 4; each run has a queue of its own):

- an e-mail written while the broker is down is sent exactly once when a worker drains the
  outbox again (the task beat runs, sent twice as beat and a redelivery would);
- a report export whose worker is killed (SIGKILL) mid-build is failed within two minutes by
  beat in another worker, its temporary file removed, and the draft can export again.

The e-mail test's worker is a thread of the test process, as in test_celery_worker.py; the
export test's workers are processes of their own (tests/consult/export_worker.py), so they can
be killed, and share the database only on PostgreSQL.
"""

import email
import os
import signal
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import connection, connections
from post_office.models import STATUS, Email

from consult.reports.builds import WORKER_DIED
from consult.reports.models import ReportExport
from consult.reports.services import report_export_request
from drafts.models import DraftPage, Provision
from econsult.celery import app
from tests import factories
from tests.consult.feedback.test_feedback_email import (
    AUTHOR_EMAIL,
    CLAUSE,
    open_draft,
    post_without_account,
)
from tests.factories import make_feedback
from tests.search.brokers import real_broker, redis_or_skip

REDIS_URL = os.environ.get("OUTBOX_TEST_REDIS_URL", "redis://127.0.0.1:6379/4")
CLOSED_BROKER = "redis://127.0.0.1:1/0"
REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@contextmanager
def broker(url: str, queue: str):
    """The project's app sending every task to `url`, on `queue`, without a result backend."""
    with real_broker(url):
        app.conf.update(
            result_backend=None,
            task_routes={"*": {"queue": queue}},
            task_default_queue=queue,
        )
        app._backend_cache = None
        try:
            yield
        finally:
            import redis

            client = redis.Redis.from_url(REDIS_URL)
            client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")


def mails_in(directory: Path) -> list[email.message.Message]:
    """The messages Django's file-based backend wrote to `directory`."""
    separator = "-" * 79
    found = []
    for path in sorted(directory.glob("*.log")):
        for chunk in path.read_text().split(separator):
            if chunk.strip():
                found.append(email.message_from_string(chunk.strip()))
    return found


def close_worker_connections(**kwargs):
    connections.close_all()


def wait_for(predicate, *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(0.25)
    raise AssertionError(f"not within {timeout} s: {what}")


def test_an_email_written_while_the_broker_was_down_is_sent_once_by_a_real_worker(
    client, home, agency, settings, tmp_path
):
    redis_or_skip(REDIS_URL)
    settings.POST_OFFICE = {
        **settings.POST_OFFICE,
        "BACKENDS": {"default": "django.core.mail.backends.filebased.EmailBackend"},
    }
    settings.EMAIL_FILE_PATH = str(tmp_path)
    draft = open_draft(home, agency)
    queue = f"econsult-outbox-{uuid.uuid4().hex}"

    with broker(CLOSED_BROKER, queue):
        began = time.monotonic()
        response = post_without_account(client, f"{draft.url}gop-y/{CLAUSE}/")
        assert time.monotonic() - began < 10, "the post waited on the broker"
    assert response.status_code == 302
    assert Email.objects.filter(to__contains=AUTHOR_EMAIL, status=STATUS.queued).count() == 1
    assert mails_in(tmp_path) == []

    beat_task = settings.CELERY_BEAT_SCHEDULE["outbox-drain"]["task"]
    assert settings.CELERY_BEAT_SCHEDULE["outbox-drain"]["schedule"] <= 60
    task_postrun.connect(close_worker_connections, weak=False)
    try:
        with (
            broker(REDIS_URL, queue),
            start_worker(
                app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=20
            ),
        ):
            # Beat's drain, then the same task again (a second beat tick, a redelivery).
            app.send_task(beat_task, queue=queue)
            app.send_task(beat_task, queue=queue)
            wait_for(
                lambda: not Email.objects.exclude(status=STATUS.sent).exists(),
                timeout=30,
                what="the outbox drained",
            )
            time.sleep(1)  # the second drain has run too (solo pool: one after the other)
    finally:
        task_postrun.disconnect(close_worker_connections)

    sent = mails_in(tmp_path)
    assert [m["To"] for m in sent] == [AUTHOR_EMAIL]
    assert "/gop-y/xac-nhan/" in sent[0].get_payload()


# A killed export


def database_url() -> str:
    params = connection.settings_dict
    user = params.get("USER") or "postgres"
    password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
    host = params.get("HOST") or "127.0.0.1"
    port = params.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{params['NAME']}"


def spawn_worker(queue: str, *args: str, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "econsult.settings.test",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": REDIS_URL,
        "REPORT_EXPORT_HEARTBEAT_SECONDS": "1",
        "REPORT_EXPORT_STALE_SECONDS": "4",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "tests.consult.export_worker", queue, *args],
        cwd=REPO,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )


def stop(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def test_an_export_whose_worker_is_killed_is_failed_within_two_minutes_and_frees_the_draft(
    draft, settings, tmp_path
):
    redis_or_skip(REDIS_URL)
    if connection.vendor != "postgresql":
        pytest.skip("workers in other processes share the test database only on PostgreSQL")
    settings.REPORT_EXPORT_STALE_SECONDS = 4
    article = Provision.objects.filter(version__page=draft, kind="article").first()
    for n in range(40):
        make_feedback(draft, provision=article, text=f"Góp ý số {n}")
    page = DraftPage.objects.get(pk=draft.pk)
    visitor = factories.UserFactory(username="khach")
    queue = f"econsult-export-{uuid.uuid4().hex}"
    first = second = None
    try:
        with broker(REDIS_URL, queue):
            first = spawn_worker(queue, "--slow", "0.5", log=tmp_path / "first.log")
            export = report_export_request(draft=page, format="csv", user=visitor)
            running = wait_for(
                lambda: ReportExport.objects.filter(
                    pk=export.pk, status=ReportExport.Status.RUNNING
                ).first(),
                timeout=90,
                what=f"the build started ({(tmp_path / 'first.log').read_text()[-2000:]})",
            )
            temp = Path(running.temp_path)
            assert temp.is_file() and temp.parent == Path(settings.REPORT_EXPORT_TMP_DIR)
            time.sleep(2)  # mid-build: two seconds of a twenty-second build
            first.send_signal(signal.SIGKILL)
            first.wait()
            killed_at = time.monotonic()
            assert ReportExport.objects.get(pk=export.pk).status == ReportExport.Status.RUNNING

            # Beat, in the worker that is left, fails it and removes its file.
            schedule = str(tmp_path / "celerybeat-schedule")
            second = spawn_worker(queue, "--beat", schedule, log=tmp_path / "second.log")
            failed = wait_for(
                lambda: ReportExport.objects.filter(
                    pk=export.pk, status=ReportExport.Status.FAILED
                ).first(),
                timeout=120 - (time.monotonic() - killed_at),
                what=f"the export failed ({(tmp_path / 'second.log').read_text()[-2000:]})",
            )
            assert time.monotonic() - killed_at < 120
            assert failed.error == WORKER_DIED
            assert not temp.exists(), "the killed build's temporary file is still there"

            again = report_export_request(draft=page, format="csv", user=visitor)
            assert again.pk != export.pk
            done = wait_for(
                lambda: ReportExport.objects.filter(
                    pk=again.pk, status=ReportExport.Status.DONE
                ).first(),
                timeout=90,
                what="the new export was built",
            )
            assert done.rows_total == 40
            assert done.file and os.path.exists(done.file.path)
    finally:
        for worker in (first, second):
            if worker is not None:
                stop(worker)
        connections.close_all()
