"""A real OpenID Connect provider for the tests: panva's oidc-provider on Node.js
(tests/e2e/oidc_provider.mjs, pinned in tests/e2e/package-lock.json), started on 127.0.0.1 at a
free port, and the settings that point the site at it.

`running_provider(redirect_uris)` starts it and waits for its discovery document;
`use_provider(settings, provider)` sets SOCIALACCOUNT_PROVIDERS (and the Content-Security-Policy
form-action the sign-in button needs) through pytest-django's `settings` fixture, which the
live server of the browser tests shares.
"""

from __future__ import annotations

import copy
import json
import shutil
import socket
import subprocess
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

E2E = Path(__file__).resolve().parent / "e2e"
SCRIPT = E2E / "oidc_provider.mjs"
CLIENT_ID = "econsult-test"
CLIENT_SECRET = "bi-mat-chi-dung-khi-thu"
PROVIDER_ID = "vneid"
CALLBACK_PATH = f"/tai-khoan/oidc/{PROVIDER_ID}/login/callback/"


@dataclass(frozen=True)
class RunningProvider:
    issuer: str
    process: subprocess.Popen


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_provider(redirect_uris: list[str], *, acr: str = "2", timeout: float = 20.0):
    """The provider running for the block, with one client allowed to come back to
    `redirect_uris`; every login name signs in (claims in oidc_provider.mjs), with `acr`."""
    node = shutil.which("node")
    if node is None or not (E2E / "node_modules" / "oidc-provider").is_dir():
        pytest.skip("Node.js or tests/e2e/node_modules missing: run `npm ci --prefix tests/e2e`")
    port = free_port()
    command = [node, str(SCRIPT), "--port", str(port), "--client-id", CLIENT_ID]
    command += ["--client-secret", CLIENT_SECRET, "--acr", acr]
    for uri in redirect_uris:
        command += ["--redirect-uri", uri]
    process = subprocess.Popen(
        command, cwd=E2E, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    issuer = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the OIDC provider stopped: {process.stderr.read()}")
            try:
                with urllib.request.urlopen(
                    f"{issuer}/.well-known/openid-configuration", timeout=1
                ) as answer:
                    if json.load(answer).get("issuer") == issuer:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the OIDC provider did not answer in time")
            time.sleep(0.1)
        yield RunningProvider(issuer=issuer, process=process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stderr:
            process.stderr.close()


def use_provider(settings, issuer: str, *, name: str = "VNeID") -> None:
    """Point the site at the provider at `issuer` (as the OIDC_* environment would)."""
    from econsult.settings.base import oidc_providers, origin_of

    settings.OIDC_ISSUER_URL = issuer
    settings.OIDC_PROVIDER_NAME = name
    settings.SOCIALACCOUNT_PROVIDERS = oidc_providers(
        issuer=issuer,
        client_id=CLIENT_ID,
        secret=CLIENT_SECRET,
        scopes="openid profile email",
        name=name,
        provider_id=PROVIDER_ID,
    )
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"] = [
        *policy["DIRECTIVES"]["form-action"],
        *origin_of(issuer),
    ]
    settings.CONTENT_SECURITY_POLICY = policy
