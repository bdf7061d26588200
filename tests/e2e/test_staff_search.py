"""An agency editor searches the agency's feedback and exports the synthesis report in the
Wagtail admin, in a real browser: the search box and the filter menu refresh the results in
place, a campaign leads to the inbox, and an internal export is asked for and listed."""

import re

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CAMPAIGN = "Chúng tôi phản đối việc thu hồi đất để làm dự án thương mại tại địa phương"
AGREE = "Đồng ý với quy định về giá đất tại dự thảo"
USERNAME = "bientap"
PASSWORD = "Bien-tap-vien-2024"
WAIT = 10_000


@pytest.fixture
def comments(consultation):
    """A campaign of three identical comments, one agreeing comment, all indexed; and an
    editor of the drafting agency who may use the admin."""
    from django.core.management import call_command

    from drafts.models import DraftPage
    from tests import factories

    draft = DraftPage.objects.get(title=consultation.title)
    editor = factories.agency_staff(draft.agency, USERNAME)
    editor.set_password(PASSWORD)
    editor.save()
    for _ in range(3):
        factories.make_feedback(draft, text=CAMPAIGN, stance="disagree")
    factories.make_feedback(draft, text=AGREE, stance="agree")
    call_command("search_reindex", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return draft


@pytest.fixture
def browser(comments, browser):
    """Started once the data above exists (see the conftest on the ORM and Playwright)."""
    return browser


def test_editor_searches_filters_and_exports_in_the_admin(
    comments, new_page, live_server, screenshot_path
):
    admin = new_page(viewport={"width": 1280, "height": 900})
    admin.goto(f"{live_server.url}/admin/login/")
    admin.locator("input[name='username']").fill(USERNAME)
    admin.locator("input[name='password']").fill(PASSWORD)
    admin.locator("form button[type='submit']").first.click()
    admin.wait_for_url(f"{live_server.url}/admin/", timeout=WAIT)

    # The search sits in the Consultation menu ("Lấy ý kiến"), which opens first.
    admin.get_by_role("button", name=re.compile("Lấy ý kiến|Consultation")).click()
    admin.locator("a[href='/admin/search/feedback/']").first.click()
    hits = admin.locator("table[data-search-results] tbody tr")
    expect(hits).to_have_count(4, timeout=WAIT)
    admin.locator("input[name='q']").fill("thu hồi đất")
    expect(hits).to_have_count(3, timeout=WAIT)
    admin.locator("input[name='q']").fill("")
    expect(hits).to_have_count(4, timeout=WAIT)

    admin.get_by_role("button", name="Hiện bộ lọc").click()  # Wagtail's "Show filters"
    admin.locator("button[aria-controls='drilldown-id_stance']").click()
    stance = admin.locator("select[name='stance']")
    expect(stance.locator("option[value='agree']")).to_have_attribute("data-count", "1")
    stance.select_option("agree")
    expect(hits).to_have_count(1, timeout=WAIT)
    expect(hits.first).to_contain_text(AGREE)
    expect(admin.locator(".w-active-filters")).to_be_visible()
    admin.screenshot(path=screenshot_path("staff-search"), full_page=True)

    admin.goto(f"{live_server.url}/admin/search/feedback/?draft={comments.pk}")
    admin.locator("a[data-clusters-link]").click()
    cluster = admin.locator("tr[data-cluster]")
    expect(cluster).to_have_count(1, timeout=WAIT)
    expect(cluster).to_have_attribute("data-size", "3")

    admin.goto(f"{live_server.url}/admin/consult/report-exports/")
    admin.locator("a[href='/admin/consult/report-exports/new/']").first.click()
    admin.locator("select[name='draft']").select_option(str(comments.pk))
    admin.locator("select[name='format']").select_option("csv")
    admin.locator("form#w-editor-form button[type='submit']").click()
    admin.wait_for_url(f"{live_server.url}/admin/consult/report-exports/", timeout=WAIT)
    row = admin.locator("table.listing tbody tr")
    expect(row).to_have_count(1, timeout=WAIT)
    expect(row.locator("a[data-export-download]")).to_have_count(1)
    admin.screenshot(path=screenshot_path("report-exports"), full_page=True)
