"""Benchmark the notifications: the fan-out of one event to a draft's followers, and the daily
digest of agency staff.

    python bench/notifications.py [--scale F] [--database-url URL] [--runs N]

At --scale 1 one draft has 100,000 followers (a tenth of them also follow its agency, who must
get one e-mail, not two; one in five reads English), and 1,000 agency staff belong to 50
agencies of two open drafts each, with comments of the last 24 hours (and older ones, and
flagged ones) on every draft.

The fan-out is the synthesis report's event: `follow_event` walks the followers by id and
queues one `follow_batch` per BATCH_SIZE followers, each writing its e-mails to the outbox
with bulk inserts. Tasks run eagerly, in this process (no broker), and the outbox's drain is
left out: what is timed is writing every e-mail to the outbox. The digest is `staff_digest`
(one `digest_batch` per DIGEST_BATCH_SIZE staff), timed the same way. Between runs the outbox
is emptied (its keys would make a second run write nothing). Reported: totals (median of the
runs), the batches' own times (median, p95), queries per batch, and the largest task payload
in bytes (JSON), which shows the queue never holds one giant task.

Without --database-url it runs on PostgreSQL, postgres://postgres@127.0.0.1:5432/
econsult_bench_notifications, dropped and created again at every start; a sqlite:////path URL
works too. Targets at scale 1: fan-out ≤ 120 s, digest ≤ 30 s. The last line printed is one
JSON object with the figures.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import statistics
import time
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/econsult_bench_notifications"
FOLLOWERS_AT_SCALE_1 = 100_000
STAFF_AT_SCALE_1 = 1_000
AGENCIES_AT_SCALE_1 = 50
DRAFTS_PER_AGENCY = 2
NEW_COMMENTS_PER_DRAFT = 12
FANOUT_TARGET_S = 120
DIGEST_TARGET_S = 30
CHUNK = 10_000


def load(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", REPO / f"bench/{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


page_bench = load("feedback_page")
p95 = page_bench.p95


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--scale", type=float, default=1.0, help="1 = 100,000 followers, 1,000 staff (default)"
    )
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each (default 3)")
    return parser.parse_args()


# The data


def build_users(prefix: str, count: int) -> list[int]:
    """`count` active users with e-mail addresses, bulk-inserted; their ids."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    for start in range(0, count, CHUNK):
        User.objects.bulk_create(
            [
                User(
                    username=f"{prefix}{n}",
                    email=f"{prefix}{n}@example.vn",
                    password="!",
                    is_active=True,
                )
                for n in range(start, min(count, start + CHUNK))
            ]
        )
    return list(
        User.objects.filter(username__startswith=prefix).order_by("pk").values_list("pk", flat=True)
    )


def build_followers(draft, count: int, rng: random.Random) -> int:
    """`count` followers of `draft`, a tenth also following its agency; rows written."""
    from consult.notifications.models import Follow

    user_ids = build_users(f"f{draft.pk}x", count)
    rows = 0
    for start in range(0, len(user_ids), CHUNK):
        follows = []
        for user_id in user_ids[start : start + CHUNK]:
            language = "en" if rng.random() < 0.2 else "vi"
            follows.append(Follow(user_id=user_id, draft_id=draft.pk, language=language))
            if rng.random() < 0.1:
                follows.append(Follow(user_id=user_id, agency_id=draft.agency_id, language="vi"))
        Follow.objects.bulk_create(follows)
        rows += len(follows)
    return rows


