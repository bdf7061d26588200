"""Benchmark the public draft page and a provision's conversation under heavy feedback.

    python bench/feedback_page.py [--scale F] [--database-url URL] [--profile]

At --scale 1 the draft has 300 articles, about 2,500 provisions (the structure of
bench/draft_page.py) and 200,000 published comments: Zipf-like over the articles, clauses and
points, about 10 % on the draft as a whole and about 20 % replies. A second draft of the same
structure gets 1 % of that, to check that the page's query count does not grow with feedback.

Without --database-url it runs on PostgreSQL, postgres://postgres@127.0.0.1:5432/
econsult_bench_page, which is dropped and created again at every start; a sqlite:////path URL
works too (that file is deleted first). The comments are written with COPY on PostgreSQL and
executemany on SQLite, straight into the three tables of the MTI model (django_comments,
django_comments_xtd_xtdcomment, consult_feedback); the provision counters are then recounted.

Target: public page median ≤ 200 ms with a query count that does not grow with the number of
comments. The last line printed is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import bisect
import importlib.util
import itertools
import json
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/econsult_bench_page"
PAGE_TARGET_MS = 200
COMMENTS_AT_SCALE_1 = 200_000
FEW_COMMENTS_SHARE = 0.01
WHOLE_DRAFT_SHARE = 0.10
REPLY_SHARE = 0.20
USER_SHARE = 0.7  # comments written by a signed-in account; the rest are anonymous
USERS = 500
DAYS = 30
# Zipf–Mandelbrot weights 1 / (rank + q)^s over the commentable provisions in a random order:
# a few hot clauses take thousands of comments, the long tail a handful each.
ZIPF_S = 1.0
ZIPF_Q = 10
BATCH = 10_000
COMMENTABLE_KINDS = ("article", "clause", "point")
STANCES = ["agree", "disagree", "change", "question"]
STANCE_WEIGHTS = [3, 3, 3, 1]
ORGANISATIONS = {
    "business": "Công ty Cổ phần Thử nghiệm",
    "association": "Hiệp hội Doanh nghiệp nhỏ và vừa",
    "agency": "Sở Tư pháp tỉnh Nghệ An",
}
FAMILY_NAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
GIVEN_NAMES = ["Văn An", "Thị Bình", "Hoàng Cường", "Minh Đức", "Thị Lan", "Quốc Huy", "Thu Trang"]


def load_draft_bench():
    """bench/draft_page.py as a module, for its body builder and timing helpers."""
    spec = importlib.util.spec_from_file_location("bench_draft_page", REPO / "bench/draft_page.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


draft_bench = load_draft_bench()
synthetic_body = draft_bench.synthetic_body
timed_gets = draft_bench.timed_gets
p95 = draft_bench.p95
count_queries = draft_bench.count_queries
profile_page = draft_bench.profile_page


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--scale", type=float, default=1.0, help="1 = 300 articles, 200,000 comments (default)"
    )
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument(
        "--profile", action="store_true", help="also print a cProfile of the cold page and thread"
    )
    return parser.parse_args()


def configure(database_url: str) -> None:
    """Point Django at a clean benchmark database before setup."""
    sys.path.insert(0, str(REPO))
    os.environ["DJANGO_SETTINGS_MODULE"] = "econsult.settings.dev"
    os.environ["DEBUG"] = "False"
    os.environ["ALLOWED_HOSTS"] = "testserver,localhost,127.0.0.1"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    for name in ("CELERY_BROKER_URL", "ELASTICSEARCH_URL", "CACHE_URL"):
        os.environ.pop(name, None)
    if database_url.startswith(("postgres://", "postgresql://")):
        recreate_postgres_database(database_url)
    elif database_url.startswith("sqlite:///"):
        path = database_url.removeprefix("sqlite:///")
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = database_url


def recreate_postgres_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    head, _, name = url.rpartition("/")
    name = name.split("?", 1)[0]
    with psycopg.connect(f"{head}/postgres", autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    print(f"created PostgreSQL database {name} (dropped first if it existed)")


def build_draft(*, articles: int, provisions: int, title: str):
    """A published draft open for comment since DAYS days ago; with its provision count."""
    from django.utils import timezone

    from drafts.models import Provision
    from drafts.services import draft_create
    from tests import factories

    started = time.perf_counter()
    now = timezone.now()
    page = draft_create(
        parent=factories.home_page(),
        agency=factories.AgencyFactory(name="Bộ Thử nghiệm hiệu năng", code="BENCH"),
        title=title,
        body=synthetic_body(articles, provisions),
        opens_at=now - timedelta(days=DAYS),
        closes_at=now + timedelta(days=DAYS),
        publish=True,
    )
    rows = Provision.objects.filter(version__page=page, withdrawn=False).count()
    print(f"built {title!r}: {articles} articles, {rows} provisions, created and published in "
          f"{time.perf_counter() - started:.1f} s")  # fmt: skip
    return page, rows


def bench_users(n: int) -> list[tuple[int, str, str]]:
    """(id, display name, e-mail) of `n` commenting accounts, created in one insert."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    users = []
    for i in range(n):
        name = f"{FAMILY_NAMES[i % len(FAMILY_NAMES)]} {GIVEN_NAMES[i % len(GIVEN_NAMES)]}"
        user = User(username=f"bench{i:04d}", email=f"bench{i:04d}@example.vn", first_name=name)
        user.set_unusable_password()
        users.append(user)
    User.objects.bulk_create(users, batch_size=BATCH)
    return [
        (pk, first_name, email)
        for pk, first_name, email in User.objects.filter(username__startswith="bench")
        .order_by("pk")
        .values_list("pk", "first_name", "email")
    ]


