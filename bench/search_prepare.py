"""Benchmark how fast comments become Elasticsearch documents, without a server.

    python bench/search_prepare.py [--scale F] [--database-url URL]

At --scale 1 there are 200,000 comments of bench/search_db.py's kind on one draft. They are
read back in batches of BATCH ids (search.documents.feedback_rows, one query per batch),
prepared (FeedbackDocument.prepare: folding, fingerprint, MinHash, stamp) and serialised into
the two NDJSON lines of a bulk index action with the Elasticsearch client's own serializer,
exactly what a rebuild sends, but nothing is sent. Two batches warm up; the rest are timed:
documents per second overall, and the median and p95 time of a batch.

Without --database-url it runs on PostgreSQL, postgres://postgres@127.0.0.1:5432/
econsult_bench_search, dropped and created again at every start. Target: ≥ 5,000 documents
per second. The last line printed is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/econsult_bench_search"
TARGET_PER_SECOND = 5000
COMMENTS_AT_SCALE_1 = 200_000
BATCH = 2000
WARM_UP_BATCHES = 2
SEED = 2026


def load_module(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


search_bench = load_module("bench_search_db", REPO / "bench/search_db.py")
page_bench = search_bench.page_bench


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1 = 200,000 comments (default)")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    page_bench.configure(args.database_url)
    run(args)


def run(args: argparse.Namespace) -> None:
    import django

    django.setup()

    from django.core.management import call_command
    from django.db import connection
    from elastic_transport import JsonSerializer
    from elasticsearch.helpers.actions import expand_action

    from consult.feedback.models import Feedback
    from search.documents import FeedbackDocument, feedback_rows, new_index_name

    call_command("migrate", verbosity=0, interactive=False)
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    page_bench.check_columns()
    total = max(BATCH * (WARM_UP_BATCHES + 3), round(COMMENTS_AT_SCALE_1 * args.scale))
    page, _ = page_bench.build_draft(
        articles=300, provisions=2500, title="Dự thảo Bộ luật Lao động (sửa đổi)"
    )
    users = page_bench.bench_users(page_bench.USERS)
    search_bench.insert_comments(page, total, users, SEED)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE django_comments, consult_feedback")
    ids = list(Feedback.objects.order_by("pk").values_list("pk", flat=True))
    print(f"wrote {len(ids):,} comments")

    serializer = JsonSerializer()
    index = new_index_name()
    batch_ms, prepare_s, documents, size = [], 0.0, 0, 0
    started = None
    for number, start in enumerate(range(0, len(ids), BATCH)):
        if number == WARM_UP_BATCHES:
            started, documents, size, prepare_s = time.perf_counter(), 0, 0, 0.0
        mark = time.perf_counter()
        rows = list(feedback_rows(ids[start : start + BATCH], batch_size=BATCH))
        read = time.perf_counter()
        lines = []
        for row in rows:
            action, source = expand_action(
                FeedbackDocument.bulk_action(FeedbackDocument.prepare(row), index)
            )
            lines.append(serializer.dumps(action))
            lines.append(serializer.dumps(source))
        payload = b"\n".join(lines) + b"\n"
        done = time.perf_counter()
        batch_ms.append((done - mark) * 1000)
        prepare_s += done - read
        documents += len(rows)
        size += len(payload)
    elapsed = time.perf_counter() - started
    timed = batch_ms[WARM_UP_BATCHES:]
    rate = documents / elapsed
    result = {
        "scale": args.scale,
        "database": connection.vendor,
        "documents": documents,
        "documents_per_s": round(rate),
        "prepare_only_per_s": round(documents / prepare_s),
        "batch": BATCH,
        "batch_median_ms": round(statistics.median(timed), 1),
        "batch_p95_ms": round(search_bench.p95(timed), 1),
        "bytes_per_document": round(size / documents),
    }
    result["ok"] = rate >= TARGET_PER_SECOND
    print(f"{documents:,} documents read, prepared and serialised in {elapsed:.1f} s: "
          f"{rate:,.0f}/s ({result['prepare_only_per_s']:,}/s without the database reads); "
          f"batch of {BATCH}: median {result['batch_median_ms']} ms, p95 "
          f"{result['batch_p95_ms']} ms; {result['bytes_per_document']} bytes of NDJSON "
          f"each")  # fmt: skip
    print(f"target: ≥ {TARGET_PER_SECOND:,} documents/s: {'met' if result['ok'] else 'MISSED'}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
