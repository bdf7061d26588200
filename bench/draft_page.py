"""Benchmark the public draft page and its Wagtail edit view on a large synthetic draft.

    python bench/draft_page.py [--scale F] [--database-url URL] [--profile]

At --scale 1 the draft has 300 articles and about 2,500 provisions (chapters every 20 articles,
two sections per chapter, 1–6 clauses per article, points a, b, c, đ). Without --database-url it
runs on a throwaway SQLite file; give postgres://postgres@127.0.0.1:5432/econsult_bench to run
on PostgreSQL (the database is created when missing; drafts from earlier runs are left in it).

Targets: public page median ≤ 150 ms with a query count that does not grow with the number of
provisions; admin edit view ≤ 2 s. The last line printed is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import math
import os
import pstats
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PAGE_TARGET_MS = 150
ADMIN_TARGET_MS = 2000
WARM_UP = 3
POINT_LETTERS = ["a", "b", "c", "đ"]

CLAUSE_TEXTS = [
    "Cơ quan, tổ chức, cá nhân sử dụng đất có trách nhiệm bảo vệ, cải tạo, phục hồi đất và "
    "thực hiện đầy đủ nghĩa vụ tài chính theo quy định của pháp luật.",
    "Ủy ban nhân dân cấp tỉnh quyết định giá đất cụ thể, công bố công khai bảng giá đất và "
    "điều chỉnh bảng giá đất khi giá đất phổ biến trên thị trường có biến động.",
    "Việc thu hồi đất phải bảo đảm dân chủ, khách quan, công bằng, công khai, minh bạch, kịp "
    "thời và đúng quy định của pháp luật.",
    "Người sử dụng đất được Nhà nước giao đất, cho thuê đất có quyền chuyển đổi, chuyển nhượng, "
    "cho thuê, thừa kế, tặng cho, thế chấp quyền sử dụng đất theo quy định của Luật này.",
    "Hồ sơ, trình tự, thủ tục đăng ký đất đai được thực hiện theo quy định của Chính phủ.",
]
POINT_TEXTS = [
    "đất sử dụng vào mục đích quốc phòng, an ninh;",
    "đất xây dựng trụ sở cơ quan nhà nước, công trình sự nghiệp công lập;",
    "đất thực hiện dự án phát triển kinh tế - xã hội vì lợi ích quốc gia, công cộng;",
    "đất có di tích lịch sử - văn hóa, danh lam thắng cảnh đã được xếp hạng.",
]
ARTICLE_TITLES = [
    "Phạm vi điều chỉnh", "Đối tượng áp dụng", "Giải thích từ ngữ", "Nguyên tắc sử dụng đất",
    "Quyền và nghĩa vụ của người sử dụng đất", "Giá đất", "Thu hồi đất", "Bồi thường, hỗ trợ",
]  # fmt: skip


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1 = 300 articles (default)")
    parser.add_argument("--database-url", default="", help="default: a throwaway SQLite file")
    parser.add_argument(
        "--profile", action="store_true", help="also print a cProfile of the public page"
    )
    return parser.parse_args()


def configure(database_url: str) -> Path | None:
    """Point Django at the benchmark database before setup; the SQLite file to remove, if any."""
    sys.path.insert(0, str(REPO))
    os.environ["DJANGO_SETTINGS_MODULE"] = "econsult.settings.dev"
    os.environ["DEBUG"] = "False"
    os.environ["ALLOWED_HOSTS"] = "testserver,localhost,127.0.0.1"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    throwaway = None
    if not database_url:
        throwaway = Path(tempfile.gettempdir()) / f"econsult-bench-{os.getpid()}.sqlite3"
        database_url = f"sqlite:///{throwaway}"
    elif database_url.startswith(("postgres://", "postgresql://")):
        create_postgres_database(database_url)
    os.environ["DATABASE_URL"] = database_url
    return throwaway


def create_postgres_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    head, _, name = url.rpartition("/")
    name = name.split("?", 1)[0]
    with psycopg.connect(f"{head}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created PostgreSQL database {name}")


def synthetic_body(articles: int, provisions: int, seed: int = 2024) -> list[dict]:
    """A body of `articles` articles and about `provisions` provisions in all."""
    from drafts.outline import int_to_roman
    from tests.factories import article_block, heading_block

    rng = random.Random(seed)
    clause_counts = [rng.randint(1, 6) for _ in range(articles)]
    chapters = math.ceil(articles / 20)
    sections = sum(1 for i in range(articles) if i % 10 == 0)
    # Points fill what the headings, articles and clauses leave of the provision budget.
    points_left = provisions - chapters - sections - articles - sum(clause_counts)
    slots = [(a, c) for a, count in enumerate(clause_counts) for c in range(count)]
    points: dict[tuple[int, int], int] = {}
    while points_left > 0 and slots:
        slot = rng.randrange(len(slots))
        points[slots[slot]] = points.get(slots[slot], 0) + 1
        if points[slots[slot]] == len(POINT_LETTERS):
            slots[slot] = slots[-1]
            slots.pop()
        points_left -= 1

    body: list[dict] = []
    for a in range(articles):
        if a % 20 == 0:
            chapter = a // 20 + 1
            body.append(heading_block("chapter", int_to_roman(chapter), f"CHƯƠNG SỐ {chapter}"))
        if a % 10 == 0:
            body.append(heading_block("section", str(a % 20 // 10 + 1), "QUY ĐỊNH CỤ THỂ"))
        clauses = [
            (
                str(c + 1),
                CLAUSE_TEXTS[(a + c) % len(CLAUSE_TEXTS)],
                [
                    (letter, POINT_TEXTS[p % len(POINT_TEXTS)])
                    for p, letter in enumerate(POINT_LETTERS[: points.get((a, c), 0)])
                ],
            )
            for c in range(clause_counts[a])
        ]
        body.append(article_block(str(a + 1), ARTICLE_TITLES[a % len(ARTICLE_TITLES)], clauses))
    return body


def build_draft(*, articles: int, provisions: int, title: str):
    from drafts.models import Provision
    from drafts.services import draft_create
    from tests import factories

    started = time.perf_counter()
    page = draft_create(
        parent=factories.home_page(),
        agency=factories.AgencyFactory(name="Bộ Thử nghiệm hiệu năng", code="BENCH"),
        title=title,
        body=synthetic_body(articles, provisions),
        publish=True,
    )
    seconds = time.perf_counter() - started
    rows = Provision.objects.filter(version__page=page, withdrawn=False).count()
    print(f"built {title!r}: {articles} articles, {rows} provisions, created and published in "
          f"{seconds:.1f} s")  # fmt: skip
    return page, rows


def timed_gets(client, url: str, n: int, must_contain: str) -> list[float]:
    """Milliseconds per GET of `url`, after a warm-up; every response is checked."""
    times = []
    for i in range(WARM_UP + n):
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200 or must_contain.encode() not in response.content:
            raise SystemExit(f"GET {url} gave {response.status_code} without {must_contain!r}")
        if i >= WARM_UP:
            times.append(elapsed)
    return times


def p95(values: list[float]) -> float:
    """Nearest-rank 95th percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def count_queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured)


