"""Benchmark the database search engine (search.database) on a million comments.

    python bench/search_db.py [--scale F] [--database-url URL]

At --scale 1 there are 1,000,000 comments (about 20 % replies) on two drafts of the
structure of bench/feedback_page.py, 90 % on the first. Their text is Vietnamese as people
write it: an opening of the kind commenters use, then one or (mostly) two passages cut from
lines of the real laws in the shared corpus, often a closing remark; 2 % belong to three
campaigns of near-identical letters. Comments are written with bench/feedback_page.py's COPY
into the three tables of the MTI model, then indexed by the code the engine uses
(search.documents prepares, search.database builds the entry and its detail), copied into
search_feedbackentry and search_feedbackentrydetail with COPY, their indexes built after the
load.

Four query sets go through DatabaseBackend.search as the public search page asks (relevance,
facets and highlights on, 20 hits): one word, two words, a quoted phrase, and words with a
stance and a province selected. Each set is warmed up over its terms, then timed RUNS times
with the terms varied (with and without diacritics): median and p95. Similar comments and the
campaign clusters of each draft are timed too, for the record.

Without --database-url it runs on PostgreSQL, postgres://postgres@127.0.0.1:5432/
econsult_bench_search, dropped and created again at every start. Target: p95 ≤ 300 ms for
every query set. The last line printed is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import re
import statistics
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/econsult_bench_search"
TARGET_P95_MS = 300
COMMENTS_AT_SCALE_1 = 1_000_000
SECOND_DRAFT_SHARE = 0.10
CAMPAIGN_SHARE = 0.02
CHUNK = 200_000
INDEX_BATCH = 5000
RUNS = 50
SEED = 2025

OPENINGS = {
    "agree": ["Tôi đồng ý với quy định", "Đề nghị giữ nguyên nội dung", "Quy định này hợp lý:",
              "Ủng hộ phương án của dự thảo về việc"],
    "disagree": ["Tôi không đồng ý với quy định", "Đề nghị bỏ quy định", "Quy định chưa hợp lý:",
                 "Phản đối nội dung"],
    "change": ["Đề nghị sửa đổi theo hướng", "Đề nghị bổ sung quy định", "Cần làm rõ nội dung",
               "Đề nghị quy định cụ thể hơn về"],
    "question": ["Xin hỏi quy định", "Đề nghị giải thích rõ", "Cơ quan nào hướng dẫn việc",
                 "Quy định áp dụng thế nào với"],
}  # fmt: skip
CLOSINGS = [
    "để bảo đảm quyền lợi chính đáng của người lao động.",
    "vì thực tiễn tại doanh nghiệp nhỏ và vừa rất khác.",
    "nhằm tránh cách hiểu khác nhau khi áp dụng.",
    "cho phù hợp với Bộ luật Dân sự và Luật Doanh nghiệp.",
    "để giảm chi phí tuân thủ cho người dân.",
    "trừ trường hợp luật có quy định khác.",
]
REPLY_OPENINGS = ["Tôi đồng ý với ý kiến trên,", "Ý kiến xác đáng, đề nghị Ban soạn thảo tiếp thu:",
                  "Tôi cũng gặp tình huống tương tự:", "Xin bổ sung thêm:"]  # fmt: skip
CAMPAIGNS = [
    "Tôi là {name}, công nhân khu công nghiệp {place}, đề nghị giữ nguyên thời giờ làm thêm "
    "tối đa không quá 300 giờ một năm vì tăng giờ làm thêm ảnh hưởng đến sức khỏe và gia đình.",
    "Chúng tôi, {name} và các hộ kinh doanh tại {place}, phản đối việc tăng lệ phí trước bạ "
    "đối với xe máy điện vì gây khó khăn cho người thu nhập thấp.",
    "Đề nghị Ban soạn thảo bổ sung chế độ nghỉ thai sản cho lao động nam, ý kiến của {name}, "
    "{place}.",
]
NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Cường", "Phạm Minh Đức", "Vũ Thị Lan",
         "Đặng Quốc Huy", "Bùi Thu Trang", "Đỗ Văn Hải", "Ngô Thị Mai", "Hồ Minh Tuấn"]  # fmt: skip
PLACES = ["Bắc Ninh", "Bình Dương", "Đồng Nai", "Hải Phòng", "Thái Nguyên", "Long An"]

# Query terms, of varied frequency; each set is run with and without diacritics.
ONE_WORD = ["thuế", "lương", "phim", "hưu", "ảnh", "phạt", "thai", "điện", "hợp", "bảo",
            "quyền", "kỷ", "học", "nghề", "xuất", "tranh", "thương", "trẻ", "việc",
            "giờ"]  # fmt: skip
TWO_WORDS = ["lao động", "hợp đồng", "bảo hiểm", "tiền lương", "làm thêm", "nghỉ hưu",
             "điện ảnh", "thời giờ", "kỷ luật", "đình công", "phổ biến", "sản xuất",
             "thai sản", "học nghề", "tranh chấp", "trẻ em", "bồi thường", "thử việc"]  # fmt: skip
PHRASES = ['"người lao động"', '"hợp đồng lao động"', '"thời giờ làm việc"',
           '"bảo hiểm xã hội"', '"người sử dụng lao động"', '"phổ biến phim"', '"tiền lương"',
           '"kỷ luật lao động"', '"tranh chấp lao động"', '"cơ sở điện ảnh"', '"giấy phép"',
           '"nghỉ hằng năm"']  # fmt: skip
FACETED_TEXT = ["lao động", "hợp đồng", "lương", "bảo hiểm", "phim", "thuế", "thời giờ"]
STANCES = ["agree", "disagree", "change", "question"]


def load_module(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


page_bench = load_module("bench_feedback_page", REPO / "bench/feedback_page.py")
p95 = page_bench.p95


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1 = 1,000,000 comments (default)")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    return parser.parse_args()


# Text


def corpus_passages() -> list[list[str]]:
    """The lines of the corpus laws with at least eight words, as word lists."""
    shared = REPO.parent / "shared" / "corpus"
    folder = shared if shared.is_dir() else REPO / "consult" / "demo" / "corpus"
    passages = []
    for path in sorted(folder.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = re.sub(r"^(Điều \d+\w*\.|\d+\.|[a-zđ]\))\s*", "", line.strip())
            words = line.split()
            if len(words) >= 8:
                passages.append(words)
    return passages


class CommentWriter:
    """Comments as people write them, from passages of the laws; deterministic per seed."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.passages = corpus_passages()

    def passage(self, low: int = 6, high: int = 24) -> str:
        words = self.rng.choice(self.passages)
        size = min(len(words), self.rng.randint(low, high))
        start = self.rng.randrange(len(words) - size + 1)
        return " ".join(words[start : start + size]).rstrip(".,;:")

    def comment(self, stance: str) -> str:
        rng = self.rng
        if rng.random() < CAMPAIGN_SHARE:
            template = CAMPAIGNS[rng.randrange(len(CAMPAIGNS))]
            return template.format(name=rng.choice(NAMES), place=rng.choice(PLACES))
        opening = rng.choice(OPENINGS.get(stance) or REPLY_OPENINGS)
        first = self.passage(5, 18)
        parts = [f"{opening} {first[:1].lower()}{first[1:]}"]
        if rng.random() < 0.7:
            parts.append(self.passage(4, 14))
        text = ", ".join(parts)
        if rng.random() < 0.4:
            text += " " + rng.choice(CLOSINGS)
        else:
            text += "."
        return text


