"""A clause's conversation opened in place on a phone comes into view (issue 12 review: on a
360 px screen, tapping "Góp ý" under a clause with many points opened the conversation a
screen and more below, out of sight, so the tap seemed to do nothing)."""

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
CLAUSE = "dieu-1-khoan-1"
DISCUSSED = "dieu-1-khoan-2"
POINT = (
    "Trường hợp người sử dụng lao động thay đổi cơ cấu, công nghệ hoặc vì lý do kinh tế mà "
    "ảnh hưởng đến việc làm của nhiều người lao động thì phải xây dựng phương án sử dụng lao động"
)


@pytest.fixture
def long_clause(consultation, live_server):
    """An open draft whose first clause has twelve long points, as real codes have, and
    whose second clause has a conversation of six long comments."""
    from consult.feedback.counters import provision_counts_refresh
    from drafts.models import Provision
    from tests import factories

    points = [(letter, POINT) for letter in "abcdeghiklmn"]
    clauses = [("1", "Các trường hợp sau:", points), ("2", "Trường hợp khác.", [])]
    body = [factories.article_block("1", "Phạm vi", clauses)]
    page = factories.draft_page(title="Dự thảo có khoản dài", body=body)
    second = Provision.objects.get(version__page=page, anchor=DISCUSSED)
    for n in range(6):
        factories.make_feedback(page, provision=second, text=f"Góp ý số {n + 1}. {POINT}.")
    provision_counts_refresh([second.pk])
    return f"{live_server.url}{page.url}"


@pytest.fixture
def browser(long_clause, browser):
    return browser


def test_a_conversation_opened_under_a_long_clause_comes_into_view(long_clause, new_page):
    page = new_page(**PHONE)
    page.goto(long_clause)
    page.locator(f"[id='{CLAUSE}'] > .provision__text > a.fb-link").tap()
    inline = page.locator(".thread-inline")
    expect(inline).to_be_visible()
    top = inline.evaluate("box => box.getBoundingClientRect().top")
    assert 0 <= top < 740, f"the conversation opened {top:.0f} px from the top of the screen"


def test_a_conversation_with_comments_opens_at_its_start(long_clause, new_page):
    """Tapping "6 góp ý" shows the conversation's heading and first comment, not its form
    far below (the focus on the heading; Tab leads on)."""
    page = new_page(**PHONE)
    page.goto(long_clause)
    page.locator(f"[id='{DISCUSSED}'] > .provision__text > a.fb-link").tap()
    heading = page.locator(".thread-inline h2#thread-heading")
    expect(heading).to_be_focused()
    top = heading.evaluate("h => h.getBoundingClientRect().top")
    assert 0 <= top < 200, f"the conversation's heading is {top:.0f} px from the top"
    first = page.locator(".thread-inline article.comment").first
    assert first.evaluate("c => c.getBoundingClientRect().top") < 740