def build_staff(staff: int, agencies: int, rng: random.Random) -> dict:
    """`agencies` agencies of DRAFTS_PER_AGENCY open drafts with fresh, old and flagged
    comments, and `staff` members of staff spread over them."""
    from django.contrib.contenttypes.models import ContentType
    from django.contrib.sites.models import Site
    from django.utils import timezone

    from consult.feedback.models import Feedback
    from drafts.models import Agency, DraftPage
    from tests import factories

    now = timezone.now()
    home = factories.home_page()
    content_type = ContentType.objects.get_for_model(DraftPage)
    site = Site.objects.get_current()
    made = []
    for a in range(agencies):
        agency = factories.AgencyFactory(name=f"Cơ quan thử {a:03}", code=f"CQ{a:03}")
        for d in range(DRAFTS_PER_AGENCY):
            made.append(
                factories.draft_page(
                    parent=home, agency=agency, title=f"Dự thảo {a:03}-{d}", body=[]
                )
            )
    comments = 0
    for draft in made:
        for n in range(NEW_COMMENTS_PER_DRAFT + 3):
            fresh = n < NEW_COMMENTS_PER_DRAFT
            Feedback.objects.create(
                content_type=content_type,
                object_pk=str(draft.pk),
                site=site,
                draft=draft,
                user_name="Người dân",
                user_email="a@example.vn",
                comment=f"Góp ý số {n} về {draft.title}: đề nghị làm rõ phạm vi điều chỉnh.",
                is_public=True,
                stance="change",
                submit_date=now - timedelta(hours=rng.uniform(0.1, 23.9) if fresh else 30),
                flag_count=1 if n == NEW_COMMENTS_PER_DRAFT else 0,
            )
            comments += 1
    user_ids = build_users("staff", staff)
    through = Agency.staff.through
    agency_ids = list(Agency.objects.filter(code__startswith="CQ").values_list("pk", flat=True))
    through.objects.bulk_create(
        [
            through(user_id=u, agency_id=agency_ids[i % len(agency_ids)])
            for i, u in enumerate(user_ids)
        ]
    )
    return {"agencies": agencies, "drafts": len(made), "comments": comments, "staff": len(user_ids)}


# Measuring


class Spy:
    """Wraps a task's `delay`: records each payload's size in bytes (JSON) and each call's time."""

    def __init__(self, task):
        self.task, self.real = task, task.delay
        self.payloads: list[int] = []
        self.seconds: list[float] = []

    def __enter__(self):
        def delay(*args):
            self.payloads.append(len(json.dumps(list(args))))
            started = time.perf_counter()
            result = self.real(*args)
            self.seconds.append(time.perf_counter() - started)
            return result

        self.task.delay = delay
        return self

    def __exit__(self, *exc):
        self.task.delay = self.real


def empty_outbox() -> None:
    from post_office.models import Email

    from econsult.outbox.models import OutboxKey

    OutboxKey.objects.all().delete()
    Email.objects.all()._raw_delete(Email.objects.db)


def main() -> None:
    args = parse_args()
    page_bench.configure(args.database_url)
    run(args)