# Data


def insert_comments(page, total: int, users: list, seed: int) -> None:
    """`total` comments on `page` (feedback_page.py's rows with this script's text), COPYed a
    chunk at a time."""
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django_comments.models import Comment

    writer = CommentWriter(seed)
    for start in range(0, total, CHUNK):
        size = min(CHUNK, total - start)
        comments, xtd, feedback, _ = page_bench.comment_rows(page, size, users, seed + start)
        stances = {row[0]: row[3] for row in feedback}
        comments = [(*row[:8], writer.comment(stances[row[0]]), *row[9:]) for row in comments]
        with transaction.atomic():
            page_bench.bulk_insert("django_comments", comments)
            page_bench.bulk_insert("django_comments_xtd_xtdcomment", xtd)
            page_bench.bulk_insert("consult_feedback", feedback)
            with connection.cursor() as cursor:
                for statement in connection.ops.sequence_reset_sql(no_style(), [Comment]):
                    cursor.execute(statement)


def build_entries() -> dict:
    """Index every comment into search_feedbackentry and search_feedbackentrydetail, the way
    DatabaseBackend.index builds them, with COPY; the seconds each step took."""
    from django.db import connection, transaction

    from consult.feedback.models import Feedback
    from search.database import entry_from_document
    from search.documents import prepared_documents
    from search.models import FeedbackEntry, FeedbackEntryDetail

    models = [FeedbackEntry, FeedbackEntryDetail]
    tables = [model._meta.db_table for model in models]
    postgres = connection.vendor == "postgresql"
    timings = {"prepare": 0.0, "write": 0.0, "indexes": 0.0, "analyze": 0.0}
    definitions = []
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
                "AND indexname NOT LIKE '%%_pkey'",
                [tables],
            )
            definitions = cursor.fetchall()
            for name, _definition in definitions:
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    ids = list(Feedback.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), INDEX_BATCH):
        mark = time.perf_counter()
        pairs = [
            entry_from_document(doc) for doc in prepared_documents(ids[start : start + INDEX_BATCH])
        ]
        timings["prepare"] += time.perf_counter() - mark
        mark = time.perf_counter()
        with transaction.atomic():
            for position, model in enumerate(models):
                rows = [pair[position] for pair in pairs]
                if postgres:
                    copy_rows(model, rows)
                else:
                    model.objects.bulk_create(rows)
        timings["write"] += time.perf_counter() - mark
    mark = time.perf_counter()
    with connection.cursor() as cursor:
        for _name, definition in definitions:
            cursor.execute(definition)
    timings["indexes"] = time.perf_counter() - mark
    mark = time.perf_counter()
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {', '.join(tables)}")
    timings["analyze"] = time.perf_counter() - mark
    timings["entries"] = len(ids)
    return timings


