"""Benchmark the exports of the synthesis report (DOCX, XLSX, CSV, JSON) of a large consultation.

    python bench/report_export.py [--scale F] [--database-url URL] [--runs N]

At --scale 1 the draft has the structure of bench/draft_page.py (300 articles, about 2,500
provisions) and 100,000 published top-level comments (plus 25,000 replies, which the report
leaves out), written with bench/feedback_page.py's generators; 5,000 published responses answer
four comments each, spread over the draft. The responses are written with bulk_create and the
comments pointed at them with one set-based UPDATE.

Each export is built by the task's function (`report_export_build`), called synchronously in
a fresh subprocess; its memory is the growth of that process's peak RSS over the build (the
peak, VmHWM, is reset just before it: a process started by fork and exec inherits its parent's
ru_maxrss, so resource.getrusage is used only where /proc is missing). One more run per format
under tracemalloc gives the peak of Python allocations (tracemalloc slows the build, so those
runs are not timed). The first file of each
format is checked: the DOCX and XLSX are parsed as streams and their rows counted, the CSV and
JSON read back.

Without --database-url it runs on PostgreSQL, postgres://postgres@127.0.0.1:5432/
econsult_bench_export, dropped and created again at every start; a sqlite:////path URL works
too. `build_report_data(scale, database_url)` builds the same data for other benchmarks.

Targets, each format: median ≤ 60 s and max RSS growth ≤ 500 MB. The last line printed is one
JSON object with the figures.
"""

from __future__ import annotations

import argparse
import codecs
import csv
import importlib.util
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/econsult_bench_export"
TOP_LEVEL_AT_SCALE_1 = 100_000
RESPONSES_AT_SCALE_1 = 5_000
COMMENTS_PER_RESPONSE = 4
TIME_TARGET_S = 60
MEMORY_TARGET_MB = 500
FORMATS = ("docx", "xlsx", "csv", "json")
REASONS = [
    "Cơ quan chủ trì soạn thảo tiếp thu, đã chỉnh lý {citation} theo hướng làm rõ phạm vi áp "
    "dụng và trách nhiệm của cơ quan có thẩm quyền.",
    "Ý kiến không phù hợp với Hiến pháp và Luật Ban hành văn bản quy phạm pháp luật; nội dung "
    "này đã được quy định tại văn bản khác nên không quy định lại trong dự thảo.",
    "Tiếp thu một phần: bổ sung quy định chuyển tiếp; đối với đề xuất còn lại, cơ quan soạn "
    "thảo giữ như dự thảo vì bảo đảm tính thống nhất của hệ thống pháp luật.",
    "Ghi nhận ý kiến để nghiên cứu khi xây dựng văn bản hướng dẫn thi hành.",
]
DECISIONS = ["accepted", "not_accepted", "partly", "noted"]


