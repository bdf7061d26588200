"""A reader sees a draft's alternatives ("Phương án 1", "Phương án 2") as alternatives: each in
its own bordered box with its label, under what it rewords, with its own link and comment
link, on a phone as on a desktop."""

import re

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
TEXT = (
    "Điều 35. Quyền đơn phương chấm dứt hợp đồng lao động của người lao động\n"
    "Phương án 1: Giữ như hiện hành (có lý do + thời hạn báo trước)\n"
    "1. Người lao động làm việc theo hợp đồng lao động xác định thời hạn có quyền đơn phương "
    "chấm dứt hợp đồng trong những trường hợp sau đây:\na) Không được bố trí theo đúng công "
    "việc;\nb) Không được trả lương đầy đủ.\nPhương án 2: Người lao động có quyền chấm dứt "
    "bất kể thời điểm nào, chỉ cần báo trước\n1. Người lao động có quyền đơn phương chấm dứt "
    "hợp đồng lao động bất cứ thời điểm nào.\n"
    "Điều 148. Tuổi nghỉ hưu\n1.\nPhương án 1 (hiện hành): Nam đủ 60 tuổi, nữ đủ 55 tuổi.\n"
    "Phương án 2 (tăng tuổi nghỉ hưu kể từ 01/1/2021 và theo lộ trình): Nam đủ 62 tuổi, nữ "
    "đủ 60 tuổi.\n2. Người lao động bị suy giảm khả năng lao động có thể nghỉ hưu sớm hơn.\n"
)


@pytest.fixture
def alternatives_url(live_server, consultation) -> str:
    from drafts.importing import parse_text
    from drafts.models import Agency
    from tests import factories

    page = factories.draft_page(
        parent=factories.home_page(),
        agency=Agency.objects.get(code="BTNMT"),
        title="Dự thảo Bộ luật Lao động (sửa đổi)",
        body=parse_text(TEXT).body,
    )
    return f"{live_server.url}{page.url}"


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_alternatives_are_bordered_labelled_boxes_with_their_own_links(
    alternatives_url, new_page, screenshot_path, device
):
    page = new_page(
        **(PHONE if device == "phone" else {"viewport": {"width": 1280, "height": 900}})
    )
    page.goto(alternatives_url)
    boxes = page.locator(".provision--alternative")
    expect(boxes).to_have_count(4)
    second = page.locator("[id='dieu-35-pa-2']")
    expect(second.locator(":scope > .provision__alt-heading .provision__label")).to_have_text(
        "Phương án 2"
    )
    expect(second).to_have_css("border-left-style", "solid")
    # Its clause is inside its box; the next alternative of Điều 148 inside clause 1's.
    expect(second.locator("[id='dieu-35-pa-2-khoan-1']")).to_be_visible()
    clause = page.locator("[id='dieu-148-khoan-1']")
    expect(clause.locator(".provision--alternative")).to_have_count(2)
    expect(clause.locator("[id='dieu-148-khoan-1-pa-1']")).to_contain_text("(hiện hành)")
    link = page.locator("[id='dieu-148-khoan-1-pa-2'] > .provision__alt-heading > a.fb-link")
    expect(link).to_have_attribute("href", re.compile(r"/gop-y/dieu-148-khoan-1-pa-2/$"))
    # Nothing sticks out of a phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    second.scroll_into_view_if_needed()
    page.screenshot(path=screenshot_path(f"alternatives-{device}"), full_page=True)

    second.locator(":scope > .provision__alt-heading > a.permalink").click()
    page.wait_for_url(f"{alternatives_url}#dieu-35-pa-2")
    assert second.evaluate("el => el.matches(':target')")
