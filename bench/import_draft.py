"""Benchmark the draft importer: parsing the largest corpus file, then importing it for real.

    python bench/import_draft.py [--scale F] [--no-db]

Parsing (read_source + parse_lines) runs once to warm up, then max(3, 20*F) times; the full
import (draft_create with publish=True, which writes the provision rows) runs once to warm up,
then max(2, 5*F) times into a throwaway SQLite database in a temporary directory, migrated
first: db.sqlite3 and any DATABASE_URL of the environment are never touched. The figures are
printed as lines to read, then as one JSON object on the last line.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED_CORPUS = REPO.parent / "shared" / "corpus"
CORPUS_DIR = SHARED_CORPUS if SHARED_CORPUS.is_dir() else REPO / "consult" / "demo" / "corpus"


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def timed(function, runs: int) -> list[float]:
    function()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def setup_django(workdir: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "econsult.settings.dev"
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    os.environ["DEBUG"] = "false"  # no query log growing through the runs
    os.environ["LOG_LEVEL"] = "WARNING"
    # Embedded defaults: tasks run eagerly in-process, search goes to the database.
    for name in ("CELERY_BROKER_URL", "ELASTICSEARCH_URL", "CACHE_URL"):
        os.environ.pop(name, None)
    sys.path.insert(0, str(REPO))

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="More runs (default 1.0).")
    parser.add_argument("--no-db", action="store_true", help="Time parsing only.")
    args = parser.parse_args()

    source = max(CORPUS_DIR.glob("*.txt"), key=lambda path: path.stat().st_size)
    data = source.read_bytes()

    with tempfile.TemporaryDirectory(prefix="econsult-bench-") as workdir:
        setup_django(Path(workdir))
        from drafts.importing import parse_lines, read_source

        def parse():
            return parse_lines(read_source(data, source.name))

        result = parse()
        parse_runs = max(3, int(20 * args.scale))
        parse_times = timed(parse, parse_runs)
        tracemalloc.start()
        parse()
        parse_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()

        figures = {
            "file": source.name,
            "bytes": len(data),
            "lines": len(read_source(data, source.name)),
            "articles": result.counts["articles"],
            "scale": args.scale,
            "parse_runs": parse_runs,
            "parse_median_s": round(statistics.median(parse_times), 4),
            "parse_p95_s": round(percentile(parse_times, 0.95), 4),
            "parse_peak_mb": round(parse_peak / (1024 * 1024), 2),
        }
        print(f"File: {source.name}, {len(data):,} bytes, {figures['lines']} lines, "
              f"{result.counts['articles']} articles, {len(result.warnings)} warnings")  # fmt: skip
        print(
            f"Parse: {parse_runs} runs, median {figures['parse_median_s']:.4f} s, "
            f"p95 {figures['parse_p95_s']:.4f} s, "
            f"peak {figures['parse_peak_mb']} MB (tracemalloc)"
        )

        if not args.no_db:
            figures.update(bench_import(result.body, args.scale, source.stem))
            print(f"Import + publish: {figures['import_runs']} runs, median "
                  f"{figures['import_median_s']:.3f} s, p95 {figures['import_p95_s']:.3f} s, "
                  f"{figures['provisions']} provisions per draft")  # fmt: skip

        max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
        figures["max_rss_mb"] = round(max_rss / 1024, 1)
        print(f"Process peak RSS: {figures['max_rss_mb']} MB")
        print(json.dumps(figures))


def bench_import(body: list[dict], scale: float, title: str) -> dict:
    from wagtail.models import Page

    from drafts.models import Agency, ConsultationIndexPage, Provision
    from drafts.services import draft_create

    agency = Agency.objects.create(name="Cơ quan đo hiệu năng", code="BENCH", slug="bench")
    index = ConsultationIndexPage(title="Lấy ý kiến", slug="bench-home")
    Page.get_first_root_node().add_child(instance=index)

    pages = []

    def run_import():
        pages.append(
            draft_create(parent=index, agency=agency, title=title, body=body, publish=True)
        )

    runs = max(2, int(5 * scale))
    times = timed(run_import, runs)
    provisions = Provision.objects.filter(version__page=pages[-1]).count()
    return {
        "import_runs": runs,
        "import_median_s": round(statistics.median(times), 4),
        "import_p95_s": round(percentile(times, 0.95), 4),
        "provisions": provisions,
    }


if __name__ == "__main__":
    main()