def run(args: argparse.Namespace) -> None:
    import django

    django.setup()

    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone
    from post_office.models import Email

    from consult.notifications import digest, services, tasks
    from consult.notifications.models import Follow
    from econsult.outbox import services as outbox_services
    from tests import factories

    call_command("migrate", verbosity=0, interactive=False)
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    # What is timed is writing to the outbox; sending is the drain's business.
    outbox_services.drain_on_commit = lambda: None
    rng = random.Random(2026)

    followers = max(1000, round(FOLLOWERS_AT_SCALE_1 * args.scale))
    staff = max(20, round(STAFF_AT_SCALE_1 * args.scale))
    agencies = max(2, round(AGENCIES_AT_SCALE_1 * args.scale))

    started = time.perf_counter()
    agency = factories.AgencyFactory(name="Bộ Thử nghiệm hiệu năng", code="BENCH")
    draft = factories.draft_page(parent=factories.home_page(), agency=agency, body=[])
    warm = factories.draft_page(
        parent=factories.home_page(), agency=factories.AgencyFactory(), title="Khởi động", body=[]
    )
    rows = build_followers(draft, followers, rng)
    build_followers(warm, 1000, rng)
    built = build_staff(staff, agencies, rng)
    print(f"built {followers:,} followers ({rows:,} follows), {built['staff']:,} staff of "
          f"{agencies} agencies, {built['comments']:,} comments in "
          f"{time.perf_counter() - started:.1f} s")  # fmt: skip
    expected = Follow.objects.filter(draft=draft).count()

    # Fan-out: warm-up on the small draft, then the big one, `runs` times.
    tasks.follow_event("report", warm.pk)
    empty_outbox()
    fanout_s, batch_s, payloads, batches = [], [], [], 0
    for _run in range(args.runs):
        with Spy(tasks.follow_batch) as spy:
            started = time.perf_counter()
            batches = tasks.follow_event("report", draft.pk)
            fanout_s.append(time.perf_counter() - started)
        batch_s += spy.seconds
        payloads += spy.payloads
        written = Email.objects.count()
        assert written == expected, (written, expected)
        empty_outbox()
    event = services.event_load("report", draft.pk)
    after, upto = next(services.follower_ranges(event))
    with CaptureQueriesContext(connection) as queries:
        services.event_batch_send(event, after=after, upto=upto)
    batch_queries = len(queries)
    empty_outbox()
    print(f"fan-out to {expected:,} followers: median {statistics.median(fanout_s):.1f} s over "
          f"{args.runs} runs ({batches} batches of {services.BATCH_SIZE}; a batch median "
          f"{1000 * statistics.median(batch_s):.0f} ms, p95 {1000 * p95(batch_s):.0f} ms, "
          f"{batch_queries} queries; largest task payload {max(payloads)} bytes)")  # fmt: skip

    # The digest: warm-up once, then `runs` times.
    now = timezone.now()
    tasks.staff_digest(now=now.isoformat())
    empty_outbox()
    digest_s, digest_batch_s, digest_payloads, digest_batches, digests = [], [], [], 0, 0
    for _run in range(args.runs):
        with Spy(tasks.digest_batch) as spy:
            started = time.perf_counter()
            digest_batches = tasks.staff_digest(now=now.isoformat())
            digest_s.append(time.perf_counter() - started)
        digest_batch_s += spy.seconds
        digest_payloads += spy.payloads
        digests = Email.objects.count()
        assert digests == built["staff"], (digests, built["staff"])
        empty_outbox()
    print(f"digest to {digests:,} staff: median {statistics.median(digest_s):.2f} s over "
          f"{args.runs} runs ({digest_batches} batches of {digest.DIGEST_BATCH_SIZE}; a batch "
          f"median {1000 * statistics.median(digest_batch_s):.0f} ms, p95 "
          f"{1000 * p95(digest_batch_s):.0f} ms; largest task payload "
          f"{max(digest_payloads)} bytes)")  # fmt: skip

    result = {
        "scale": args.scale,
        "database": connection.vendor,
        "followers": expected,
        "follows": rows,
        "fanout_s_median": round(statistics.median(fanout_s), 2),
        "fanout_runs_s": [round(s, 2) for s in fanout_s],
        "fanout_batches": batches,
        "fanout_batch_size": services.BATCH_SIZE,
        "fanout_batch_ms_median": round(1000 * statistics.median(batch_s), 1),
        "fanout_batch_ms_p95": round(1000 * p95(batch_s), 1),
        "fanout_queries_per_batch": batch_queries,
        "fanout_largest_payload_bytes": max(payloads),
        "emails_per_s": round(expected / statistics.median(fanout_s)),
        "staff": digests,
        "digest_s_median": round(statistics.median(digest_s), 2),
        "digest_s_p95": round(p95(digest_s), 2),
        "digest_batches": digest_batches,
        "digest_batch_size": digest.DIGEST_BATCH_SIZE,
        "digest_batch_ms_median": round(1000 * statistics.median(digest_batch_s), 1),
        "digest_batch_ms_p95": round(1000 * p95(digest_batch_s), 1),
        "digest_largest_payload_bytes": max(digest_payloads),
        "targets_met": statistics.median(fanout_s) <= FANOUT_TARGET_S
        and statistics.median(digest_s) <= DIGEST_TARGET_S,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
