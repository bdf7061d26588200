"""The admin's "Import a draft" screen in Chromium (issue 11): no script error, Wagtail's date
picker opens, a date typed as the site shows it (01/12/2026 08:00) is taken, and the chosen
file survives an error elsewhere on the form, so the fixed form imports it without choosing it
again."""

import re

import pytest

from tests.conftest import CORPUS_DIR

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

USERNAME = "quantri"
PASSWORD = "Quan-tri-2024-an-toan"
CORPUS_FILE = CORPUS_DIR / "luat-dien-anh-2022.txt"
WAIT = 10_000

# Collects, in the page, every report of the Content-Security-Policy refusing something.
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} refused ${event.blockedURI || "inline"}`);
});
"""


@pytest.fixture
def admin_user(consultation):
    """A superuser with a verified address (the consultation gives the one agency and the
    consultation home the import needs)."""
    from allauth.account.models import EmailAddress

    from tests import factories

    admin = factories.UserFactory(
        username=USERNAME, email="quantri@example.vn", is_staff=True, is_superuser=True
    )
    admin.set_password(PASSWORD)
    admin.save()
    EmailAddress.objects.create(user=admin, email=admin.email, verified=True, primary=True)
    return admin


@pytest.fixture
def browser(admin_user, browser):
    """The conftest's browser, started once the data above exists (see the conftest)."""
    return browser


def test_import_screen_picks_a_date_and_keeps_the_file_across_an_error(
    admin_user, new_page, live_server, screenshot_path
):
    page = new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.add_init_script(LISTEN)
    base = live_server.url

    page.goto(f"{base}/admin/login/")
    page.locator("input[name='username']").fill(USERNAME)
    page.locator("input[name='password']").fill(PASSWORD)
    page.locator("form button[type='submit']").first.click()
    page.wait_for_url(f"{base}/admin/", timeout=WAIT)

    page.goto(f"{base}/admin/drafts/import/")
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)  # scripts that start after load
    assert not errors, "\n".join(errors)
    assert not page.evaluate("window.__cspViolations"), page.evaluate("window.__cspViolations")

    # Wagtail's picker opens on the field; the date is typed as the site shows it.
    opens = page.locator("#id_opens_at")
    opens.click()
    picker = page.locator(".xdsoft_datetimepicker:visible")
    expect(picker).to_have_count(1, timeout=WAIT)
    expect(picker.locator(".xdsoft_calendar")).to_be_visible()
    opens.fill("")
    opens.press_sequentially("01/12/2026 08:00")
    page.keyboard.press("Escape")
    page.locator("#id_number").click()  # leaves the field: the picker checks what was typed
    expect(opens).to_have_value("01/12/2026 08:00")
    closes = page.locator("#id_closes_at")
    closes.click()
    closes.press_sequentially("31/01/2027 17:00")
    page.keyboard.press("Escape")
    page.locator("#id_number").click()
    expect(closes).to_have_value("31/01/2027 17:00")

    # A file chosen, the title forgotten: the form comes back with its error.
    form = page.locator("form[enctype='multipart/form-data']")
    page.locator("#id_file").set_input_files(str(CORPUS_FILE))
    form.locator("button[type='submit']").click()
    page.wait_for_load_state("load")
    title_field = page.locator("[data-contentpath='title']")
    expect(title_field.locator("[data-field-errors]")).not_to_be_empty(timeout=WAIT)
    # The dates stay as typed, and the file is said to be kept.
    expect(opens).to_have_value("01/12/2026 08:00")
    expect(page.locator("[data-contentpath='file']")).to_contain_text(CORPUS_FILE.name)
    expect(page.locator("input[name='held_file']")).not_to_have_value("")
    page.screenshot(path=screenshot_path("import-form-kept-file"), full_page=True)

    # Fixed without choosing the file again: imported, and the editor opens.
    page.locator("#id_title").fill("Dự thảo Luật Điện ảnh (sửa đổi)")
    form.locator("button[type='submit']").click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/$"), timeout=WAIT)
    expect(page.locator(".messages")).to_contain_text("50")
    # The editor shows the opening time entered, in the site's one date style (issue 12).
    expect(page.locator("#id_opens_at")).to_have_value("01/12/2026 08:00")
    expect(page.locator("#id_closes_at")).to_have_value("31/01/2027 17:00")
    assert not errors, "\n".join(errors)