def comment_rows(page, total: int, users: list, seed: int) -> tuple[list, list, list, set[int]]:
    """Rows for the three tables of `total` public comments on `page`, ids assigned here.

    Roots pick a provision (or none, the draft as a whole) with Zipf-like weights; replies
    pick a root uniformly, so the hot provisions also have the long conversations.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.db.models import Max
    from django.utils import timezone
    from django_comments.models import Comment

    from consult.demo.content import OPINIONS, REPLIES
    from consult.feedback.models import RespondentType
    from consult.feedback.provinces import PROVINCES
    from drafts.models import DraftPage, Provision

    rng = random.Random(seed)
    targets = list(
        Provision.objects.filter(
            version__page=page, withdrawn=False, kind__in=COMMENTABLE_KINDS
        ).values_list("pk", "text")
    )
    rng.shuffle(targets)
    cumulative = list(
        itertools.accumulate((rank + ZIPF_Q) ** -ZIPF_S for rank in range(1, len(targets) + 1))
    )
    texts = dict(targets)
    respondent_types = list(RespondentType.values)
    provinces = [code for code, _label in PROVINCES]
    content_type_id = ContentType.objects.get_for_model(DraftPage).pk
    object_pk = str(page.pk)
    now = timezone.now()
    start = now - timedelta(days=DAYS)
    window = DAYS * 86400
    adapt = connection.ops.adapt_datetimefield_value

    replies = round(total * REPLY_SHARE)
    roots = total - replies
    first_id = (Comment.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    root_ids = range(first_id, first_id + roots)

    comments, xtd, feedback = [], [], []
    provisions_used: set[int] = set()
    # Per root: (provision id, submit date) and the submit dates of its replies.
    root_info: dict[int, tuple[int | None, object]] = {}
    reply_dates: dict[int, list] = {}

    def author(pk: int, stance: str, provision_id: int | None, date, text: str) -> None:
        if rng.random() < USER_SHARE:
            user_id, name, email = users[rng.randrange(len(users))]
        else:
            user_id, name, email = None, "Người góp ý", f"khach{pk}@example.vn"
        comments.append(
            (pk, content_type_id, object_pk, 1, user_id, name, email, "", text, adapt(date),
             None, True, False)
        )  # fmt: skip
        kind = rng.choice(respondent_types)
        proposal = ""
        if stance == "change" and texts.get(provision_id) and rng.random() < 0.5:
            proposal = texts[provision_id].rstrip(".;:") + ", trừ trường hợp luật có quy định khác."
        feedback.append(
            (pk, page.pk, provision_id, stance, proposal, kind, ORGANISATIONS.get(kind, ""),
             rng.choice(provinces), rng.random() > 0.2, "", "", None, True, 0, 0, "", "vi", None)
        )  # fmt: skip

    for pk in root_ids:
        provision_id = None
        if rng.random() >= WHOLE_DRAFT_SHARE:
            provision_id = targets[bisect.bisect(cumulative, rng.random() * cumulative[-1])][0]
            provisions_used.add(provision_id)
        date = start + timedelta(seconds=rng.random() * window * 0.95)
        stance = rng.choices(STANCES, STANCE_WEIGHTS)[0]
        root_info[pk] = (provision_id, date)
        author(pk, stance, provision_id, date, rng.choice(OPINIONS[stance]))

    for _ in range(replies):
        root = root_ids[rng.randrange(roots)]
        root_date = root_info[root][1]
        left = (now - root_date).total_seconds()
        reply_dates.setdefault(root, []).append(root_date + timedelta(seconds=rng.random() * left))

    pk = first_id + roots
    for root in root_ids:
        dates = sorted(reply_dates.get(root, []))
        # thread_id, parent_id, level, order, followup, nested_count
        xtd.append((root, root, root, 0, 1, False, len(dates)))
        for order, date in enumerate(dates, start=2):
            xtd.append((pk, root, root, 1, order, False, 0))
            author(pk, "", root_info[root][0], date, rng.choice(REPLIES))
            pk += 1
    xtd.sort()
    return comments, xtd, feedback, provisions_used


COLUMNS = {
    "django_comments": [
        "id", "content_type_id", "object_pk", "site_id", "user_id", "user_name", "user_email",
        "user_url", "comment", "submit_date", "ip_address", "is_public", "is_removed",
    ],
    "django_comments_xtd_xtdcomment": [
        "comment_ptr_id", "thread_id", "parent_id", "level", "order", "followup", "nested_count",
    ],
    "consult_feedback": [
        "xtdcomment_ptr_id", "draft_id", "provision_id", "stance", "proposed_wording",
        "respondent_type", "organisation", "province", "show_name", "attachment",
        "attachment_type", "submission_key", "email_confirmed", "endorsement_count",
        "flag_count", "removal_reason", "language", "response_id",
    ],
}  # fmt: skip


def check_columns() -> None:
    """The column lists above must be every concrete column of each table, in any order."""
    from consult.feedback.models import Feedback

    for model in [*reversed(Feedback._meta.get_parent_list()), Feedback]:
        actual = {field.column for field in model._meta.local_concrete_fields}
        if actual != set(COLUMNS[model._meta.db_table]):
            raise SystemExit(f"{model._meta.db_table} columns changed: {sorted(actual)}")


def bulk_insert(table: str, rows: list[tuple]) -> None:
    from django.db import connection

    quote = connection.ops.quote_name
    columns = ", ".join(quote(name) for name in COLUMNS[table])
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quote(table)} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(COLUMNS[table]))
            for i in range(0, len(rows), BATCH):
                cursor.executemany(
                    f"INSERT INTO {quote(table)} ({columns}) VALUES ({marks})", rows[i : i + BATCH]
                )


def insert_comments(page, total: int, users: list, seed: int) -> dict:
    """Write `total` comments on `page` and recount; the seconds each step took."""
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django_comments.models import Comment

    from consult.feedback.counters import feedback_changed

    timings = {}
    started = time.perf_counter()
    comments, xtd, feedback, provisions_used = comment_rows(page, total, users, seed)
    timings["generate"] = time.perf_counter() - started
    mark = time.perf_counter()
    with transaction.atomic():
        bulk_insert("django_comments", comments)
        bulk_insert("django_comments_xtd_xtdcomment", xtd)
        bulk_insert("consult_feedback", feedback)
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), [Comment]):
                cursor.execute(statement)
    timings["insert"] = time.perf_counter() - mark
    mark = time.perf_counter()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "ANALYZE django_comments, django_comments_xtd_xtdcomment, consult_feedback, "
                "drafts_provision"
            )
    timings["analyze"] = time.perf_counter() - mark
    mark = time.perf_counter()
    with transaction.atomic():
        feedback_changed(draft_id=page.pk, provision_ids=provisions_used)
    timings["counters"] = time.perf_counter() - mark
    timings["total"] = time.perf_counter() - started
    return timings


def most_commented_clause(page):
    """The clause with the most comments (replies included), and that number."""
    from django.db.models import Count

    from consult.feedback.counters import public_feedback_filter
    from consult.feedback.models import Feedback
    from drafts.models import Provision

    row = (
        Feedback.objects.filter(public_feedback_filter(), draft=page, provision__kind="clause")
        .order_by()
        .values("provision_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "provision_id")
        .first()
    )
    return Provision.objects.get(pk=row["provision_id"]), row["n"]


def main() -> None:
    args = parse_args()
    configure(args.database_url)
    run(args)


def run(args: argparse.Namespace) -> None:
    import django

    django.setup()

    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client, override_settings

    from consult.feedback.models import Feedback

    call_command("migrate", verbosity=0, interactive=False)
    assert not settings.DEBUG and "testserver" in settings.ALLOWED_HOSTS
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    check_columns()

    scale = args.scale
    articles = max(10, round(300 * scale))
    provisions = max(articles * 3, round(2500 * scale))
    total = max(100, round(COMMENTS_AT_SCALE_1 * scale))
    few = max(10, round(total * FEW_COMMENTS_SHARE))

    page, rows = build_draft(
        articles=articles, provisions=provisions, title=f"Dự thảo góp ý nhiều {articles} điều"
    )
    small, _small_rows = build_draft(
        articles=articles, provisions=provisions, title=f"Dự thảo góp ý ít {articles} điều"
    )
    users = bench_users(USERS)
    timings = insert_comments(page, total, users, seed=2025)
    print(f"inserted {total:,} comments in {timings['total']:.1f} s (generate "
          f"{timings['generate']:.1f} s, write {timings['insert']:.1f} s, analyze "
          f"{timings['analyze']:.1f} s, counters {timings['counters']:.1f} s)")  # fmt: skip
    insert_comments(small, few, users, seed=2026)
    comments = Feedback.objects.filter(draft=page).count()
    whole = Feedback.objects.filter(draft=page, provision=None).count()
    replies = Feedback.objects.filter(draft=page, level__gt=0).count()
    print(f"comments on the big draft: {comments:,} ({whole:,} on the draft as a whole, "
          f"{replies:,} replies); on the small one: {few:,}")  # fmt: skip

    client = Client()
    last_anchor = f'id="dieu-{articles}"'
    n_page = max(5, int(50 * scale))
    cache.clear()

    # Cold first: with a timeout of 0 the text fragment is never stored, so every GET renders it.
    with override_settings(DRAFT_TEXT_CACHE_SECONDS=0):
        cold_ms = timed_gets(client, page.url, n_page, last_anchor)
        cold_queries = count_queries(client, page.url)
        cold_queries_few = count_queries(client, small.url)
        if args.profile:
            profile_page(client, page.url)
    page_ms = timed_gets(client, page.url, n_page, last_anchor)
    size_kb = len(client.get(page.url).content) / 1024
    page_queries = count_queries(client, page.url)
    page_queries_few = count_queries(client, small.url)
    print(f"public page, text cached, {n_page} GETs: median {statistics.median(page_ms):.1f} ms, "
          f"p95 {p95(page_ms):.1f} ms, {size_kb:.0f} KB of HTML")  # fmt: skip
    print(f"public page, cache cold, {n_page} GETs: median {statistics.median(cold_ms):.1f} ms, "
          f"p95 {p95(cold_ms):.1f} ms")  # fmt: skip
    print(f"queries per page, cached: {page_queries} ({comments:,} comments), "
          f"{page_queries_few} ({few:,} comments); cold: {cold_queries}, "
          f"{cold_queries_few}")  # fmt: skip

    clause, clause_comments = most_commented_clause(page)
    thread_url = f"{page.url}gop-y/{clause.anchor}/"
    n_thread = max(5, int(20 * scale))
    thread_ms = timed_gets(client, thread_url, n_thread, 'id="target-heading"')
    content = client.get(thread_url).content
    thread_comments = content.count(b'<article class="comment ')
    thread_queries = count_queries(client, thread_url)
    print(f"conversation on {clause.citation} ({thread_url}): {thread_comments:,} comments "
          f"listed ({clause_comments:,} in the database), {len(content) / 1024:.0f} KB; "
          f"{n_thread} GETs: median {statistics.median(thread_ms):.1f} ms, "
          f"p95 {p95(thread_ms):.1f} ms, {thread_queries} queries")  # fmt: skip
    if args.profile:
        profile_page(client, thread_url, requests=3)

    result = {
        "scale": scale,
        "database": connection.vendor,
        "articles": articles,
        "provisions": rows,
        "comments": comments,
        "insert_s": round(timings["total"], 1),
        "page_median_ms": round(statistics.median(page_ms), 1),
        "page_p95_ms": round(p95(page_ms), 1),
        "page_cold_median_ms": round(statistics.median(cold_ms), 1),
        "page_cold_p95_ms": round(p95(cold_ms), 1),
        "page_queries": page_queries,
        "page_queries_few_comments": page_queries_few,
        "page_cold_queries": cold_queries,
        "page_cold_queries_few_comments": cold_queries_few,
        "comments_few": few,
        "thread_comments": thread_comments,
        "thread_median_ms": round(statistics.median(thread_ms), 1),
        "thread_p95_ms": round(p95(thread_ms), 1),
        "thread_queries": thread_queries,
    }
    result["page_ok"] = (
        result["page_median_ms"] <= PAGE_TARGET_MS
        and page_queries == page_queries_few
        and cold_queries == cold_queries_few
    )
    result["page_cold_ok"] = result["page_cold_median_ms"] <= PAGE_TARGET_MS
    print(f"target: page median ≤ {PAGE_TARGET_MS} ms with constant queries: "
          f"{'met' if result['page_ok'] else 'MISSED'} (cache cold: "
          f"{'met' if result['page_cold_ok'] else 'MISSED'})")  # fmt: skip
    print(json.dumps(result))


if __name__ == "__main__":
    main()
