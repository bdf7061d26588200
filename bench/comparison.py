"""Benchmark the public comparison of two versions of a large draft (`<draft>/so-sanh/1-2/`).

    python bench/comparison.py [--scale F] [--database-url URL] [--profile]

At --scale 1, Dự thảo 1 is the 300-article synthetic draft of bench/draft_page.py (about 2,500
provisions); Dự thảo 2 is made from it as a drafting agency would: about 15 % of clauses
reworded, 5 articles inserted (every later article renumbered), 3 articles and a few clauses
removed, a few clauses added. The block ids, hence the provisions' keys, are kept.

Server time of the comparison page through Django's test Client, after a warm-up: cold (the
cache is cleared before each request, so every request pairs, diffs and renders it all again),
cached (the rendered comparison reused), and the whole text (`?tat-ca=1`) cold. Target: cold
median ≤ 200 ms. The last line printed is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import draft_page as base  # noqa: E402  (bench/draft_page.py: the synthetic draft)

TARGET_MS = 200
WARM_UP = 3
REWORDINGS = [
    ("theo quy định của pháp luật", "theo quy định của Luật này và pháp luật có liên quan"),
    ("công khai", "công khai, kịp thời"),
    ("Ủy ban nhân dân cấp tỉnh", "Ủy ban nhân dân cấp tỉnh, thành phố trực thuộc trung ương"),
    ("Chính phủ", "Chính phủ quy định chi tiết"),
    ("có trách nhiệm", "có nghĩa vụ"),
]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1 = 300 articles (default)")
    parser.add_argument("--database-url", default="", help="default: a throwaway SQLite file")
    parser.add_argument("--profile", action="store_true", help="also print a cProfile (cold)")
    return parser.parse_args()


def revise(body: list[dict], seed: int = 11) -> dict[str, int]:
    """Dự thảo 2 made from Dự thảo 1's body in place; what was done, counted."""
    from tests.factories import article_block

    rng = random.Random(seed)
    done = dict.fromkeys(("reworded", "inserted", "removed", "clauses_removed", "clauses_added"), 0)
    articles = [block for block in body if block["type"] == "article"]
    for block in articles:
        clauses = block["value"]["clauses"]
        for clause in clauses:
            if rng.random() < 0.15:
                old, new = rng.choice(REWORDINGS)
                text = clause["value"]["text"]
                clause["value"]["text"] = (
                    text.replace(old, new, 1) if old in text else f"{text} Trừ trường hợp khác."
                )
                done["reworded"] += 1
        if len(clauses) > 2 and rng.random() < 0.02:
            clauses.pop(rng.randrange(len(clauses)))
            done["clauses_removed"] += 1
        if rng.random() < 0.02:
            extra = article_block("0", "", [("9", "Khoản mới được bổ sung theo góp ý.", [])])
            clauses.append(extra["value"]["clauses"][0])
            done["clauses_added"] += 1
    for block in rng.sample(articles[1:], 3):
        body.remove(block)
        done["removed"] += 1
    for _ in range(5):
        at = rng.randrange(1, len(body))
        new = article_block(
            "0",
            "Điều mới",
            [("1", "Nội dung mới của Dự thảo 2.", []), ("2", "Quy định chuyển tiếp.", [])],
        )
        body.insert(at, new)
        done["inserted"] += 1
    # Articles and their clauses numbered again in order, as a drafter's text would be.
    number = 0
    for block in body:
        if block["type"] == "article":
            number += 1
            block["value"]["number"] = str(number)
            for c, clause in enumerate(block["value"]["clauses"], start=1):
                clause["value"]["number"] = str(c)
    return done


def publish_next_version(page, change) -> dict[str, int]:
    from drafts.models import DraftPage

    page = DraftPage.objects.get(pk=page.pk)
    latest = page.get_latest_revision_as_object()
    body = copy.deepcopy([dict(block) for block in latest.body.raw_data])
    done = change(body)
    latest.body = body
    latest.version_number = page.version_number + 1
    started = time.perf_counter()
    latest.save_revision().publish()
    print(f"Dự thảo 2 published in {time.perf_counter() - started:.1f} s: {done}")
    return done