def load_bench(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", REPO / f"bench/{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


feedback_bench = load_bench("feedback_page")
p95 = feedback_bench.p95


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--scale", type=float, default=1.0, help="1 = 100,000 comments, 5,000 answers (default)"
    )
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--runs", type=int, default=3, help="timed runs per format (default 3)")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)  # build one export, report
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args()


def setup_django(database_url: str) -> None:
    """Point Django at the benchmark database as it is (used by the child processes)."""
    sys.path.insert(0, str(REPO))
    os.environ["DJANGO_SETTINGS_MODULE"] = "econsult.settings.dev"
    os.environ["DEBUG"] = "False"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    for name in ("CELERY_BROKER_URL", "ELASTICSEARCH_URL", "CACHE_URL"):
        os.environ.pop(name, None)
    os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()


# The data


def build_report_data(scale: float = 1.0, database_url: str = DEFAULT_DATABASE_URL) -> dict:
    """A fresh database with one large consultation and its answers; what was built.

    Drops and creates the database, sets Django up, migrates, then writes the draft, the
    comments and the responses. Returns the draft's id, the counts and the seconds taken.
    """
    feedback_bench.configure(database_url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    check_columns()

    started = time.perf_counter()
    articles = max(10, round(300 * scale))
    provisions = max(articles * 3, round(2500 * scale))
    top_level = max(100, round(TOP_LEVEL_AT_SCALE_1 * scale))
    # feedback_page writes REPLY_SHARE of its total as replies: ask for enough to leave
    # `top_level` conversations.
    total = round(top_level / (1 - feedback_bench.REPLY_SHARE))
    page, rows = feedback_bench.build_draft(
        articles=articles, provisions=provisions, title=f"Dự thảo Luật báo cáo {articles} điều"
    )
    users = feedback_bench.bench_users(feedback_bench.USERS)
    timings = feedback_bench.insert_comments(page, total, users, seed=2027)
    responses, answered, response_s = insert_responses(
        page, max(10, round(RESPONSES_AT_SCALE_1 * scale))
    )
    from consult.feedback.counters import public_feedback_filter
    from consult.feedback.models import Feedback

    reported = Feedback.objects.filter(public_feedback_filter(), draft=page, level=0).count()
    seconds = time.perf_counter() - started
    print(f"built the consultation in {seconds:.1f} s: {reported:,} top-level comments "
          f"(comments written in {timings['total']:.1f} s), {responses:,} published answers "
          f"covering {answered:,} comments (written in {response_s:.1f} s)")  # fmt: skip
    return {
        "draft_id": page.pk,
        "provisions": rows,
        "comments": reported,
        "responses": responses,
        "answered": answered,
        "build_s": round(seconds, 1),
    }


def check_columns() -> None:
    """feedback_page's column lists must cover every column of the three tables but the
    nullable ones written later here (the comments' answer)."""
    from consult.feedback.models import Feedback

    for model in [*reversed(Feedback._meta.get_parent_list()), Feedback]:
        actual = {field.column for field in model._meta.local_concrete_fields}
        missing = actual - set(feedback_bench.COLUMNS[model._meta.db_table]) - {"response_id"}
        if missing:
            raise SystemExit(f"{model._meta.db_table} has columns the generator does not write: "
                             f"{sorted(missing)}")  # fmt: skip


def insert_responses(page, n: int) -> tuple[int, int, float]:
    """`n` published responses, each answering COMMENTS_PER_RESPONSE top-level comments
    picked across the draft; (responses, comments answered, seconds)."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone

    from consult.answers.models import Response

    started = time.perf_counter()
    rng = random.Random(2028)
    User = get_user_model()
    drafter, _ = User.objects.get_or_create(
        username="bench-drafter", defaults={"email": "drafter@example.vn", "is_staff": True}
    )
    page.agency.staff.add(drafter)
    now = timezone.now()
    answers = []
    for i in range(n):
        decision = DECISIONS[i % len(DECISIONS)]
        reason = rng.choice(REASONS).format(citation=f"Điều {rng.randint(1, 300)}")
        answers.append(
            Response(
                draft=page,
                agency_id=page.agency_id,
                decision=decision,
                reason=reason,
                created_by=drafter,
                updated_by=drafter,
                published_at=now,
                published_by=drafter,
            )
        )
    with transaction.atomic():
        Response.objects.bulk_create(answers, batch_size=feedback_bench.BATCH)
        with connection.cursor() as cursor:
            # Comments in a scrambled but fixed order, four by four onto the answers in id order.
            cursor.execute(
                """
                WITH ranked AS (
                    SELECT f.xtdcomment_ptr_id AS id,
                           ROW_NUMBER() OVER (
                               ORDER BY (f.xtdcomment_ptr_id * 7919) %% 100003, f.xtdcomment_ptr_id
                           ) AS n
                    FROM consult_feedback f
                    JOIN django_comments_xtd_xtdcomment x ON x.comment_ptr_id = f.xtdcomment_ptr_id
                    WHERE f.draft_id = %s AND x.level = 0
                ), answers AS (
                    SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS k
                    FROM consult_response WHERE draft_id = %s
                )
                UPDATE consult_feedback SET response_id = answers.id
                FROM ranked JOIN answers ON answers.k = (ranked.n - 1) / %s + 1
                WHERE consult_feedback.xtdcomment_ptr_id = ranked.id
                """,
                [page.pk, page.pk, COMMENTS_PER_RESPONSE],
            )
            answered = cursor.rowcount
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE consult_response, consult_feedback")
    return n, answered, time.perf_counter() - started


# One export, in a child process


def reset_peak_rss() -> bool:
    """Reset this process's peak RSS to its current RSS (Linux ≥ 4.0). A process started by
    fork and exec inherits its parent's ru_maxrss, so getrusage alone would hide any peak
    below the benchmark's own."""
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
    except OSError:
        return False
    return True


def status_kb(field: str) -> int:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
    raise LookupError(field)


def child(export_id: int, trace: bool) -> None:
    """Build one export and print its figures as JSON (run as a subprocess)."""
    import gc
    import tracemalloc

    from consult.reports.builds import report_export_build
    from consult.reports.models import ReportExport

    ReportExport.objects.filter(pk=export_id).exists()  # connect before the baseline
    gc.collect()
    peak_reset = reset_peak_rss()
    before_kb = (
        status_kb("VmRSS") if peak_reset else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    )
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    export = report_export_build(export_id=export_id)
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] if trace else None
    after_kb = (
        status_kb("VmHWM") if peak_reset else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    )
    print(
        json.dumps(
            {
                "status": export.status,
                "error": export.error,
                "rows": export.rows_done,
                "seconds": seconds,
                "rss_before_mb": before_kb / 1024,
                "rss_delta_mb": (after_kb - before_kb) / 1024,
                "max_rss_mb": after_kb / 1024,
                "rss_measure": "VmHWM" if peak_reset else "ru_maxrss",
                "tracemalloc_peak_mb": peak / 2**20 if peak is not None else None,
                "bytes": export.file.size if export.file else 0,
                "path": export.file.path if export.file else "",
            }
        )
    )


def run_export(database_url: str, draft_id: int, format: str, *, trace=False) -> dict:
    from consult.reports.models import ReportExport

    export = ReportExport.objects.create(draft_id=draft_id, format=format, scope="public")
    command = [sys.executable, __file__, "--database-url", database_url, "--child", str(export.pk)]
    if trace:
        command.append("--trace")
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"export {format} failed:\n{done.stderr}")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    if figures["status"] != "done":
        raise SystemExit(f"export {format} failed: {figures['error']}")
    return figures


