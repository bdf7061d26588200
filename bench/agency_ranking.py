"""Benchmark the agency accountability pages over a million comments.

    python bench/agency_ranking.py [--scale F] [--database-url URL]

At --scale 1: 50 agencies, 4 drafts each (one long closed, one closed two months ago, one
just closed, one open), 1,000,000 published top-level comments spread unevenly over the drafts,
answers covering 20–95 % of each agency's comments in groups of three (one in ten answers left
unpublished), decisions and delays that differ by agency, satisfaction from about one answered
comment in twenty, and synthesis reports for about half the closed drafts.

Without --database-url it runs on PostgreSQL, postgres://postgres@127.0.0.1:5432/
econsult_bench_ranking, dropped and created again at every start; a sqlite:////path URL works
too. Comments and answers are written with COPY on PostgreSQL (executemany on SQLite) straight
into the tables, through bench/feedback_page.py's writer; answers are then pointed at with one
set-based UPDATE per draft.

It then measures the background cost (the figures_refresh command over every draft, and the
beat task over the active ones) and the pages: /co-quan/ and one agency's page through the
Django test client. Target: ranking median ≤ 500 ms. The last line printed is one JSON object.
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
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/econsult_bench_ranking"
RANKING_TARGET_MS = 500
AGENCIES = 50
DRAFTS_PER_AGENCY = 4
COMMENTS_AT_SCALE_1 = 1_000_000
GROUP = 3  # comments per answer
UNPUBLISHED_EVERY = 10  # one answer in ten is written but not published
SATISFACTION_EVERY = 20  # about one answered comment in twenty is rated
CHUNK = 100_000
DECISIONS = ["accepted", "partly", "not_accepted", "noted"]
# (opened days ago, closed days ago; negative = still open) of each agency's four drafts
WINDOWS = [(200, 140), (120, 60), (50, 5), (20, -40)]


def load(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", REPO / f"bench/{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


page_bench = load("feedback_page")
timed_gets = page_bench.timed_gets
p95 = page_bench.p95
count_queries = page_bench.count_queries


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--scale", type=float, default=1.0, help="1 = 50 agencies, 1,000,000 comments (default)"
    )
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    return parser.parse_args()


def register_columns() -> None:
    """The writer of bench/feedback_page.py knows the comment tables; teach it the answer
    tables, and every column the feedback table has now."""
    from consult.answers.models import Response, Satisfaction
    from consult.feedback.models import Feedback

    columns = page_bench.COLUMNS
    for model in [*reversed(Feedback._meta.get_parent_list()), Feedback, Response, Satisfaction]:
        columns[model._meta.db_table] = [f.column for f in model._meta.local_concrete_fields]


def write(table: str, rows: list[dict]) -> None:
    order = page_bench.COLUMNS[table]
    page_bench.bulk_insert(table, [tuple(row[name] for name in order) for row in rows])


def build_drafts(rng: random.Random) -> list[dict]:
    """Agencies with their drafts (minimal bodies): one dict per draft with its plan."""
    from django.utils import timezone

    from drafts.models import Agency
    from drafts.services import draft_create
    from tests import factories

    started = time.perf_counter()
    now = timezone.now()
    home = factories.home_page()
    agencies = Agency.objects.bulk_create(
        Agency(name=f"Bộ Thử nghiệm số {n:02d}", code=f"BTN{n:02d}", slug=f"btn{n:02d}")
        for n in range(AGENCIES)
    )
    body = [factories.article_block("1", "Phạm vi điều chỉnh", intro="Nội dung.")]
    drafts = []
    for agency in agencies:
        answer_rate = rng.uniform(0.2, 0.95)
        delay_mean = rng.uniform(2, 30)
        decision_weights = [rng.uniform(0.5, 4) for _ in DECISIONS]
        for k, (opened, closed) in enumerate(WINDOWS):
            jitter = rng.uniform(0, 3)
            page = draft_create(
                parent=home,
                agency=agency,
                title=f"Dự thảo {k + 1} của {agency.code}",
                body=body,
                opens_at=now - timedelta(days=opened + jitter),
                closes_at=now - timedelta(days=closed + jitter),
                publish=True,
            )
            drafts.append(
                {
                    "page": page,
                    "agency_id": agency.pk,
                    "answer_rate": answer_rate * (0.5 if page.closes_at > now else 1),
                    "delay_mean": delay_mean,
                    "decision_weights": decision_weights,
                    "weight": rng.lognormvariate(0, 1),
                }
            )
    print(f"built {len(agencies)} agencies and {len(drafts)} published drafts in "
          f"{time.perf_counter() - started:.1f} s")  # fmt: skip
    return drafts


def insert_feedback_and_answers(drafts: list[dict], total: int, rng: random.Random) -> dict:
    """Comments, then answers, then the UPDATE that points comments at their answers."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.db.models import Max
    from django.utils import timezone
    from django_comments.models import Comment

    from consult.answers.models import Response, Satisfaction
    from drafts.models import DraftPage
    from tests import factories

    timings = {}
    started = time.perf_counter()
    staff = factories.UserFactory(username="bench-drafter", is_staff=True)
    content_type_id = ContentType.objects.get_for_model(DraftPage).pk
    adapt = connection.ops.adapt_datetimefield_value
    now = timezone.now()
    weights = sum(d["weight"] for d in drafts)
    counts = [int(total * d["weight"] / weights) for d in drafts]
    counts[0] += total - sum(counts)
    next_comment = (Comment.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    next_response = (Response.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    comments, xtd, feedback, answers = [], [], [], []
    pointers = []  # (draft id, first comment id, last answered comment id, first answer id)

    def flush() -> None:
        write("django_comments", comments)
        write("django_comments_xtd_xtdcomment", xtd)
        write("consult_feedback", feedback)
        for rows in (comments, xtd, feedback):
            rows.clear()

    with transaction.atomic():
        for plan, n in zip(drafts, counts, strict=True):
            page = plan["page"]
            end = min(page.closes_at, now)
            window = (end - page.opens_at).total_seconds()
            dates = sorted(
                page.opens_at + timedelta(seconds=rng.random() * window) for _ in range(n)
            )
            first = next_comment
            for pk, date in enumerate(dates, start=first):
                comments.append(
                    {"id": pk, "content_type_id": content_type_id, "object_pk": str(page.pk),
                     "site_id": 1, "user_id": None, "user_name": "Người góp ý",
                     "user_email": f"k{pk}@example.vn", "user_url": "", "comment": "Góp ý.",
                     "submit_date": adapt(date), "ip_address": None, "is_public": True,
                     "is_removed": False}
                )  # fmt: skip
                xtd.append(
                    {"comment_ptr_id": pk, "thread_id": pk, "parent_id": pk, "level": 0,
                     "order": 1, "followup": False, "nested_count": 0}
                )  # fmt: skip
                feedback.append(
                    {"xtdcomment_ptr_id": pk, "draft_id": page.pk, "provision_id": None,
                     "stance": "agree", "proposed_wording": "", "respondent_type": "citizen",
                     "organisation": "", "province": "", "show_name": True, "attachment": "",
                     "attachment_type": "", "submission_key": None, "email_confirmed": True,
                     "endorsement_count": 0, "flag_count": 0, "removal_reason": "",
                     "response_id": None, "language": "vi"}
                )  # fmt: skip
            next_comment += n
            answered = int(n * plan["answer_rate"]) // GROUP * GROUP
            first_answer = next_response
            for g in range(answered // GROUP):
                last_date = dates[g * GROUP + GROUP - 1]
                published = None
                if g % UNPUBLISHED_EVERY != UNPUBLISHED_EVERY - 1:
                    delay = timedelta(days=rng.expovariate(1 / plan["delay_mean"]))
                    published = adapt(min(now, last_date + delay))
                decision = rng.choices(DECISIONS, plan["decision_weights"])[0]
                answers.append(
                    {"id": next_response, "draft_id": page.pk, "provision_id": None,
                     "agency_id": plan["agency_id"], "decision": decision,
                     "reason": "Giải trình.", "created_by_id": staff.pk,
                     "created_at": adapt(now), "updated_by_id": staff.pk,
                     "updated_at": adapt(now), "published_at": published,
                     "published_by_id": staff.pk if published else None, "revised_at": None}
                )  # fmt: skip
                next_response += 1
            if answered:
                pointers.append((page.pk, first, first + answered - 1, first_answer))
            if len(comments) >= CHUNK:
                flush()
        flush()
        write("consult_response", answers)
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), [Comment, Response]):
                cursor.execute(statement)
    timings["comments_and_answers"] = time.perf_counter() - started

    mark = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for draft_id, first, last, first_answer in pointers:
            cursor.execute(
                "UPDATE consult_feedback SET response_id = %s + (xtdcomment_ptr_id - %s) / %s "
                "WHERE draft_id = %s AND xtdcomment_ptr_id BETWEEN %s AND %s",
                [first_answer, first, GROUP, draft_id, first, last],
            )
        # Satisfaction: about one answered comment in twenty, the share satisfied varying.
        cursor.execute(
            "INSERT INTO consult_satisfaction (feedback_id, response_id, satisfied, note, "
            "created_at) SELECT f.xtdcomment_ptr_id, f.response_id, "
            "((f.xtdcomment_ptr_id / %s * 37) %% 100) < (30 + f.draft_id %% 60), '', %s "
            "FROM consult_feedback f JOIN consult_response r ON r.id = f.response_id "
            "WHERE r.published_at IS NOT NULL AND f.xtdcomment_ptr_id %% %s = 0",
            [SATISFACTION_EVERY, adapt(now), SATISFACTION_EVERY],
        )
        for statement in connection.ops.sequence_reset_sql(no_style(), [Satisfaction]):
            cursor.execute(statement)
    timings["point_and_rate"] = time.perf_counter() - mark

    mark = time.perf_counter()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "ANALYZE django_comments, django_comments_xtd_xtdcomment, consult_feedback, "
                "consult_response, consult_satisfaction"
            )
    timings["analyze"] = time.perf_counter() - mark
    timings["answers"] = len(answers)
    return timings