def copy_rows(model, objects: list) -> None:
    from django.db import connection

    fields = model._meta.concrete_fields
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = f"COPY {model._meta.db_table} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for obj in objects:
            copy.write_row([getattr(obj, f.attname) for f in fields])


# Queries


def unaccented(text: str) -> str:
    from search.text import fold

    return fold(text)


def query_sets(rng: random.Random) -> dict[str, list[dict]]:
    """Per set, RUNS query parameter dicts, terms varied, half typed without diacritics."""
    from consult.feedback.provinces import PROVINCES

    provinces = [code for code, _label in PROVINCES]

    def texts(terms):
        runs = []
        for i in range(RUNS):
            term = terms[i % len(terms)]
            runs.append(unaccented(term) if (i // len(terms) + i) % 2 else term)
        return runs

    return {
        "one_word": [{"text": t} for t in texts(ONE_WORD)],
        "two_words": [{"text": t} for t in texts(TWO_WORDS)],
        "phrase": [{"text": t} for t in texts(PHRASES)],
        "faceted": [
            {"text": t, "stances": [rng.choice(STANCES)], "provinces": [rng.choice(provinces)]}
            for t in texts(FACETED_TEXT)
        ],
    }


def time_queries(backend, runs: list[dict]) -> tuple[list[float], list[int]]:
    """Milliseconds per search after a warm-up pass over the distinct queries; the counts."""
    from search.interface import FeedbackQuery

    for params in {json.dumps(p, sort_keys=True): p for p in runs}.values():
        backend.search(FeedbackQuery(**params))
    times, counts = [], []
    for params in runs:
        started = time.perf_counter()
        result = backend.search(FeedbackQuery(**params))
        times.append((time.perf_counter() - started) * 1000)
        counts.append(result.count)
        if result.count and (not result.hits or "<mark>" not in result.hits[0].highlight):
            raise SystemExit(f"search {params} found {result.count} but gave no highlight")
    return times, counts


def main() -> None:
    args = parse_args()
    page_bench.configure(args.database_url)
    run(args)


def run(args: argparse.Namespace) -> None:
    import django

    django.setup()

    from django.core.management import call_command
    from django.db import connection

    from consult.feedback.models import Feedback
    from search.database import DatabaseBackend

    call_command("migrate", verbosity=0, interactive=False)
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    page_bench.check_columns()

    scale = args.scale
    total = max(1000, round(COMMENTS_AT_SCALE_1 * scale))
    second = round(total * SECOND_DRAFT_SHARE)
    articles = max(10, round(300 * min(scale, 1)))
    provisions = max(articles * 3, round(2500 * min(scale, 1)))
    big, _ = page_bench.build_draft(
        articles=articles, provisions=provisions, title="Dự thảo Bộ luật Lao động (sửa đổi)"
    )
    small, _ = page_bench.build_draft(
        articles=articles, provisions=provisions, title="Dự thảo Luật Điện ảnh (sửa đổi)"
    )
    users = page_bench.bench_users(page_bench.USERS)

    started = time.perf_counter()
    insert_comments(big, total - second, users, SEED)
    insert_comments(small, second, users, SEED + 1)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE django_comments, consult_feedback")
    comments = Feedback.objects.count()
    insert_s = time.perf_counter() - started
    print(f"wrote {comments:,} comments in {insert_s:.1f} s")

    started = time.perf_counter()
    timings = build_entries()
    index_s = time.perf_counter() - started
    print(f"indexed {timings['entries']:,} entries in {index_s:.1f} s (prepare "
          f"{timings['prepare']:.1f} s, write {timings['write']:.1f} s, indexes "
          f"{timings['indexes']:.1f} s, vacuum/analyze {timings['analyze']:.1f} s)")  # fmt: skip
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_relation_size('search_feedbackentry'), "
                "pg_total_relation_size('search_feedbackentry'), "
                "pg_total_relation_size('search_feedbackentrydetail')"
            )
            heap, entries, details = (size / 2**20 for size in cursor.fetchone())
        print(f"search tables: entries {heap:,.0f} MB ({entries:,.0f} MB with indexes), "
              f"details {details:,.0f} MB")  # fmt: skip

    backend = DatabaseBackend()
    rng = random.Random(SEED)
    result = {"scale": scale, "database": connection.vendor, "comments": comments,
              "insert_s": round(insert_s, 1), "index_s": round(index_s, 1)}  # fmt: skip
    ok = True
    for name, runs in query_sets(rng).items():
        times, counts = time_queries(backend, runs)
        median, high = statistics.median(times), p95(times)
        ok = ok and high <= TARGET_P95_MS
        print(f"{name:10} {len(times)} searches: median {median:6.1f} ms, p95 {high:6.1f} ms "
              f"(hits per search: median {statistics.median(counts):,.0f}, "
              f"max {max(counts):,})")  # fmt: skip
        result[f"{name}_median_ms"] = round(median, 1)
        result[f"{name}_p95_ms"] = round(high, 1)
        result[f"{name}_median_hits"] = statistics.median(counts)

    sample = list(
        Feedback.objects.filter(draft=big, level=0).order_by("?").values_list("pk", flat=True)[:20]
    )
    similar_ms = []
    for pk in sample:
        mark = time.perf_counter()
        backend.similar(pk, limit=10)
        similar_ms.append((time.perf_counter() - mark) * 1000)
    print(f"similar, {len(sample)} comments: median {statistics.median(similar_ms):.1f} ms, "
          f"p95 {p95(similar_ms):.1f} ms")  # fmt: skip
    result.update(
        similar_median_ms=round(statistics.median(similar_ms), 1),
        similar_p95_ms=round(p95(similar_ms), 1),
    )
    for label, page in (("small", small), ("big", big)):
        draft_comments = Feedback.objects.filter(draft=page).count()
        mark = time.perf_counter()
        clusters = backend.clusters(draft_id=page.pk)
        clusters_ms = (time.perf_counter() - mark) * 1000
        print(f"campaigns of the {label} draft ({draft_comments:,} comments): "
              f"{clusters_ms:,.0f} ms, {len(clusters)} clusters, largest "
              f"{clusters[0].size if clusters else 0:,}")  # fmt: skip
        result[f"clusters_{label}_draft_ms"] = round(clusters_ms)
    result["search_ok"] = ok
    print(f"target: p95 ≤ {TARGET_P95_MS} ms for every query set: {'met' if ok else 'MISSED'}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
