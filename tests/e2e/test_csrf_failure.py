"""A comment sent after its security cookie went away (a cleared cookie, a sign-in in another
tab): the person gets the site's page saying why, and its button takes them back to the form
with what they typed."""

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TYPED = "Đề nghị làm rõ thời hạn báo trước khi chấm dứt hợp đồng."
PASSWORD = "Hop-dong-lao-dong-2024"


@pytest.fixture
def reader(consultation):
    from allauth.account.models import EmailAddress

    from tests import factories

    person = factories.UserFactory(username="thu", email="thu@example.vn")
    person.set_password(PASSWORD)
    person.save()
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    return person


@pytest.fixture
def browser(reader, browser):
    """The conftest's browser, started once the reader exists (see the conftest)."""
    return browser


def test_a_refused_form_goes_back_with_what_was_typed(
    consultation, live_server, new_page, screenshot_path
):
    page = new_page(viewport={"width": 360, "height": 740})
    page.goto(f"{live_server.url}/tai-khoan/login/")
    page.locator("input[name='login']").fill("thu@example.vn")
    page.locator("input[name='password']").fill(PASSWORD)
    page.locator("main form button[type='submit']").click()
    page.wait_for_url(lambda url: "/tai-khoan/login/" not in url)

    page.goto(f"{consultation.url}gop-y/dieu-2-khoan-2/")
    form = page.locator("#feedback-form form")
    form.locator("textarea[name='comment']").fill(TYPED)
    page.context.clear_cookies(name="csrftoken")  # as after a sign-in in another tab

    form.locator("button[type='submit']").last.click()
    expect(page.locator("h1")).to_have_text("Chưa gửi được biểu mẫu của bạn")
    page.screenshot(path=screenshot_path("csrf-failure-360"), full_page=True)

    page.get_by_role("link", name="Quay lại biểu mẫu").click()
    expect(page.locator("#feedback-form textarea[name='comment']")).to_have_value(TYPED)
