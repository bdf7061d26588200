"""An invited agency's clerk gives its official opinion in the Wagtail admin, in a real
browser on a phone-sized screen (Law 64/2025 Art. 30): finds the request in "Ý kiến được đề
nghị", writes the opinion on the draft and on an article, attaches the signed letter and
submits; a visitor then sees it on the draft as that agency's official opinion."""

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

USERNAME = "vanthu.btp"
DRAFTER = "soanthao"
PASSWORD = "Van-thu-Bo-Tu-phap-2024"
WAIT = 10_000
GENERAL = "Bộ Tư pháp cơ bản thống nhất với dự thảo."
ON_ARTICLE = "Đề nghị làm rõ phạm vi điều chỉnh tại Điều 1."
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def invitation(consultation):
    """A request from the drafting agency to Bộ Tư pháp, whose clerk may use the admin."""
    from django.contrib.auth.models import Permission
    from django.core.files.uploadedfile import SimpleUploadedFile

    from consult.opinions.services import opinion_request_send
    from drafts.models import DraftPage
    from tests import factories

    draft = DraftPage.objects.get(title=consultation.title)
    drafter = factories.UserFactory(username=DRAFTER, password=PASSWORD)
    drafter.user_permissions.add(Permission.objects.get(codename="access_admin"))
    draft.agency.staff.add(drafter)
    justice = factories.AgencyFactory(name="Bộ Tư pháp", code="BTP", slug="bo-tu-phap")
    clerk = factories.UserFactory(username=USERNAME, password=PASSWORD)
    clerk.user_permissions.add(Permission.objects.get(codename="access_admin"))
    justice.staff.add(clerk)
    request = opinion_request_send(
        user=drafter,
        draft=draft,
        agencies=[justice],
        subject="Đề nghị góp ý dự thảo",
        letter=SimpleUploadedFile("de-nghi.pdf", PDF),
    )
    return request.invitations.get().pk


@pytest.fixture
def browser(invitation, browser):
    """Started once the data above exists (see the conftest on the ORM and Playwright)."""
    return browser


def test_the_clerk_submits_the_agencys_opinion_and_the_public_sees_it(
    invitation, new_page, live_server, consultation, screenshot_path, tmp_path
):
    letter = tmp_path / "y-kien-bo-tu-phap.pdf"
    letter.write_bytes(PDF)
    admin = new_page(viewport={"width": 360, "height": 740})
    admin.goto(f"{live_server.url}/admin/login/")
    admin.locator("input[name='username']").fill(USERNAME)
    admin.locator("input[name='password']").fill(PASSWORD)
    admin.locator("form button[type='submit']").first.click()
    admin.wait_for_url(f"{live_server.url}/admin/", timeout=WAIT)

    admin.goto(f"{live_server.url}/admin/consult/opinions/received/")
    row = admin.locator(f"tr[data-invitation='{invitation}']")
    expect(row).to_contain_text("Đang chờ ý kiến")
    # On a phone the row stacks: the draft's title reads on a line, not a word a line, and the
    # deadline and the status are on screen without scrolling sideways.
    title_cell = row.locator("td").first.bounding_box()
    assert title_cell["width"] > 280, title_cell  # the row's whole width, not a narrow column
    title = row.get_by_role("link").first.bounding_box()
    assert title["height"] < 60, title  # a line or two, not a word a line
    for cell in (row.locator("time"), row.locator("[data-opinion-status]")):
        box = cell.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 360, box
    row.get_by_role("link").first.click()
    admin.wait_for_url(f"**/received/{invitation}/", timeout=WAIT)

    form = admin.locator("form[data-opinion-form]")
    form.locator("textarea[name='general-comment']").fill(GENERAL)
    form.locator("select[name='provisions-0-provision']").select_option("dieu-1")
    form.locator("select[name='provisions-0-stance']").select_option("change")
    form.locator("textarea[name='provisions-0-comment']").fill(ON_ARTICLE)
    form.locator("input[name='general-letter']").set_input_files(str(letter))
    admin.screenshot(path=str(screenshot_path("agency-opinion-form-360")), full_page=True)
    form.locator("button[type='submit']").click()

    expect(admin.locator(".messages")).to_contain_text("Bộ Tư pháp", timeout=WAIT)
    current = admin.locator("[data-current-opinion]")
    expect(current).to_contain_text(GENERAL)
    expect(current).to_contain_text(ON_ARTICLE)
    width = admin.evaluate("document.documentElement.scrollWidth")
    assert width <= 360 + 1, f"the page scrolls sideways on a phone ({width}px)"

    visitor = new_page(viewport={"width": 360, "height": 740})
    visitor.goto(consultation.url)
    section = visitor.locator("[data-agency-opinions]")
    expect(section).to_contain_text("Bộ Tư pháp")
    expect(section.locator("[data-status='on_time']")).to_have_count(1)
    visitor.goto(f"{consultation.url}gop-y/dieu-1/")
    expect(visitor.locator("[data-official-opinion]")).to_contain_text(
        "Ý kiến chính thức của Bộ Tư pháp"
    )


def test_the_send_form_shows_the_15_day_deadline_in_the_browser(invitation, new_page, live_server):
    """Chromium accepts a date input's value only as YYYY-MM-DD: the 15-day default shows."""
    from datetime import timedelta

    from django.utils import timezone

    page = new_page(viewport={"width": 360, "height": 740})
    page.goto(f"{live_server.url}/admin/login/")
    page.locator("input[name='username']").fill(DRAFTER)
    page.locator("input[name='password']").fill(PASSWORD)
    page.locator("form button[type='submit']").first.click()
    page.wait_for_url(f"{live_server.url}/admin/", timeout=WAIT)
    page.goto(f"{live_server.url}/admin/consult/opinions/sent/new/")
    due = (timezone.localdate() + timedelta(days=15)).isoformat()
    expect(page.locator("input[name='deadline']")).to_have_value(due)
