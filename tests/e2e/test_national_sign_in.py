"""National sign-in in a real browser on a 360 px phone, against a real OpenID Connect
provider started on 127.0.0.1 (panva's oidc-provider, tests/oidc.py): a person signs in with
it from a consultation that requires a verified identity (level 2, as the 2025 Constitution
consultation did), comments, and sees the "đã xác thực" badge; a sign-in cancelled at the
provider and a stale callback each say so in Vietnamese and offer a way back."""

import re

import pytest

from tests.e2e.conftest import CLAUSE, signed_in
from tests.oidc import CALLBACK_PATH, running_provider, use_provider

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
BUTTON = "Đăng nhập bằng VNeID"
MY_COMMENT = "Tôi đồng ý với quy định về đối tượng áp dụng."
WAIT = 10_000


@pytest.fixture
def oidc(live_server, settings):
    with running_provider([f"{live_server.url}{CALLBACK_PATH}"]) as running:
        use_provider(settings, running.issuer)
        yield running


@pytest.fixture
def thread_url(consultation, oidc):
    """The clause's conversation on a consultation that requires level 2 (set before the
    browser starts: the ORM stays out of Playwright's window, see the conftest)."""
    from drafts.models import DraftPage
    from econsult.identity.models import Assurance

    DraftPage.objects.filter(title=consultation.title).update(required_assurance=Assurance.LEVEL_2)
    return f"{consultation.url}gop-y/{CLAUSE}/"


def start_sign_in(page, thread_url, screenshot=None):
    page.goto(thread_url)
    section = page.locator("section.feedback-form")
    expect(section).to_contain_text("chỉ nhận góp ý của người đã được xác thực danh tính")
    expect(section.locator("textarea[name='comment']")).to_have_count(0)
    if screenshot:
        section.screenshot(path=screenshot, animations="disabled")
    section.get_by_role("button", name=BUTTON).click()
    expect(page.get_by_role("heading", name=re.compile("Đăng nhập VNeID"))).to_be_visible(
        timeout=WAIT
    )


def test_sign_in_comment_and_see_the_badge(thread_url, new_page, screenshot_path):
    page = new_page(**PHONE)
    start_sign_in(page, thread_url, screenshot_path("national-sign-in-required"))
    page.get_by_label("Số định danh").fill("079203000123")
    page.get_by_label("Họ và tên").fill("Phạm Thu Hà")
    page.get_by_role("button", name="Đăng nhập", exact=True).click()

    # Back on the conversation, signed in, with the form in place of the explanation.
    page.wait_for_url(thread_url, timeout=WAIT)
    expect(signed_in(page)).to_have_count(1)
    form = page.locator("#feedback-form form")
    form.locator("input[name='stance'][value='agree']").check()
    form.locator("textarea[name='comment']").fill(MY_COMMENT)
    form.locator("button[type='submit']").click()
    page.wait_for_url(re.compile(re.escape(thread_url) + r"#c\d+$"), timeout=WAIT)

    mine = page.locator("article.comment", has_text=MY_COMMENT)
    expect(mine).to_have_count(1, timeout=WAIT)
    expect(mine.locator(".comment__author")).to_have_text("Phạm Thu Hà")
    badge = mine.locator(".badge-verified")
    expect(badge).to_be_visible()
    expect(badge).to_contain_text("đã xác thực")
    expect(badge).to_contain_text("mức 2")  # the accessible label, read by screen readers
    mine.screenshot(path=screenshot_path("national-sign-in-badge"), animations="disabled")
    # Nothing wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_cancelling_at_the_provider_explains_and_leads_back(thread_url, new_page, screenshot_path):
    page = new_page(**PHONE)
    start_sign_in(page, thread_url)
    page.get_by_role("button", name="Huỷ").click()
    expect(page.get_by_role("heading", name="Đã huỷ đăng nhập")).to_be_visible(timeout=WAIT)
    expect(page.locator("main")).to_contain_text("Bạn chưa đăng nhập")
    expect(signed_in(page)).to_have_count(0)
    page.screenshot(path=screenshot_path("national-sign-in-cancelled"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("link", name="Quay lại trang bạn đang xem").click()
    page.wait_for_url(thread_url, timeout=WAIT)
    expect(page.locator("section.feedback-form").get_by_role("button", name=BUTTON)).to_be_visible()


def test_a_stale_or_replayed_callback_explains_and_leads_back(
    live_server, thread_url, new_page, screenshot_path
):
    page = new_page(**PHONE)
    start_sign_in(page, thread_url)
    page.get_by_label("Số định danh").fill("079203000456")
    with page.expect_request(lambda request: CALLBACK_PATH in request.url) as callback:
        page.get_by_role("button", name="Đăng nhập", exact=True).click()
    page.wait_for_url(thread_url, timeout=WAIT)
    used = callback.value.url

    # The same answer of the provider again, in another browser (its state is spent), and an
    # answer carrying a state this site never issued.
    for url in (used, f"{live_server.url}{CALLBACK_PATH}?code=abc&state=cu-da-het-han"):
        other = new_page(**PHONE)
        other.goto(url)
        expect(other.get_by_role("heading", name="Đăng nhập không thành công")).to_be_visible()
        expect(other.locator("main")).to_contain_text("đã hết hạn hoặc đã được dùng")
        expect(signed_in(other)).to_have_count(0)
        other.get_by_role("link", name="Đăng nhập bằng địa chỉ thư điện tử").click()
        other.wait_for_url(re.compile(r"/tai-khoan/login/"), timeout=WAIT)
        expect(other.get_by_role("button", name=BUTTON)).to_be_visible()
    other.screenshot(path=screenshot_path("national-sign-in-login-page"), full_page=True)


def test_the_national_sign_in_pages_have_no_axe_violations(live_server, thread_url, new_page):
    from tests.e2e import axe

    if not axe.axe_installed():
        pytest.fail("axe-core is not installed: run `npm ci --prefix tests/e2e` (make test does)")
    # The site's CSP allows no inline script: axe is injected past it, in this context only.
    page = new_page(bypass_csp=True, **PHONE)
    problems = []

    def audit(name: str) -> None:
        for violation in axe.violations(page):
            problems.append(f"{name} ({page.url}): {violation.describe()}")
        for problem in axe.broken_references(page):
            problems.append(f"{name} ({page.url}): {problem}")

    start_sign_in(page, thread_url)
    page.go_back()
    page.wait_for_url(thread_url, timeout=WAIT)
    audit("a consultation requiring a verified identity")
    page.goto(f"{live_server.url}/tai-khoan/login/")
    audit("the sign-in page with the provider's button")
    page.goto(f"{live_server.url}/tai-khoan/oidc/vneid/login/")
    audit("allauth's confirmation before leaving for the provider")
    page.goto(f"{live_server.url}/tai-khoan/3rdparty/login/cancelled/")
    audit("the cancelled sign-in")
    page.goto(f"{live_server.url}{CALLBACK_PATH}?code=abc&state=cu")
    audit("the stale callback")
    start_sign_in(page, thread_url)
    page.get_by_label("Số định danh").fill("079203000789")
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    page.wait_for_url(thread_url, timeout=WAIT)
    form = page.locator("#feedback-form form")
    form.locator("input[name='stance'][value='agree']").check()
    form.locator("textarea[name='comment']").fill(MY_COMMENT)
    form.locator("button[type='submit']").click()
    page.wait_for_url(re.compile(re.escape(thread_url) + r"#c\d+$"), timeout=WAIT)
    expect(page.locator(".badge-verified")).to_have_count(1)
    audit("a conversation with a verified comment")
    assert not problems, "axe violations:\n" + "\n".join(problems)
