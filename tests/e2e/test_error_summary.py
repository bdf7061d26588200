"""A refused comment on a phone (issue 12): at 360 px, the inline comment form sent with a bad
e-mail address comes back with the error summary at the top of the screen, focused, linking to
the e-mail field, and the comment typed is still there."""

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CLAUSE = "dieu-2-khoan-2"
COMMENT = "Nên quy định rõ thời hạn trả lời của cơ quan nhà nước."
WAIT = 10_000  # ms


@pytest.fixture
def anonymous_allowed(consultation):
    from drafts.models import DraftPage

    draft = DraftPage.objects.get(title=consultation.title)
    draft.allow_anonymous = True
    draft.save_revision().publish()
    return consultation


@pytest.fixture
def browser(anonymous_allowed, browser):
    """The conftest's browser, started once the data exists (see the conftest)."""
    return browser


def test_a_bad_email_on_a_phone_brings_the_focused_summary_into_view(
    new_page, anonymous_allowed, screenshot_path
):
    page = new_page(viewport={"width": 360, "height": 740})
    page.goto(f"{anonymous_allowed.url}gop-y/{CLAUSE}/")
    form = page.locator("#feedback-form form")
    form.locator("textarea[name='comment']").fill(COMMENT)
    form.locator("input[name='name']").fill("Lan")
    form.locator("input[name='email']").fill("lan-khong-co-a-cong")
    form.locator("button[type='submit']").click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible(timeout=WAIT)
    expect(summary).to_be_focused(timeout=WAIT)
    expect(summary).to_be_in_viewport(timeout=WAIT)
    box = summary.bounding_box()
    assert box is not None and 0 <= box["y"] < 740 / 3, box  # at the top of the screen
    expect(summary.get_by_role("heading")).to_have_text("Có lỗi cần sửa")
    assert page.title().startswith("Lỗi: ")
    page.screenshot(path=screenshot_path("error-summary-360"))

    link = summary.locator("a[href='#id_email']")
    expect(link).to_have_count(1)
    expect(page.locator("textarea[name='comment']")).to_have_value(COMMENT)

    link.click()
    expect(page.locator("#id_email")).to_be_focused(timeout=WAIT)
    expect(page.locator("#id_email")).to_be_in_viewport(timeout=WAIT)
