"""Browser tests: a real headless Chromium (Debian's, never a downloaded one) on a live server.

Playwright's sync API keeps an event loop in the test thread, so Django's guard against ORM calls
from async code is lifted for any the tests make while the browser runs.
"""

import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("PLAYWRIGHT_CHROMIUM_EXECUTABLE", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"


@dataclass(frozen=True)
class Consultation:
    title: str
    url: str


@pytest.fixture
def consultation(live_server) -> Consultation:
    """An open consultation on the sample body, under the default site's home page."""
    from tests import factories

    home = factories.home_page()
    agency = factories.AgencyFactory(name="Bộ Tài nguyên và Môi trường", code="BTNMT")
    page = factories.draft_page(parent=home, agency=agency)
    return Consultation(title=page.title, url=f"{live_server.url}{page.url}")


# The clause the conversation tests comment on, and someone else's comment already there.
CLAUSE = "dieu-2-khoan-2"
OTHER_COMMENT = "Nên nói rõ tổ chức nào thuộc đối tượng áp dụng."


@pytest.fixture
def other_comment(consultation):
    """The clause's conversation so far: one published comment by someone else (a Feedback)."""
    from consult.feedback import services
    from drafts.models import DraftPage, Provision
    from tests import factories

    draft = DraftPage.objects.get(title=consultation.title)
    provision = Provision.objects.get(version__page=draft, anchor=CLAUSE, withdrawn=False)
    feedback, _created = services.feedback_submit(
        draft=draft,
        author=services.Author(user=factories.UserFactory(username="lan"), name="", email=""),
        text=OTHER_COMMENT,
        provision=provision,
        stance="agree",
    )
    assert feedback.is_public and feedback.email_confirmed
    return feedback


@pytest.fixture
def browser(consultation):
    """Chromium for one test, started once its data exists and stopped before the flush.

    While Playwright's sync API is active, an event loop runs in the test thread and Django hands
    code under it another database connection than the one the test database was set up with
    (the one that carries the serialized migration data). Keeping the ORM out of that window
    keeps serialized rollback working, and leaves no loop running for the tests that follow.
    """
    if not Path(CHROMIUM).is_file():
        pytest.skip(
            f"No Chromium at {CHROMIUM}: install Debian's chromium package or set "
            "PLAYWRIGHT_CHROMIUM_EXECUTABLE (Playwright's own browser download is not used)."
        )
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser):
    """`new_page(**context_options)`: a page in a fresh browser context, closed after the test."""
    contexts = []

    def open_page(**options):
        options.setdefault("locale", "vi-VN")
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot_path():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return lambda name: SCREENSHOTS / f"{name}.png"


def signed_in(page):
    """The header's sign-out form, shown to a signed-in person only."""
    return page.locator("header form[action$='/logout/']")


def verification_link(base: str, address: str, timeout: float = 10.0) -> str:
    """The confirmation link of the latest verification e-mail to `address`, on the live
    server at `base`. The live server runs in this process: its locmem outbox is the test's."""
    from django.core import mail

    deadline = time.monotonic() + timeout
    while not [m for m in mail.outbox if address in m.to]:
        assert time.monotonic() < deadline, f"no e-mail to {address} within {timeout} s"
        time.sleep(0.1)
    message = [m for m in mail.outbox if address in m.to][-1]
    links = re.findall(r"https?://\S+/tai-khoan/confirm-email/\S+", message.body)
    assert len(links) == 1, f"no single verification link in:\n{message.body}"
    return base + urlsplit(links[0]).path


def confirm_email_and_sign_in(page, *, base: str, address: str, password: str) -> None:
    """Follow the verification e-mail's link, confirm (allauth asks for a click when it does
    not confirm on GET), and sign in if confirming did not: the person ends signed in."""
    from playwright.sync_api import expect

    page.goto(verification_link(base, address))
    confirm = page.locator("form[action*='/tai-khoan/confirm-email/'] button[type='submit']")
    if confirm.count():
        confirm.click()
    page.wait_for_load_state()
    if not signed_in(page).count():
        page.goto(f"{base}/tai-khoan/login/")
        form = page.locator("form[action$='/tai-khoan/login/']")
        form.locator("input[name='login']").fill(address)
        form.locator("input[name='password']").fill(password)
        form.locator("button[type='submit']").click()
    expect(signed_in(page)).to_have_count(1, timeout=10_000)
