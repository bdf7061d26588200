"""The Wagtail editor of a 700-article draft in Chromium (issue 11, point 5): it opens as the
outline of the text, "Save draft" and "Publish" work, and an article edited through its part
reaches the public page."""

import re

import pytest

from tests.drafts.test_editor_parts import long_body

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

USERNAME = "bientap.bldds"
PASSWORD = "Bien-tap-2026-an-toan"
WAIT = 60_000
EDITED = "Cá nhân có quyền tự do giao kết hợp đồng, đã sửa theo góp ý."


@pytest.fixture
def code(consultation):
    """A published 700-article draft of the consultation's agency, and its agency editor."""
    from allauth.account.models import EmailAddress

    from drafts.models import Agency
    from drafts.services import editor_group_ensure
    from tests import factories

    agency = Agency.objects.get(code="BTNMT")
    home = factories.home_page()
    editor = factories.UserFactory(username=USERNAME, email="bientap.bldds@example.vn")
    editor.set_password(PASSWORD)
    editor.save()
    EmailAddress.objects.create(user=editor, email=editor.email, verified=True, primary=True)
    editor.groups.add(editor_group_ensure(home=home, name="Biên tập viên"))
    agency.staff.add(editor)
    page = factories.draft_page(
        parent=home, agency=agency, title="Dự thảo Bộ luật Dân sự", body=long_body()
    )
    return {"pk": page.pk, "url": page.url}


@pytest.fixture
def browser(code, browser):
    """The conftest's browser, started once the data above exists (see the conftest)."""
    return browser


def test_editor_of_a_700_article_draft_saves_publishes_and_edits_a_part(
    code, new_page, live_server, screenshot_path
):
    page = new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(WAIT)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    base = live_server.url
    edit_url = f"{base}/admin/pages/{code['pk']}/edit/"

    page.goto(f"{base}/admin/login/")
    page.locator("input[name='username']").fill(USERNAME)
    page.locator("input[name='password']").fill(PASSWORD)
    page.locator("form button[type='submit']").first.click()
    page.wait_for_url(f"{base}/admin/")

    page.goto(edit_url)
    outline = page.locator("[data-draft-text-outline]")
    expect(outline).to_be_visible()
    expect(outline.locator("[data-text-part]")).to_have_count(1 + 14 * 3)
    assert page.locator("input[name='body-count']").count() == 0
    outline.scroll_into_view_if_needed()
    page.screenshot(path=screenshot_path("editor-outline"), full_page=False)

    # Save draft: back on the editor with Wagtail's confirmation.
    page.locator("button.action-save").first.click()
    page.wait_for_url(edit_url)
    expect(page.locator(".messages .success")).to_be_visible()
    expect(page.locator("[data-draft-text-outline]")).to_be_visible()

    # Publish (in the action menu's dropdown).
    page.locator("[data-w-dropdown-target='toggle']", has=page.locator("svg")).last.click()
    page.locator("button[name='action-publish']").click()
    page.wait_for_load_state("load")
    expect(page.locator(".messages .success")).to_be_visible()

    # Điều 2 is in the first run of Chương 1: edit its first clause there and publish.
    page.goto(edit_url)
    page.locator("[data-text-part='chuong-1'] [data-edit-part]").click()
    page.wait_for_url(re.compile(r"/admin/drafts/\d+/text/chuong-1/$"))
    clause = page.locator("textarea[name='body-2-value-clauses-0-value-text']")
    clause.wait_for(state="attached")
    if not clause.is_visible():  # the clause's panel is collapsed (ClauseBlock list): open it
        collapsed = clause.evaluate("el => el.closest('[hidden]').id")
        page.locator(f"button[aria-controls='{collapsed}']").click()
    expect(clause).to_have_value("Khoản một của điều 2.")
    clause.fill(EDITED)
    page.screenshot(path=screenshot_path("editor-part"), full_page=False)
    page.locator("button[name='action-publish']").click()
    page.wait_for_url(edit_url)
    expect(page.locator(".messages .success")).to_contain_text("Chương 1")

    page.goto(f"{base}{code['url']}#dieu-2")
    expect(page.locator("#dieu-2-khoan-1")).to_contain_text(EDITED)
    assert not errors, "\n".join(errors)