def publish_reports(drafts: list[dict], rng: random.Random) -> int:
    """A synthesis report for about half the closed drafts, some before the deadline."""
    from django.utils import timezone

    from consult.reports.models import SynthesisReport

    now = timezone.now()
    reports = [
        SynthesisReport(
            draft=plan["page"],
            published_at=plan["page"].closes_at + timedelta(days=rng.uniform(5, 40)),
        )
        for plan in drafts
        if plan["page"].closes_at < now - timedelta(days=10) and rng.random() < 0.5
    ]
    SynthesisReport.objects.bulk_create(reports)
    return len(reports)


def main() -> None:
    args = parse_args()
    page_bench.configure(args.database_url)
    run(args)


def run(args: argparse.Namespace) -> None:
    import django

    django.setup()

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from consult.accountability import tasks
    from consult.accountability.models import DraftFigures
    from consult.accountability.selectors import active_draft_ids
    from consult.answers.models import Response, Satisfaction
    from consult.feedback.models import Feedback
    from drafts.models import Agency

    call_command("migrate", verbosity=0, interactive=False)
    assert not settings.DEBUG and "testserver" in settings.ALLOWED_HOSTS
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    register_columns()

    rng = random.Random(2025)
    total = max(1000, round(COMMENTS_AT_SCALE_1 * args.scale))
    drafts = build_drafts(rng)
    timings = insert_feedback_and_answers(drafts, total, rng)
    reports = publish_reports(drafts, rng)
    comments = Feedback.objects.count()
    answered = Feedback.objects.filter(response__published_at__isnull=False).count()
    ratings = Satisfaction.objects.count()
    print(f"inserted {comments:,} comments and {timings['answers']:,} answers in "
          f"{timings['comments_and_answers']:.1f} s; pointed and rated in "
          f"{timings['point_and_rate']:.1f} s ({answered:,} comments answered in public, "
          f"{ratings:,} ratings); {reports} synthesis reports")  # fmt: skip

    started = time.perf_counter()
    call_command("figures_refresh", verbosity=0)
    refresh_all_s = time.perf_counter() - started
    assert DraftFigures.objects.count() == len(drafts)
    counted = sum(DraftFigures.objects.values_list("feedback_count", flat=True))
    assert counted == comments, (counted, comments)
    active = len(active_draft_ids())
    started = time.perf_counter()
    tasks.draft_figures_refresh_active.delay()
    refresh_active_s = time.perf_counter() - started
    print(f"figures_refresh over {len(drafts)} drafts: {refresh_all_s:.1f} s "
          f"({1000 * refresh_all_s / len(drafts):.0f} ms a draft); beat task over the "
          f"{active} active drafts: {refresh_active_s:.1f} s")  # fmt: skip

    client = Client()
    n = max(10, int(50 * min(args.scale, 1)))
    ranking_ms = timed_gets(client, "/co-quan/", n, 'data-agency="BTN00"')
    ranking_sorted_ms = timed_gets(client, "/co-quan/?sap-xep=so-ngay", n, 'data-agency="BTN00"')
    ranking_queries = count_queries(client, "/co-quan/")
    ranking_kb = len(client.get("/co-quan/").content) / 1024
    busiest = Response.objects.values("agency_id").order_by().annotate(n=Count("pk"))
    busiest_id = max(busiest, key=lambda row: row["n"])["agency_id"]
    agency = Agency.objects.get(pk=busiest_id)
    agency_url = f"/co-quan/{agency.slug}/"
    agency_ms = timed_gets(client, agency_url, n, "consultations-table")
    agency_queries = count_queries(client, agency_url)
    print(f"/co-quan/, {n} GETs: median {statistics.median(ranking_ms):.1f} ms, p95 "
          f"{p95(ranking_ms):.1f} ms ({ranking_queries} queries, {ranking_kb:.0f} KB); sorted "
          f"by median days: median {statistics.median(ranking_sorted_ms):.1f} ms")  # fmt: skip
    print(f"{agency_url}, {n} GETs: median {statistics.median(agency_ms):.1f} ms, p95 "
          f"{p95(agency_ms):.1f} ms ({agency_queries} queries)")  # fmt: skip

    result = {
        "scale": args.scale,
        "database": connection.vendor,
        "agencies": Agency.objects.count(),
        "drafts": len(drafts),
        "comments": comments,
        "answers": timings["answers"],
        "answered_comments": answered,
        "ratings": ratings,
        "insert_s": round(timings["comments_and_answers"] + timings["point_and_rate"], 1),
        "figures_refresh_all_s": round(refresh_all_s, 1),
        "figures_refresh_active_s": round(refresh_active_s, 1),
        "active_drafts": active,
        "ranking_median_ms": round(statistics.median(ranking_ms), 1),
        "ranking_p95_ms": round(p95(ranking_ms), 1),
        "ranking_sorted_median_ms": round(statistics.median(ranking_sorted_ms), 1),
        "ranking_queries": ranking_queries,
        "agency_median_ms": round(statistics.median(agency_ms), 1),
        "agency_p95_ms": round(p95(agency_ms), 1),
        "agency_queries": agency_queries,
    }
    result["ranking_ok"] = result["ranking_median_ms"] <= RANKING_TARGET_MS
    print(f"target: ranking median ≤ {RANKING_TARGET_MS} ms: "
          f"{'met' if result['ranking_ok'] else 'MISSED'}")  # fmt: skip
    print(json.dumps(result))


if __name__ == "__main__":
    main()
