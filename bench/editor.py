"""The Wagtail editor of a code-sized draft in headless Chromium: open, save, publish, and a
part of its text opened and saved (issue 11, point 5; drafts/editing.py says why parts).

    python bench/editor.py [--scale F] [--runs N]

At --scale 1 the draft has 700 articles (the Civil Code has 689; chapters of 20 articles,
sections of 10, about 5,800 provisions), built on a throwaway SQLite file and published; a
12-article draft of 95 provisions, whose whole text stays in the page editor
(drafts.editing.FORM_MAX_PROVISIONS), is measured too ("short_open"). The
site is served by gunicorn (one worker, two threads) with the demo's settings, and an agency
editor signs in through Debian's Chromium (/usr/bin/chromium, or
PLAYWRIGHT_CHROMIUM_EXECUTABLE).

Each figure is wall time in the browser, after one warm-up, median and p95 over the runs:
- open: navigation to the page editor until its form is usable (the load event, the outline
  or the StreamField built by Wagtail's scripts, and the "Save draft" button enabled);
- save: "Save draft" pressed until the editor is back and usable;
- publish: "Publish" pressed until the page it leads to has loaded;
- part_open / part_save: the same for one part of the text (a chapter, or a run of articles
  of at most FORM_MAX_PROVISIONS provisions), from the middle of the draft.

Target: open ≤ 3 s. The last line printed is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OPEN_TARGET_MS = 3000
USERNAME = "bientap.bench"
PASSWORD = "Bien-tap-bench-2026"
CHROMIUM = os.environ.get("PLAYWRIGHT_CHROMIUM_EXECUTABLE", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]
WAIT_MS = 120_000


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1 = 700 articles (default)")
    parser.add_argument("--runs", type=int, default=0, help="runs (default 5 × scale, ≥ 3)")
    return parser.parse_args()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="econsult.settings.dev",
        DEBUG="False",
        DATABASE_URL=database_url,
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        LOG_LEVEL="WARNING",
    )
    env.pop("CELERY_BROKER_URL", None)
    env.pop("ELASTICSEARCH_URL", None)
    return env


def build(articles: int) -> dict:
    """The drafts, the agency editor who signs in, and the URLs to open."""
    import django

    django.setup()
    from allauth.account.models import EmailAddress
    from django.core.management import call_command

    sys.path.insert(0, str(REPO / "bench"))
    from draft_page import synthetic_body

    from drafts.editing import FORM_MAX_PROVISIONS
    from drafts.models import Provision
    from drafts.services import draft_create, editor_group_ensure
    from tests import factories

    call_command("migrate", verbosity=0, interactive=False)
    home = factories.home_page()
    agency = factories.AgencyFactory(name="Bộ Thử nghiệm hiệu năng", code="BENCH")
    editor = factories.UserFactory(username=USERNAME, email="bientap@example.vn")
    editor.set_password(PASSWORD)
    editor.save()
    EmailAddress.objects.create(user=editor, email=editor.email, verified=True, primary=True)
    editor.groups.add(editor_group_ensure(home=home, name="Biên tập viên"))
    agency.staff.add(editor)

    drafts = {}
    for name, count, provisions in (
        ("code", articles, round(articles * 8.3)),
        ("short", 12, FORM_MAX_PROVISIONS - 5),
    ):
        started = time.perf_counter()
        page = draft_create(
            parent=home,
            agency=agency,
            title=f"Dự thảo đo trình soạn thảo {count} điều",
            body=synthetic_body(count, provisions),
            publish=True,
            user=editor,
        )
        rows = Provision.objects.filter(version__page=page, withdrawn=False).count()
        print(f"built {page.title!r}: {rows} provisions in {time.perf_counter() - started:.1f} s")
        drafts[name] = {"pk": page.pk, "provisions": rows, "blocks": len(page.body.raw_data)}
    from django.urls import reverse

    from drafts.editing import text_parts
    from drafts.models import DraftPage

    code = DraftPage.objects.get(pk=drafts["code"]["pk"])
    parts = text_parts(code.body.raw_data)
    middle = parts[len(parts) // 2]
    drafts["code"]["parts"] = len(parts)
    drafts["code"]["part_url"] = reverse("drafts_admin:text_part", args=[code.pk, middle.anchor])
    drafts["code"]["part_blocks"] = middle.end - middle.start
    return drafts


def start_server(port: int, env: dict[str, str]) -> subprocess.Popen:
    server = subprocess.Popen(
        [str(REPO / ".venv" / "bin" / "gunicorn"), "econsult.wsgi", "--workers", "1",
         "--threads", "2", "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
         "--timeout", "300"],
        cwd=REPO,
        env=env,
    )  # fmt: skip
    for _ in range(150):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", "/healthz")
            conn.getresponse()
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


# The editor is usable: loaded, Wagtail's scripts ran (the StreamField, when there is one,
# has built its last block), and the form's main button can be pressed.
USABLE = """([blocks]) => {
  if (document.readyState !== "complete") return false;
  const save = document.querySelector("button.action-save, button[name='action-save']");
  if (!save || save.disabled) return false;
  if (document.querySelector("[data-draft-text-outline]")) return true;
  return blocks === 0 || !!document.querySelector(`input[name='body-${blocks - 1}-type']`);
}"""


def timed(action, page, blocks: int) -> float:
    """Milliseconds from `action` (which leads to another page) until that page is usable."""
    started = time.perf_counter()
    with page.expect_navigation(wait_until="load", timeout=WAIT_MS):
        action()
    page.wait_for_function(USABLE, arg=[blocks], timeout=WAIT_MS, polling=50)
    return (time.perf_counter() - started) * 1000


def measure(base: str, drafts: dict, runs: int) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright

    code, short = drafts["code"], drafts["short"]
    edit_url = f"{base}/admin/pages/{code['pk']}/edit/"
    short_url = f"{base}/admin/pages/{short['pk']}/edit/"
    part_url = f"{base}{code['part_url']}"
    times: dict[str, list[float]] = {
        k: [] for k in ("open", "save", "publish", "part_open", "part_save", "short_open")
    }
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(WAIT_MS)
        page = context.new_page()
        page.goto(f"{base}/admin/login/")
        page.fill("input[name='username']", USERNAME)
        page.fill("input[name='password']", PASSWORD)
        page.locator("form button[type='submit']").first.click()
        page.wait_for_url(f"{base}/admin/")

        for run in range(runs + 1):
            figures = {
                "open": timed(lambda: page.goto(edit_url), page, 0),
                "save": timed(lambda: page.locator("button.action-save").first.click(), page, 0),
            }
            started = time.perf_counter()
            with page.expect_navigation(wait_until="load"):
                page.evaluate("document.querySelector(\"button[name='action-publish']\").click()")
            figures["publish"] = (time.perf_counter() - started) * 1000
            blocks = code["part_blocks"]
            figures["part_open"] = timed(lambda: page.goto(part_url), page, blocks)
            figures["part_save"] = timed(
                lambda: page.locator("button[name='action-save']").click(), page, 0
            )
            assert page.url == edit_url, page.url
            figures["short_open"] = timed(lambda: page.goto(short_url), page, short["blocks"])
            shown = ", ".join(f"{k} {v:.0f} ms" for k, v in figures.items())
            print(f"{'warm-up' if run == 0 else f'run {run}'}: {shown}")
            if run:
                for key, value in figures.items():
                    times[key].append(value)
        browser.close()
    return times


def main() -> None:
    args = parse_args()
    if not Path(CHROMIUM).is_file():
        raise SystemExit(f"No Chromium at {CHROMIUM}")
    database = Path(tempfile.gettempdir()) / f"econsult-bench-editor-{os.getpid()}.sqlite3"
    env = server_env(f"sqlite:///{database}")
    os.environ.update(env)
    sys.path.insert(0, str(REPO))
    articles = max(40, round(700 * args.scale))
    runs = args.runs or max(3, round(5 * args.scale))
    try:
        drafts = build(articles)
        port = free_port()
        server = start_server(port, env)
        try:
            times = measure(f"http://127.0.0.1:{port}", drafts, runs)
        finally:
            server.terminate()
            server.wait(timeout=30)
    finally:
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)

    result = {
        "scale": args.scale,
        "articles": articles,
        "provisions": drafts["code"]["provisions"],
        "parts": drafts["code"]["parts"],
        "part_blocks": drafts["code"]["part_blocks"],
        "runs": runs,
    }
    for key, values in times.items():
        result[f"{key}_median_ms"] = round(statistics.median(values))
        result[f"{key}_p95_ms"] = round(p95(values))
    result["open_ok"] = result["open_median_ms"] <= OPEN_TARGET_MS
    print(f"target: open ≤ {OPEN_TARGET_MS} ms: {'met' if result['open_ok'] else 'MISSED'}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