def check_file(format: str, path: str, rows: int) -> str:
    """Read the file back as a stream; a short description of what was found."""
    if format == "docx":
        from lxml import etree

        with zipfile.ZipFile(path) as package, package.open("word/document.xml") as xml:
            tag = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tr"
            found = 0
            for _event, element in etree.iterparse(xml, tag=tag):
                found += 1
                element.clear(keep_tail=True)
        assert found == rows + 1, (found, rows)
        return f"{found - 1:,} table rows after the header, well-formed XML"
    if format == "xlsx":
        from lxml import etree

        with zipfile.ZipFile(path) as package, package.open("xl/worksheets/sheet1.xml") as xml:
            tag = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}row"
            found = 0
            for _event, element in etree.iterparse(xml, tag=tag):
                found += 1
                element.clear(keep_tail=True)
        assert found == rows + 1, (found, rows)
        return f"{found - 1:,} rows after the header"
    if format == "csv":
        with open(path, "rb") as handle:
            assert handle.read(3) == codecs.BOM_UTF8
        with open(path, encoding="utf-8-sig", newline="") as handle:
            found = sum(1 for _ in csv.reader(handle)) - 1
        assert found == rows, (found, rows)
        return f"{found:,} rows, UTF-8 with BOM"
    with open(path, encoding="utf-8") as handle:
        found = len(json.load(handle)["rows"])
    assert found == rows, (found, rows)
    return f"{found:,} rows, valid JSON"


