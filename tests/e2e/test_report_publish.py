"""A clerk publishes the synthesis report in a real browser, at 1280 px and on a phone
(issue 12, item 3): the link sits at the top of the inbox, the publish screen shows the
figures and warns that the consultation is open and comments are unanswered, a click
without the confirmation publishes nothing, and with it the report is published."""

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

USERNAME = "bientap.baocao"
PASSWORD = "Bien-tap-bao-cao-2024"
WAIT = 10_000
SIZES = {
    "1280": {"viewport": {"width": 1280, "height": 900}},
    "360": {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True},
}


@pytest.fixture
def draft_id(consultation):
    """Five comments on the consultation, still open, none answered; a Vietnamese-speaking
    editor of the drafting agency."""
    from wagtail.users.models import UserProfile

    from drafts.models import DraftPage
    from tests import factories

    draft = DraftPage.objects.get(title=consultation.title)
    editor = factories.agency_staff(draft.agency, USERNAME)
    editor.set_password(PASSWORD)
    editor.save()
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "vi"
    profile.save()
    for n in range(5):
        factories.make_feedback(draft, text=f"Góp ý số {n}")
    return draft.pk


@pytest.fixture
def browser(draft_id, browser):
    """Started once the data above exists (see the conftest on the ORM and Playwright)."""
    return browser


@pytest.mark.parametrize("size", SIZES)
def test_clerk_publishes_the_report_from_its_own_screen_after_confirming(
    draft_id, new_page, live_server, screenshot_path, size
):
    admin = new_page(**SIZES[size])
    admin.goto(f"{live_server.url}/admin/login/")
    admin.locator("input[name='username']").fill(USERNAME)
    admin.locator("input[name='password']").fill(PASSWORD)
    admin.locator("form button[type='submit']").first.click()
    admin.wait_for_url(f"{live_server.url}/admin/", timeout=WAIT)

    inbox_url = f"{live_server.url}/admin/consult/answers/{draft_id}/"
    admin.goto(inbox_url)
    link = admin.get_by_role("link", name="Công bố báo cáo tổng hợp")
    expect(link).to_be_in_viewport()  # at the top, not 9,200 px down
    expect(admin.locator("textarea[name='introduction']")).to_have_count(0)
    link.click()
    admin.wait_for_url(f"{inbox_url}report/", timeout=WAIT)

    expect(admin.locator("[data-figure='comments']")).to_have_text("5")
    expect(admin.locator("[data-figure='unanswered']")).to_have_text("5")
    expect(admin.locator("[data-warning='open']")).to_be_visible()
    expect(admin.locator("[data-warning='unanswered']")).to_be_visible()
    admin.screenshot(path=screenshot_path(f"report-publish-{size}"), full_page=True)

    submit = admin.get_by_role("button", name="Công bố báo cáo tổng hợp")
    with admin.expect_response(lambda r: r.request.method == "POST") as refused:
        submit.click()
    assert refused.value.status == 400
    expect(admin.locator("[data-form-errors]")).to_contain_text("đánh dấu ô xác nhận")
    expect(admin.locator("[data-form-errors]")).to_be_focused()  # in view, announced
    admin.screenshot(path=screenshot_path(f"report-publish-refused-{size}"), full_page=True)

    admin.get_by_label("Tôi đã xem các số liệu trên").check()
    admin.get_by_role("button", name="Công bố báo cáo tổng hợp").click()
    admin.wait_for_url(inbox_url, timeout=WAIT)
    expect(admin.locator("[data-report-published]")).to_be_visible()
    expect(admin.get_by_role("link", name="Công bố báo cáo tổng hợp")).to_have_count(0)
