"""Benchmark the public synthesis report of a draft with many answered comments.

    python bench/report_page.py [--scale F] [--database-url URL] [--profile]

At --scale 1 the draft has 150 articles in 8 chapters, about 1,250 provisions, and 100,000
comments (20 % replies, which the report leaves out), written as bench/feedback_page.py writes
them; 60 % of the top-level comments are then answered by published responses covering one to
five comments each, of all four decisions, a tenth of them changed after publication. A second
draft of the same structure gets 1 % of that, to check that a page's query count does not grow
with the number of comments.

Without --database-url it runs on PostgreSQL, postgres://postgres@127.0.0.1:5432/
econsult_bench_report, dropped and created again at every start; a sqlite:////path URL works too.

Target: the busiest chapter's page (its first 500 comments) ≤ 1 s server time, the report's
first page too, with query counts that do not grow with the number of comments (one query more
when the page shows an answer changed after publication). The last line
printed is one JSON object with the figures.
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
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/econsult_bench_report"
PAGE_TARGET_MS = 1000
COMMENTS_AT_SCALE_1 = 100_000
ANSWERED_SHARE = 0.6
REVISED_SHARE = 0.1
DECISIONS = ["accepted", "partly", "not_accepted", "noted"]
REASON = "Ban soạn thảo đã nghiên cứu ý kiến và giải trình như sau: nội dung được điều chỉnh."


def load(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", REPO / f"bench/{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


feedback_bench = load("feedback_page")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1 = 100,000 comments")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--profile", action="store_true", help="print a cProfile of a chapter")
    return parser.parse_args()


def answer_comments(page, admin, seed: int) -> int:
    """Published responses for ANSWERED_SHARE of the draft's top-level comments, grouped by
    provision a few at a time, written in bulk; some revised with their history kept."""
    from django.db import transaction
    from django.utils import timezone

    from consult.answers.models import Response, ResponseRevision
    from consult.feedback.counters import public_feedback_filter
    from consult.feedback.models import Feedback

    rng = random.Random(seed)
    rows = list(
        Feedback.objects.filter(public_feedback_filter(), draft=page, level=0)
        .order_by("provision_id", "pk")
        .values_list("pk", "provision_id")
    )
    groups: list[list[tuple[int, int | None]]] = []
    size = 0
    for pk, provision_id in rows:
        if rng.random() >= ANSWERED_SHARE:
            continue
        if groups and groups[-1][0][1] == provision_id and len(groups[-1]) < size:
            groups[-1].append((pk, provision_id))
        else:
            groups.append([(pk, provision_id)])
            size = rng.randint(1, 5)
    now = timezone.now()
    with transaction.atomic():
        responses = Response.objects.bulk_create(
            [
                Response(
                    draft=page,
                    agency_id=page.agency_id,
                    provision_id=group[0][1],
                    decision=rng.choice(DECISIONS),
                    reason=REASON,
                    created_by=admin,
                    published_at=now - timedelta(days=1),
                    published_by=admin,
                    revised_at=now if rng.random() < REVISED_SHARE else None,
                )  # fmt: skip
                for group in groups
            ],
            batch_size=5000,
        )
        covered = [
            Feedback(pk=pk, response_id=response.pk)
            for response, group in zip(responses, groups, strict=True)
            for pk, _provision_id in group
        ]
        Feedback.objects.bulk_update(covered, ["response"], batch_size=2000)
        ResponseRevision.objects.bulk_create(
            [
                ResponseRevision(
                    response=response,
                    decision="noted",
                    reason="Ghi nhận.",
                    published_at=response.published_at,
                    replaced_at=now,
                    replaced_by=admin,
                )  # fmt: skip
                for response in responses
                if response.revised_at
            ],
            batch_size=5000,
        )
    return sum(len(group) for group in groups)


def busiest_chapter(page) -> tuple[str, int]:
    from django.db.models import Count

    from consult.feedback.counters import public_feedback_filter
    from consult.feedback.models import Feedback

    counts = (
        Feedback.objects.filter(public_feedback_filter(), draft=page, level=0)
        .exclude(provision=None)
        .order_by()
        .values_list("provision__path")
        .annotate(n=Count("pk"))
    )
    per_chapter: dict[str, int] = {}
    for path, n in counts:
        chapter = path.split("/")[0]
        per_chapter[chapter] = per_chapter.get(chapter, 0) + n
    return max(per_chapter.items(), key=lambda item: item[1])


def main() -> None:
    args = parse_args()
    feedback_bench.configure(args.database_url)
    run(args)


def run(args: argparse.Namespace) -> None:
    import django

    django.setup()

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from tests import factories

    call_command("migrate", verbosity=0, interactive=False)
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    feedback_bench.check_columns()

    scale = args.scale
    articles = max(10, round(150 * scale))
    provisions = max(articles * 3, round(1250 * scale))
    total = max(100, round(COMMENTS_AT_SCALE_1 * scale))
    few = max(10, round(total * feedback_bench.FEW_COMMENTS_SHARE))

    page, rows = feedback_bench.build_draft(
        articles=articles, provisions=provisions, title=f"Dự thảo báo cáo lớn {articles} điều"
    )
    small, _ = feedback_bench.build_draft(
        articles=articles, provisions=provisions, title=f"Dự thảo báo cáo nhỏ {articles} điều"
    )
    users = feedback_bench.bench_users(feedback_bench.USERS)
    timings = feedback_bench.insert_comments(page, total, users, seed=2025)
    feedback_bench.insert_comments(small, few, users, seed=2026)
    admin = factories.UserFactory(username="bench-admin", is_superuser=True, is_staff=True)
    started = time.perf_counter()
    answered = answer_comments(page, admin, seed=7)
    answer_comments(small, admin, seed=8)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE consult_feedback, consult_response, consult_responserevision")
    print(f"inserted {total:,} comments in {timings['total']:.1f} s; answered {answered:,} "
          f"in {time.perf_counter() - started:.1f} s")  # fmt: skip

    chapter, chapter_comments = busiest_chapter(page)
    client = Client()
    n = max(5, int(10 * scale))
    urls = {
        "first_page": (f"{page.url}bao-cao/", 'id="totals-heading"'),
        "chapter": (f"{page.url}bao-cao/{chapter}/", 'id="unit-heading"'),
        "chapter_last": (f"{page.url}bao-cao/{chapter}/?trang=9999", 'id="unit-heading"'),
    }
    result = {
        "scale": scale, "database": connection.vendor, "provisions": rows, "comments": total,
        "answered": answered, "busiest_chapter": chapter,
        "busiest_chapter_comments": chapter_comments,
    }  # fmt: skip
    ok = True
    for name, (url, marker) in urls.items():
        times = feedback_bench.timed_gets(client, url, n, marker)
        queries = feedback_bench.count_queries(client, url)
        queries_few = feedback_bench.count_queries(client, url.replace(page.url, small.url))
        size_kb = len(client.get(url).content) / 1024
        median = statistics.median(times)
        print(f"{name} {url}: {n} GETs, median {median:.0f} ms, p95 "
              f"{feedback_bench.p95(times):.0f} ms, {size_kb:.0f} KB, {queries} queries "
              f"({queries_few} on the small draft)")  # fmt: skip
        result[f"{name}_median_ms"] = round(median, 1)
        result[f"{name}_p95_ms"] = round(feedback_bench.p95(times), 1)
        result[f"{name}_queries"] = queries
        result[f"{name}_queries_few_comments"] = queries_few
        # The earlier wordings of changed answers take one more query, when the page has any.
        ok = ok and median <= PAGE_TARGET_MS and queries_few <= queries <= queries_few + 1
    if args.profile:
        feedback_bench.profile_page(client, urls["chapter"][0], requests=3)
    result["ok"] = ok
    print(f"target: each page median ≤ {PAGE_TARGET_MS} ms with constant queries: "
          f"{'met' if ok else 'MISSED'}")  # fmt: skip
    print(json.dumps(result))


if __name__ == "__main__":
    main()
