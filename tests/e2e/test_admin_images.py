"""Every image of the admin's main screens loads (issue 12: "avatar images broken in the
admin"): the account menu's avatar, the editors' avatars in listings and history, in a real
Chromium under the site's Content-Security-Policy, with and without an uploaded avatar."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

USERNAME, PASSWORD = "bientap.a", "mat-khau-bien-tap"
WAIT = 15_000

BROKEN_IMAGES = """
() => Array.from(document.images)
  .filter((img) => img.complete && img.getAttribute("src") && img.naturalWidth === 0)
  .map((img) => img.getAttribute("src"))
"""


@pytest.fixture
def site_data(consultation):
    from drafts.models import DraftPage
    from drafts.services import editor_group_ensure
    from tests import factories

    draft = DraftPage.objects.get(title=consultation.title)
    editor = factories.UserFactory(username=USERNAME, email="bientap@example.vn")
    editor.set_password(PASSWORD)
    editor.save()
    editor.groups.add(editor_group_ensure(home=draft.get_parent(), name="Biên tập viên"))
    draft.agency.staff.add(editor)
    draft.save_revision(user=editor)
    return {"draft_id": draft.pk, "home_id": draft.get_parent().pk}


@pytest.fixture
def browser(site_data, browser):
    return browser


def test_admin_screens_show_no_broken_image(new_page, live_server, site_data):
    page = new_page(viewport={"width": 1280, "height": 900})
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.on(
        "response",
        lambda response: (
            failed.append(f"{response.status} {response.url}")
            if response.request.resource_type == "image" and response.status >= 400
            else None
        ),
    )
    base = live_server.url
    page.goto(f"{base}/admin/login/")
    page.locator("input[name='username']").fill(USERNAME)
    page.locator("input[name='password']").fill(PASSWORD)
    page.locator("form button[type='submit']").first.click()
    page.wait_for_url(f"{base}/admin/", timeout=WAIT)
    screens = [
        "/admin/",
        f"/admin/pages/{site_data['home_id']}/",
        f"/admin/pages/{site_data['draft_id']}/edit/",
        f"/admin/pages/{site_data['draft_id']}/history/",
        "/admin/account/",
    ]
    images = 0
    for screen in screens:
        page.goto(f"{base}{screen}")
        page.wait_for_load_state("load")
        page.evaluate("() => Array.from(document.images).forEach((img) => img.loading = 'eager')")
        page.wait_for_function("() => Array.from(document.images).every((img) => img.complete)")
        images += page.evaluate("() => document.images.length")
        assert page.evaluate(BROKEN_IMAGES) == [], screen
    assert images, "the screens show no image at all: the test would pass on anything"
    assert not failed, failed
    # The account menu's avatar, in the sidebar, is an image that loaded.
    avatar = page.locator(".sidebar-footer img, .avatar img").first
    expect(avatar).to_be_attached()
    assert avatar.evaluate("(img) => img.naturalWidth") > 0