def timed(client, url: str, n: int, *, cold: bool, must_contain: str) -> list[float]:
    from django.core.cache import cache

    times = []
    for i in range(WARM_UP + n):
        if cold:
            cache.clear()
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200 or must_contain.encode() not in response.content:
            raise SystemExit(f"GET {url} gave {response.status_code} without {must_contain!r}")
        if i >= WARM_UP:
            times.append(elapsed)
    return times


def main() -> None:
    args = parse_args()
    throwaway = base.configure(args.database_url)
    try:
        run(args)
    finally:
        if throwaway is not None:
            for suffix in ("", "-journal", "-wal", "-shm"):
                Path(f"{throwaway}{suffix}").unlink(missing_ok=True)


def run(args: argparse.Namespace) -> None:
    import re

    import django

    django.setup()

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from drafts.models import Provision

    call_command("migrate", verbosity=0, interactive=False)
    assert not settings.DEBUG and "testserver" in settings.ALLOWED_HOSTS
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")

    articles = max(10, round(300 * args.scale))
    provisions = max(articles * 3, round(2500 * args.scale))
    page, rows = base.build_draft(
        articles=articles, provisions=provisions, title=f"Dự thảo so sánh {articles} điều"
    )
    done = publish_next_version(page, revise)
    rows_2 = Provision.objects.filter(version__page=page, version__number=2).count()

    client = Client()
    url = f"{page.url}so-sanh/1-2/"
    n = max(5, int(30 * args.scale))
    cold = timed(client, url, n, cold=True, must_contain="<ins>")
    cached = timed(client, url, n, cold=False, must_contain="<ins>")
    whole = timed(client, f"{url}?tat-ca=1", max(3, n // 3), cold=True, must_contain="<ins>")
    html = client.get(url).content.decode()
    counts = {
        name: int(re.search(rf'data-count="{name}">(\d+)<', html).group(1))
        for name in ("changed", "new", "removed", "renumbered")
    }
    with base_queries() as captured:
        from django.core.cache import cache

        cache.clear()
        client.get(url)
    queries = len(captured)
    print(f"comparison page (cold), {n} GETs: median {statistics.median(cold):.1f} ms, "
          f"p95 {base.p95(cold):.1f} ms, {len(html) / 1024:.0f} KB, {queries} queries")  # fmt: skip
    print(f"comparison page (cached): median {statistics.median(cached):.1f} ms, "
          f"p95 {base.p95(cached):.1f} ms")  # fmt: skip
    print(f"whole text (cold): median {statistics.median(whole):.1f} ms, "
          f"p95 {base.p95(whole):.1f} ms")  # fmt: skip
    print(f"counts shown: {counts}")

    if args.profile:
        import cProfile
        import io
        import pstats

        from django.core.cache import cache

        profiler = cProfile.Profile()
        for _ in range(10):
            cache.clear()
            profiler.enable()
            client.get(url)
            profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("cumulative").print_stats(30)
        print(out.getvalue())

    result = {
        "scale": args.scale,
        "database": connection.vendor,
        "articles": articles,
        "provisions_v1": rows,
        "provisions_v2": rows_2,
        "revision": done,
        "counts_shown": counts,
        "requests": n,
        "cold_median_ms": round(statistics.median(cold), 1),
        "cold_p95_ms": round(base.p95(cold), 1),
        "cached_median_ms": round(statistics.median(cached), 1),
        "cached_p95_ms": round(base.p95(cached), 1),
        "whole_text_cold_median_ms": round(statistics.median(whole), 1),
        "whole_text_cold_p95_ms": round(base.p95(whole), 1),
        "queries_cold": queries,
        "page_kb": round(len(html) / 1024),
    }
    result["ok"] = result["cold_median_ms"] <= TARGET_MS
    print(f"target: cold median ≤ {TARGET_MS} ms: {'met' if result['ok'] else 'MISSED'}")
    print(json.dumps(result, ensure_ascii=False))


def base_queries():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    return CaptureQueriesContext(connection)


if __name__ == "__main__":
    main()
