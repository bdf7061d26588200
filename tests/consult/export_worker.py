"""A real Celery worker in a process of its own, for tests that kill it:
``python -m tests.consult.export_worker QUEUE [--beat SCHEDULE_FILE] [--slow SECONDS]``.

It reads the test's database and broker from the environment (DATABASE_URL,
CELERY_BROKER_URL), consumes QUEUE only and sends beat's tasks there too, so runs that share
the Redis database never take each other's tasks. With --slow, the CSV export writer waits
that long before each row, so that a test can kill the worker in the middle of a build.
"""

import argparse
import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "econsult.settings.test")

import django  # noqa: E402

django.setup()

from consult.reports import formats as exports  # noqa: E402
from econsult.celery import app  # noqa: E402


def slowed(writer, seconds: float):
    def write(out, head, rows):
        def crawl():
            for row in rows:
                time.sleep(seconds)
                yield row

        return writer(out, head, crawl())

    return write


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("queue")
    parser.add_argument("--beat", default="")
    parser.add_argument("--slow", type=float, default=0.0)
    args = parser.parse_args()
    if args.slow:
        exports.WRITERS["csv"] = slowed(exports.WRITERS["csv"], args.slow)
    broker = os.environ["CELERY_BROKER_URL"]
    app.conf.update(
        broker_url=broker,
        result_backend=None,
        task_always_eager=False,
        task_default_queue=args.queue,
    )
    argv = ["worker", "--pool=solo", "-Q", args.queue, "--loglevel=INFO"]
    argv += ["--without-mingle", "--without-gossip", "--hostname", f"{args.queue}@%h-{os.getpid()}"]
    if args.beat:
        argv += ["--beat", "--schedule", args.beat]
    sys.stdout.flush()
    app.worker_main(argv)


if __name__ == "__main__":
    main()
