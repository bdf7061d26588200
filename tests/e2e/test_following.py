"""Following on a phone (issue 13): at 360 px a signed-in reader follows a draft from its
heading, finds it on the Following page from the account menu, and stops following it there;
nothing is wider than the screen."""

import pytest
from django.conf import settings
from django.test import Client

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}


def overflow(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


def test_a_reader_follows_and_unfollows_a_draft_on_a_phone(
    consultation, new_page, live_server, screenshot_path
):
    from consult.notifications.models import Follow
    from tests import factories

    page = new_page(**PHONE)
    page.goto(consultation.url)
    expect(page.get_by_role("link", name="Đăng nhập để theo dõi")).to_be_visible()

    reader = factories.UserFactory(username="mai", email="mai@example.vn")
    session = Client()
    session.force_login(reader)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page.goto(consultation.url)
    page.get_by_role("button", name="Theo dõi", exact=True).click()
    expect(page.get_by_role("button", name="Bỏ theo dõi")).to_be_visible()
    assert Follow.objects.filter(user=reader).count() == 1
    assert overflow(page) <= 0
    page.screenshot(path=screenshot_path("following-draft-360"))

    page.get_by_role("link", name="Đang theo dõi").click()
    expect(page.get_by_role("heading", name="Những gì bạn theo dõi")).to_be_visible()
    expect(page.get_by_role("link", name=consultation.title)).to_be_visible()
    assert overflow(page) <= 0
    page.screenshot(path=screenshot_path("following-page-360"), full_page=True)
    page.get_by_role("button", name="Bỏ theo dõi").click()
    expect(page.get_by_text("Bạn chưa theo dõi gì.")).to_be_visible()
    assert not Follow.objects.exists()


def test_the_agency_page_with_its_follow_button_fits_a_phone(
    consultation, new_page, live_server, screenshot_path
):
    """At 360 px the agency's "Đợt lấy ý kiến" table shows every cell, its dates included,
    inside its box: nothing is cut off at the box's edge or scrolls sideways."""
    from tests.e2e.test_journeys import OVERFLOW

    page = new_page(**PHONE)
    page.goto(consultation.url)
    page.locator(".draft-header__agency-link").click()
    expect(page.get_by_role("heading", name="Đợt lấy ý kiến")).to_be_visible()
    expect(page.get_by_role("link", name="Đăng nhập để theo dõi")).to_be_visible()
    found = page.evaluate(OVERFLOW, "main")
    assert found["offenders"] == [] and found["scrollWidth"] <= found["innerWidth"]
    cut = page.evaluate(
        """() => [...document.querySelectorAll('.consultations-table :is(time, a, .status)')]
          .filter((el) => {
            const box = el.closest('.table-scroll').getBoundingClientRect();
            const r = el.getBoundingClientRect();
            return r.left < box.left - 1 || r.right > box.right + 1;
          })
          .map((el) => el.textContent.trim())"""
    )
    assert cut == []
    page.screenshot(path=screenshot_path("agency-page-360"), full_page=True)