def profile_page(client, url: str, requests: int = 10) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        client.get(url)
    profiler.disable()
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(30)
        print(f"--- cProfile of {requests} GET {url}, by {order} ---")
        print(out.getvalue().split("\n\n", 1)[-1].rstrip())


def main() -> None:
    args = parse_args()
    throwaway = configure(args.database_url)
    try:
        run(args)
    finally:
        if throwaway is not None:
            for suffix in ("", "-journal", "-wal", "-shm"):
                Path(f"{throwaway}{suffix}").unlink(missing_ok=True)


def run(args: argparse.Namespace) -> None:
    import django

    django.setup()

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from tests import factories

    call_command("migrate", verbosity=0, interactive=False)
    assert not settings.DEBUG and "testserver" in settings.ALLOWED_HOSTS
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")

    scale = args.scale
    articles = max(10, round(300 * scale))
    provisions = max(articles * 3, round(2500 * scale))
    page, rows = build_draft(
        articles=articles, provisions=provisions, title=f"Dự thảo đo hiệu năng {articles} điều"
    )
    small_articles = max(3, articles // 10)
    small, small_rows = build_draft(
        articles=small_articles,
        provisions=max(small_articles * 3, provisions // 10),
        title=f"Dự thảo đo hiệu năng {small_articles} điều",
    )

    client = Client()
    last_anchor = f'id="dieu-{articles}"'
    n_page = max(5, int(50 * scale))
    page_ms = timed_gets(client, page.url, n_page, last_anchor)
    size_kb = len(client.get(page.url).content) / 1024
    page_queries = count_queries(client, page.url)
    small_queries = count_queries(client, small.url)
    print(f"public page, {n_page} GETs: median {statistics.median(page_ms):.1f} ms, "
          f"p95 {p95(page_ms):.1f} ms, {size_kb:.0f} KB of HTML")  # fmt: skip
    print(f"queries per page: {page_queries} ({rows} provisions), "
          f"{small_queries} ({small_rows} provisions)")  # fmt: skip

    admin = factories.UserFactory(username="bench-admin", is_superuser=True, is_staff=True)
    client.force_login(admin)
    edit_url = f"/admin/pages/{page.pk}/edit/"
    n_admin = max(3, int(10 * scale))
    # A draft this long is edited a part at a time: its editor shows the outline
    # (drafts/editing.py).
    admin_ms = timed_gets(client, edit_url, n_admin, "data-draft-text-outline")
    admin_queries = count_queries(client, edit_url)
    print(f"admin edit view, {n_admin} GETs: median {statistics.median(admin_ms):.0f} ms, "
          f"p95 {p95(admin_ms):.0f} ms, {admin_queries} queries")  # fmt: skip

    result = {
        "scale": scale,
        "database": connection.vendor,
        "articles": articles,
        "provisions": rows,
        "page_requests": n_page,
        "page_median_ms": round(statistics.median(page_ms), 1),
        "page_p95_ms": round(p95(page_ms), 1),
        "page_kb": round(size_kb),
        "page_queries": page_queries,
        "small_draft_provisions": small_rows,
        "page_queries_small_draft": small_queries,
        "admin_edit_requests": n_admin,
        "admin_edit_median_ms": round(statistics.median(admin_ms)),
        "admin_edit_p95_ms": round(p95(admin_ms)),
        "admin_edit_queries": admin_queries,
    }
    result["page_ok"] = result["page_median_ms"] <= PAGE_TARGET_MS and page_queries == small_queries
    result["admin_edit_ok"] = result["admin_edit_median_ms"] <= ADMIN_TARGET_MS
    print(f"targets: page median ≤ {PAGE_TARGET_MS} ms with constant queries: "
          f"{'met' if result['page_ok'] else 'MISSED'}; admin edit ≤ {ADMIN_TARGET_MS} ms: "
          f"{'met' if result['admin_edit_ok'] else 'MISSED'}")  # fmt: skip

    if args.profile:
        client.logout()
        profile_page(client, page.url)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
