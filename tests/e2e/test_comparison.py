"""A reader on a phone compares Dự thảo 1 with Dự thảo 2, without JavaScript, and the page
fits the screen."""

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
LONG_WORDING = (
    "Cơ quan nhà nước, tổ chức chính trị, tổ chức chính trị - xã hội và đơn vị sự nghiệp công "
    "lập theo quy định tại https://vbpl.vn/tw/Pages/vbpq-toanvan.aspx?ItemID=123456789012345."
)


@pytest.fixture
def compared(consultation):
    """Dự thảo 2 published before the browser starts (no ORM while it runs)."""
    from drafts.models import DraftPage
    from tests.drafts.test_versions_pages import article, publish_next_version, revise

    page = DraftPage.objects.get()  # the consultation's

    def change(body):
        revise(body)
        clause = article(body, "3")["value"]["clauses"][0]
        clause["value"]["text"] = LONG_WORDING

    publish_next_version(page, change)
    return f"{consultation.url}so-sanh/1-2/"


def test_the_comparison_fits_a_phone_without_javascript(
    compared, new_page, consultation, screenshot_path
):
    page = new_page(java_script_enabled=False, **PHONE)
    page.goto(compared)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dự thảo 1")
    expect(page.locator(".cmp-renumbered").first).to_contain_text("Điều 2 → Điều 3")
    expect(page.locator("ins").filter(has_text="tổ chức chính trị").first).to_be_visible()
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= 360, f"the page is {width}px wide on a 360px screen"
    page.screenshot(path=screenshot_path("comparison-360"), full_page=True)

    page.get_by_role("link", name="Xem toàn văn").click()
    expect(page.get_by_text("Phạm vi điều chỉnh")).to_be_visible()
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= 360, f"the whole text is {width}px wide on a 360px screen"

    page.goto(consultation.url)
    page.locator(".version-choose select[name=a]").select_option("2")
    page.locator(".version-choose select[name=b]").select_option("1")
    page.locator(".version-choose button").click()
    page.wait_for_url(compared)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 360
