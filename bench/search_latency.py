"""How long a posted comment takes to become searchable, under posting load.

    python bench/search_latency.py [--scale F] [--workers 2] [--clients 8] [--interval 0.5]

Reuses bench/feedback_post.py: its throwaway PostgreSQL database (here econsult_bench_latency),
gunicorn with two workers, and its load process posting comments from signed-in people. On
top of that ONE Celery worker (prefork, concurrency 1) consumes the indexing tasks from Redis,
and this process posts a sampled comment every --interval seconds, each carrying a word of its
own, then polls the search backend (the database engine: no Elasticsearch here) for that word.
Latency is from the moment the post's response arrives (its transaction committed just before)
to the first search that finds it. After the load, the queue drains and a reconcile counts any
comment the index lacks. Target: p95 ≤ 5 s. The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import http.client
import importlib.util
import json
import multiprocessing
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[1]
DB_NAME = "econsult_bench_latency"
REDIS = "redis://127.0.0.1:6379"
BROKER_DB, CACHE_DB = 8, 9
TARGET_P95_S = 5.0
POLL_S = 0.05
GIVE_UP_S = 60.0


def load_feedback_post():
    """bench/feedback_post.py as a module, pointed at this benchmark's database and Redis
    databases. Importable by name too: its load process is started with spawn."""
    sys.path.insert(0, str(REPO / "bench"))
    spec = importlib.util.spec_from_file_location("feedback_post", REPO / "bench/feedback_post.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["feedback_post"] = module
    spec.loader.exec_module(module)
    module.DB_NAME = DB_NAME
    module.DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
    shared_env = module.server_env

    def server_env(port: int) -> dict[str, str]:
        env = shared_env(port)
        env.update(CACHE_URL=f"{REDIS}/{CACHE_DB}", CELERY_BROKER_URL=f"{REDIS}/{BROKER_DB}")
        return env

    module.server_env = server_env
    return module


def flush_broker() -> None:
    import redis

    redis.Redis.from_url(f"{REDIS}/{BROKER_DB}").flushdb()


def queue_length() -> int:
    import redis

    return redis.Redis.from_url(f"{REDIS}/{BROKER_DB}").llen("celery")


class Sampler:
    """Posts a comment with a word of its own every `interval` seconds and times how long
    search takes to find each."""

    def __init__(self, bench, port: int, url: str, session: str, draft_id: int, interval: float):
        self.bench, self.port, self.url, self.session = bench, port, url, session
        self.draft_id, self.interval = draft_id, interval
        self.pending: dict[str, float] = {}
        self.latencies: list[float] = []
        self.post_ms: list[float] = []
        self.refused = 0
        self.lock = threading.Lock()

    def post_until(self, stop_at: float) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        fields, csrf = self.bench._form(conn, self.url, self.session)
        headers = {
            "Cookie": f"sessionid={self.session}; csrftoken={csrf}",
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://127.0.0.1:{self.port}{self.url}",
        }
        while time.time() < stop_at:
            word = f"lat{uuid.uuid4().hex[:12]}"
            body = urlencode(
                {**fields, "submission_key": str(uuid.uuid4()), "stance": "agree",
                 "comment": f"Ý kiến đo độ trễ {word} về khoản này", "respondent_type": "citizen",
                 "show_name": "on"}
            )  # fmt: skip
            began = time.perf_counter()
            conn.request("POST", self.url, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            committed = time.perf_counter()
            if response.status == 302:
                self.post_ms.append((committed - began) * 1000)
                with self.lock:
                    self.pending[word] = committed
            else:
                self.refused += 1
            time.sleep(max(0.0, self.interval - (time.perf_counter() - began)))
        conn.close()

    def poll_until(self, done: threading.Event) -> None:
        from search.engines import get_backend
        from search.interface import FeedbackQuery

        backend = get_backend()
        while not (done.is_set() and not self.pending):
            with self.lock:
                words = list(self.pending.items())
            for word, committed in words:
                result = backend.search(
                    FeedbackQuery(
                        text=word, draft_ids=[self.draft_id], facets=False, highlight=False,
                        page_size=1,
                    )
                )  # fmt: skip
                now = time.perf_counter()
                if result.count:
                    with self.lock:
                        del self.pending[word]
                    self.latencies.append(now - committed)
                elif now - committed > GIVE_UP_S:
                    with self.lock:
                        del self.pending[word]
            time.sleep(POLL_S)


def start_worker(env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [str(REPO / ".venv" / "bin" / "celery"), "-A", "econsult", "worker",
         "--concurrency", "1", "--loglevel", "WARNING",
         "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=REPO,
        env=env,
    )  # fmt: skip


def wait_for_http(port: int) -> None:
    for _ in range(150):
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/healthz")
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--clients", type=int, default=8, help="posting clients of the load")
    parser.add_argument("--interval", type=float, default=0.5, help="seconds between samples")
    parser.add_argument("--port", type=int, default=8767)
    args = parser.parse_args()
    duration = max(10.0, 30.0 * args.scale)
    warmup = max(2.0, 5.0 * args.scale)

    bench = load_feedback_post()
    data = bench.build_data(args.clients + 1)  # the last signed-in person is the sampler
    load_sessions, sample_session = data["sessions"][:-1], data["sessions"][-1]
    env = bench.server_env(args.port)
    flush_broker()
    print(f"draft {data['draft_id']}: {args.clients} posting clients and one sampler")
    server = subprocess.Popen(
        [str(REPO / ".venv" / "bin" / "gunicorn"), "econsult.wsgi", "--workers",
         str(args.workers), "--bind", f"127.0.0.1:{args.port}", "--log-level", "warning"],
        cwd=REPO,
        env=env,
    )  # fmt: skip
    worker = start_worker(env)
    sampler = Sampler(
        bench, args.port, data["url"], sample_session, data["draft_id"], args.interval
    )
    try:
        wait_for_http(args.port)
        run_id = f"bench-{uuid.uuid4().hex[:8]}"
        context = multiprocessing.get_context("spawn")
        queue = context.Queue()
        load = context.Process(
            target=bench.run_load,
            args=(args.port, data["url"], load_sessions, run_id, warmup, duration, queue),
        )
        load.start()
        time.sleep(2 + warmup)  # the load's start delay and warm-up
        done = threading.Event()
        poller = threading.Thread(target=sampler.poll_until, args=(done,))
        poller.start()
        sampler.post_until(time.time() + duration)
        backlog = queue_length()
        done.set()
        poller.join()
        outcome = queue.get(timeout=duration + warmup + 120)
        load.join()
        drain_began = time.perf_counter()
        while queue_length() and time.perf_counter() - drain_began < 300:
            time.sleep(0.5)
        time.sleep(2)  # the last task taken off the queue finishes
        drain_s = time.perf_counter() - drain_began
    finally:
        worker.terminate()
        server.terminate()
        worker.wait(timeout=60)
        server.wait(timeout=30)

    from search.reconcile import index_reconcile

    report = index_reconcile()
    posted = [status for status, _elapsed, measured in outcome["results"] if measured]
    latencies = sampler.latencies
    figures = {
        "scale": args.scale,
        "gunicorn_workers": args.workers,
        "celery_workers": 1,
        "clients": args.clients,
        "measured_s": duration,
        "load_posts_per_s": round(sum(1 for s in posted if s == 302) / duration, 1),
        "samples": len(latencies),
        "samples_not_found": len(sampler.post_ms) - len(latencies),
        "p50_s": round(statistics.median(latencies), 3) if latencies else None,
        "p95_s": round(bench.percentile(latencies, 0.95), 3) if latencies else None,
        "max_s": round(max(latencies), 3) if latencies else None,
        "target_p95_s": TARGET_P95_S,
        "sample_post_median_ms": (
            round(statistics.median(sampler.post_ms), 1) if sampler.post_ms else None
        ),
        "queue_backlog_at_end": backlog,
        "drain_s": round(drain_s, 1),
        "comments": report.expected,
        "missing_from_index": len(report.missing),
        "stale_in_index": len(report.stale),
    }
    print(
        f"{figures['samples']} samples under {figures['load_posts_per_s']} posts/s: "
        f"searchable after p50 {figures['p50_s']} s, p95 {figures['p95_s']} s "
        f"(target ≤ {TARGET_P95_S} s); {figures['missing_from_index']} missing after draining"
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