def main() -> None:
    args = parse_args()
    if args.child:
        setup_django(args.database_url)
        child(args.child, args.trace)
        return
    run(args)


def run(args: argparse.Namespace) -> None:
    import tempfile

    # The export files go to a throwaway directory, which the child processes inherit.
    os.environ["PRIVATE_MEDIA_ROOT"] = tempfile.mkdtemp(prefix="bench-report-export-")
    data = build_report_data(args.scale, args.database_url)
    from django.db import connections

    from consult.reports.models import ReportExport
    from consult.reports.rows import report_fingerprint
    from drafts.models import DraftPage

    draft = DraftPage.objects.select_related("agency").get(pk=data["draft_id"])
    fingerprint_ms = []
    for _ in range(6):
        started = time.perf_counter()
        report_fingerprint(draft=draft, scope="public")
        fingerprint_ms.append((time.perf_counter() - started) * 1000)
    fingerprint_ms = fingerprint_ms[1:]
    print(f"fingerprint (computed on every export request): median "
          f"{statistics.median(fingerprint_ms):.0f} ms, "
          f"p95 {p95(fingerprint_ms):.0f} ms")  # fmt: skip
    connections.close_all()

    result = {"scale": args.scale, "database": connections["default"].vendor, **data}
    result["fingerprint_median_ms"] = round(statistics.median(fingerprint_ms), 1)
    all_ok = True
    for format in FORMATS:
        runs = []
        for n in range(args.runs):
            figures = run_export(args.database_url, draft.pk, format)
            if n == 0:
                checked = check_file(format, figures["path"], data["comments"])
                print(f"{format}: {figures['bytes'] / 2**20:.1f} MB; {checked}")
            runs.append(figures)
        traced = run_export(args.database_url, draft.pk, format, trace=True)
        ReportExport.objects.filter(draft=draft, format=format).delete()
        for figures in [*runs, traced]:
            Path(figures["path"]).unlink(missing_ok=True)
        seconds = [figures["seconds"] for figures in runs]
        rss = [figures["rss_delta_mb"] for figures in runs]
        ok = statistics.median(seconds) <= TIME_TARGET_S and max(rss) <= MEMORY_TARGET_MB
        all_ok &= ok
        print(f"{format}: {args.runs} builds of {data['comments']:,} rows: median "
              f"{statistics.median(seconds):.1f} s, p95 {p95(seconds):.1f} s; max RSS growth "
              f"median {statistics.median(rss):.0f} MB, max {max(rss):.0f} MB (process peak "
              f"{max(figures['max_rss_mb'] for figures in runs):.0f} MB); tracemalloc "
              f"peak {traced['tracemalloc_peak_mb']:.1f} MB; "
              f"{'met' if ok else 'MISSED'}")  # fmt: skip
        result[format] = {
            "median_s": round(statistics.median(seconds), 2),
            "p95_s": round(p95(seconds), 2),
            "rss_delta_median_mb": round(statistics.median(rss), 1),
            "rss_delta_max_mb": round(max(rss), 1),
            "max_rss_mb": round(max(figures["max_rss_mb"] for figures in runs), 1),
            "tracemalloc_peak_mb": round(traced["tracemalloc_peak_mb"], 1),
            "file_mb": round(runs[0]["bytes"] / 2**20, 1),
            "ok": ok,
        }
    result["ok"] = all_ok
    print(f"targets: each format median ≤ {TIME_TARGET_S} s and RSS growth ≤ "
          f"{MEMORY_TARGET_MB} MB: {'met' if all_ok else 'MISSED'}")  # fmt: skip
    print(json.dumps(result))


if __name__ == "__main__":
    main()
