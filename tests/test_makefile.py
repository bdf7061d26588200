"""The Makefile gives every process of one setup (web, worker, beat, shell) the same public base
URL, so e-mails written by beat or the worker link to the port the demo serves."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _dry_run(*args: str, **env: str) -> str:
    environ = {k: v for k, v in os.environ.items() if k != "WAGTAILADMIN_BASE_URL"} | env
    result = subprocess.run(
        ["make", "-n", *args], cwd=ROOT, env=environ, capture_output=True, text=True, check=True
    )
    return result.stdout


@pytest.mark.parametrize("target", ["demo", "worker", "beat", "shell"])
def test_every_process_links_to_the_demo_port(target):
    out = _dry_run(target, "PORT=8111")
    command = next(
        line
        for line in out.splitlines()
        if "manage.py runserver" in line or "celery" in line or "manage.py shell" in line
    )
    assert command.startswith("WAGTAILADMIN_BASE_URL=http://127.0.0.1:8111 "), command


def test_the_environment_wins_over_the_port():
    out = _dry_run("beat", "PORT=8111", WAGTAILADMIN_BASE_URL="https://gopy.example.gov.vn")
    assert "WAGTAILADMIN_BASE_URL=https://gopy.example.gov.vn .venv/bin/celery" in out
