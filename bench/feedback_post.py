"""Posting feedback through HTTP under gunicorn, the way a browser does, with load from a
second process.

    python bench/feedback_post.py [--scale F] [--workers 2] [--clients 8]

Builds its own data in a throwaway PostgreSQL database (Redis for the cache and the Celery
broker), starts gunicorn with two workers, and lets a separate load process post comments
from many signed-in people for a while after a warm-up. Reports comments per second, median
and p95 latency, and checks that the rows stored equal the posts accepted. The rate limit is
raised for the run (it would otherwise refuse a load that comes from one address). The
figures go on the last line as one JSON object.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import re
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[1]
DB_NAME = "econsult_bench_post"
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
REDIS = "redis://127.0.0.1:6379"
CLAUSE = "dieu-2-khoan-2"


def server_env(port: int) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("ELASTICSEARCH_URL", "CELERY_TASK_ALWAYS_EAGER")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="econsult.settings.dev",
        DEBUG="false",
        SECRET_KEY="bench-" + "x" * 40,
        DATABASE_URL=DATABASE_URL,
        CACHE_URL=f"{REDIS}/13",
        CELERY_BROKER_URL=f"{REDIS}/14",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        FEEDBACK_RATE_PER_MINUTE="1000000",
        LOG_LEVEL="WARNING",
    )
    return env


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


# ---------------------------------------------------------------------------------------
# Data: a fresh database with a draft open for comment and the people who will post.


def build_data(clients: int) -> dict:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        c.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")
        c.execute(f"CREATE DATABASE {DB_NAME}")
    os.environ.update(server_env(0))
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.cache import cache
    from django.core.management import call_command

    from tests import factories

    call_command("migrate", verbosity=0)
    cache.clear()
    draft = factories.draft_page(title="Dự thảo đo tải góp ý")
    User = get_user_model()
    sessions = []
    for n in range(clients):
        user = User.objects.create_user(f"bench{n}", f"bench{n}@example.vn", "x" * 12)
        session = SessionStore()
        session["_auth_user_id"] = str(user.pk)
        session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        session["_auth_user_hash"] = user.get_session_auth_hash()
        session.create()
        sessions.append(session.session_key)
    return {"url": f"{draft.url}gop-y/{CLAUSE}/", "draft_id": draft.pk, "sessions": sessions}


# ---------------------------------------------------------------------------------------
# The load: a separate process with one thread per signed-in person.


def _form(conn, url: str, session: str) -> tuple[dict, str]:
    conn.request("GET", url, headers={"Cookie": f"sessionid={session}"})
    response = conn.getresponse()
    html = response.read().decode()
    cookies = response.headers.get_all("Set-Cookie") or []
    csrf = next(c.split(";")[0].split("=", 1)[1] for c in cookies if c.startswith("csrftoken="))
    form = html.split('id="feedback-form"', 1)[1]
    fields = {}
    for tag in re.findall(r"<input[^>]+>", form):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name and 'type="hidden"' in tag:
            fields[name.group(1)] = value.group(1) if value else ""
    fields["honeypot"] = ""
    return fields, csrf


def _client(port, url, session, run_id, start_at, stop_at, warm_until, out):
    import threading

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    fields, csrf = _form(conn, url, session)
    headers = {
        "Cookie": f"sessionid={session}; csrftoken={csrf}",
        "Content-Type": "application/x-www-form-urlencoded",
        "Referer": f"http://127.0.0.1:{port}{url}",
    }
    while time.time() < start_at:
        time.sleep(0.01)
    n = 0
    while time.time() < stop_at:
        n += 1
        body = urlencode(
            {
                **fields,
                "submission_key": str(uuid.uuid4()),
                "comment": f"{run_id} góp ý số {n} của {threading.get_ident()}",
                "stance": "change" if n % 3 == 0 else "agree",
                "proposed_wording": "Tổ chức, cá nhân và người không quốc tịch:"
                if n % 3 == 0
                else "",
                "respondent_type": "citizen",
                "show_name": "on",
            }
        )
        began = time.perf_counter()
        conn.request("POST", url, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        elapsed = time.perf_counter() - began
        out.append((response.status, elapsed, time.time() >= warm_until))
    conn.close()


def run_load(port, url, sessions, run_id, warmup, duration, queue):
    import threading

    start_at = time.time() + 2
    warm_until = start_at + warmup
    stop_at = warm_until + duration
    results: list[tuple[int, float]] = []
    threads = [
        threading.Thread(
            target=_client,
            args=(port, url, session, run_id, start_at, stop_at, warm_until, results),
        )
        for session in sessions
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    queue.put({"results": results, "measured_s": duration})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker")
    parser.add_argument("--port", type=int, default=8766)
    args = parser.parse_args()
    duration = max(5.0, 30.0 * args.scale)
    warmup = max(2.0, 5.0 * args.scale)

    data = build_data(args.clients)
    print(f"draft {data['draft_id']}: posting to {data['url']} with {args.clients} clients")
    server = subprocess.Popen(
        [
            str(REPO / ".venv" / "bin" / "gunicorn"),
            "econsult.wsgi",
            "--workers",
            str(args.workers),
            "--bind",
            f"127.0.0.1:{args.port}",
            "--log-level",
            "warning",
        ],  # fmt: skip
        cwd=REPO,
        env=server_env(args.port),
    )
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", args.port, timeout=1).request(
                    "GET", "/healthz"
                )
                break
            except OSError:
                time.sleep(0.2)
        run_id = f"bench-{uuid.uuid4().hex[:8]}"
        context = multiprocessing.get_context("spawn")
        queue = context.Queue()
        load = context.Process(
            target=run_load,
            args=(args.port, data["url"], data["sessions"], run_id, warmup, duration, queue),
        )
        load.start()
        outcome = queue.get(timeout=duration + warmup + 120)
        load.join()
    finally:
        server.terminate()
        server.wait(timeout=30)

    from consult.feedback.models import Feedback

    everything = outcome["results"]
    results = [(status, elapsed) for status, elapsed, measured in everything if measured]
    accepted = [elapsed for status, elapsed in results if status == 302]
    refused = len(results) - len(accepted)
    accepted_all = sum(1 for status, _elapsed, _measured in everything if status == 302)
    stored_total = Feedback.objects.filter(comment__startswith=run_id).count()
    figures = {
        "scale": args.scale,
        "workers": args.workers,
        "clients": args.clients,
        "threads": args.threads,
        "measured_s": duration,
        "posts_measured": len(results),
        "accepted_measured": len(accepted),
        "refused_measured": refused,
        "comments_per_s": round(len(accepted) / duration, 1),
        "median_ms": round(statistics.median(accepted) * 1000, 1) if accepted else None,
        "p95_ms": round(percentile(accepted, 0.95) * 1000, 1) if accepted else None,
        "accepted_all_posts": accepted_all,
        "stored_all_posts": stored_total,
        "lost": accepted_all - stored_total,
    }
    rate, median, p95 = figures["comments_per_s"], figures["median_ms"], figures["p95_ms"]
    print(f"{rate} comments/s, median {median} ms, p95 {p95} ms")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
