"""A newcomer in a real browser: signs up, verifies the address from the e-mail, comments on a
clause with a proposed change, replies to another comment, endorses it, and sees the clause's
counts on the draft page change."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail

from tests.e2e.conftest import CLAUSE, OTHER_COMMENT, confirm_email_and_sign_in, signed_in

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [
    pytest.mark.e2e,
    # The flush after each live-server test would drop Wagtail's root page and locale, which
    # come from migrations: serialized rollback puts them back for the next test.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CLAUSE_TEXT = "Tổ chức, cá nhân:"  # its own text, without its points (tests/factories.py)
EMAIL = "minh@example.vn"
USERNAME = "minh"
DISPLAY_NAME = "Trần Minh"
PASSWORD = "Dat-dai-2024-song-hong"
MY_COMMENT = "Cần bổ sung người Việt Nam định cư ở nước ngoài."
MY_WORDING = "Tổ chức, cá nhân, người Việt Nam định cư ở nước ngoài:"
MY_REPLY = "Đồng ý, nhất là các tổ chức nước ngoài."
WAIT = 10_000  # ms, for every expectation on the page


@pytest.fixture
def browser(other_comment, browser):
    """The conftest's browser, started only once the data above exists: the ORM stays out of
    the window in which Playwright's event loop runs (see the conftest)."""
    return browser


def sign_up_and_verify(page, live_server_url: str) -> None:
    page.goto(f"{live_server_url}/tai-khoan/signup/")
    form = page.locator("form[action$='/tai-khoan/signup/']")
    form.locator("input[name='email']").fill(EMAIL)
    form.locator("input[name='first_name']").fill(DISPLAY_NAME)
    form.locator("input[name='username']").fill(USERNAME)
    form.locator("input[name='password1']").fill(PASSWORD)
    form.locator("input[name='password2']").fill(PASSWORD)
    form.locator("button[type='submit']").click()
    # Not signed in yet: the address must be verified first.
    page.wait_for_url(re.compile(r"/tai-khoan/confirm-email/$"), timeout=WAIT)
    expect(signed_in(page)).to_have_count(0, timeout=WAIT)

    confirm_email_and_sign_in(page, base=live_server_url, address=EMAIL, password=PASSWORD)
    # One e-mail was written, the verification, to the address signed up with.
    assert len(mail.outbox) == 1, [message.subject for message in mail.outbox]
    assert mail.outbox[0].to == [EMAIL]


def clause_link(page):
    return page.locator(f"[id='{CLAUSE}'] > .provision__text > a.fb-link")


def diff_reading(diff, *, leave_out: str) -> str:
    """The text of a wording diff with its `ins` or `del` segments left out."""
    return diff.locator("p.wording-diff__text").evaluate(
        """(p, tag) => {
            const copy = p.cloneNode(true);
            copy.querySelectorAll(tag + ", .vh").forEach(el => el.remove());
            return copy.textContent.trim();
        }""",
        leave_out,
    )


def count_in(text: str) -> int:
    match = re.search(r"\d+", text)
    assert match, f"no count in {text!r}"
    return int(match.group())


def test_newcomer_signs_up_comments_replies_endorses_and_sees_counts_change(
    other_comment, new_page, live_server, consultation, screenshot_path
):
    page = new_page(viewport={"width": 1280, "height": 900})
    sign_up_and_verify(page, live_server.url)

    # The clause on the draft page: one comment so far, by someone else. Its link leads to the
    # conversation's page; with scripts on, the conversation opens in place under the clause.
    page.goto(consultation.url)
    thread_url = f"{consultation.url}gop-y/{CLAUSE}/"
    link = clause_link(page)
    expect(link).to_have_class(re.compile(r"\bhas-feedback\b"), timeout=WAIT)
    expect(link).to_have_attribute("href", urlsplit(thread_url).path)
    assert count_in(link.inner_text()) == 1
    link.click()
    inline = page.locator(f"[id='{CLAUSE}'] > .thread-inline")
    expect(inline).to_be_visible(timeout=WAIT)
    expect(link).to_have_attribute("aria-expanded", "true")
    assert page.url == consultation.url, "the link left the draft page"
    expect(inline.locator("article.comment")).to_have_count(1)
    expect(inline.locator(f"article#c{other_comment.pk}")).to_contain_text(OTHER_COMMENT)

    # A comment proposing a change of wording, written in the conversation opened in place;
    # sending it leads to the conversation's page.
    form = inline.locator("#feedback-form form")
    form.locator("input[name='stance'][value='change']").check()
    form.locator("textarea[name='comment']").fill(MY_COMMENT)
    form.locator("textarea[name='proposed_wording']").fill(MY_WORDING)
    page.locator(f"[id='{CLAUSE}']").screenshot(
        path=screenshot_path("feedback-inline-form"), animations="disabled"
    )
    form.locator("button[type='submit']").click()
    page.wait_for_url(re.compile(re.escape(thread_url) + r"#c\d+$"), timeout=WAIT)
    theirs = page.locator(f"article#c{other_comment.pk}")
    expect(theirs).to_contain_text(OTHER_COMMENT, timeout=WAIT)
    mine = page.locator("article.comment", has_text=MY_COMMENT)
    expect(mine).to_have_count(1, timeout=WAIT)
    expect(mine).to_have_class(re.compile(r"\bcomment--level-0\b"))
    expect(mine.locator(".stance--change")).to_be_visible()
    expect(mine.locator(".pending")).to_have_count(0)
    diff = mine.locator("figure.wording-diff")
    expect(diff).to_be_visible()
    expect(diff.locator("ins", has_text="người Việt Nam định cư ở nước ngoài")).to_be_visible()
    # Without its deletions the diff reads as the proposal; without its insertions, as the clause.
    assert diff_reading(diff, leave_out="del") == MY_WORDING
    assert diff_reading(diff, leave_out="ins") == CLAUSE_TEXT
    # Not one's own comment to endorse.
    expect(mine.locator("form[action$='/tan-thanh/']")).to_have_count(0)

    # A reply to the other person's comment, shown under it, one level in.
    theirs.locator("a.reply-link").click()
    page.wait_for_url(re.compile(rf"\?reply={other_comment.pk}#feedback-form$"), timeout=WAIT)
    form = page.locator("#feedback-form form")
    expect(form.locator("input[name='reply_to']")).to_have_value(str(other_comment.pk))
    expect(form.locator("textarea[name='proposed_wording']")).to_have_count(0)
    form.locator("textarea[name='comment']").fill(MY_REPLY)
    form.locator("button[type='submit']").click()
    page.wait_for_url(re.compile(re.escape(thread_url) + r"#c\d+$"), timeout=WAIT)
    reply = page.locator("article.comment", has_text=MY_REPLY)
    expect(reply).to_have_count(1, timeout=WAIT)
    expect(reply).to_have_class(re.compile(r"\bcomment--level-1\b"))
    # In thread order: their comment, then the reply to it; mine starts its own thread.
    ids = page.locator("article.comment").evaluate_all("els => els.map(el => el.id)")
    assert ids[:2] == [f"c{other_comment.pk}", reply.get_attribute("id")], ids
    assert len(ids) == 3, ids
    reply_indent = reply.bounding_box()["x"]
    assert reply_indent > theirs.bounding_box()["x"], "the reply is not indented"

    # Endorsing the other person's comment.
    endorsements = theirs.locator(".endorsements")
    expect(endorsements).to_have_attribute("data-endorsements", "0")
    assert count_in(endorsements.inner_text()) == 0
    theirs.locator("form[action$='/tan-thanh/'] button").click()
    page.wait_for_url(re.compile(re.escape(thread_url) + rf"#c{other_comment.pk}$"), timeout=WAIT)
    expect(endorsements).to_have_attribute("data-endorsements", "1", timeout=WAIT)
    assert count_in(endorsements.inner_text()) == 1
    expect(theirs.locator("form[action$='/tan-thanh/']")).to_have_count(0)
    page.screenshot(path=screenshot_path("feedback-conversation"), full_page=True)

    # The draft page: two comments on the clause now (the reply is not a separate comment),
    # split between agreeing and proposing a change.
    page.goto(f"{consultation.url}#{CLAUSE}")
    link = clause_link(page)
    expect(link).to_have_class(re.compile(r"\bhas-feedback\b"), timeout=WAIT)
    assert count_in(link.inner_text()) == 2
    split = page.locator(f"[id='{CLAUSE}'] > .provision__text > .split")
    expect(split).to_be_visible()
    # Named for screen readers in the order agree, disagree, change, question.
    expect(split).to_have_attribute("aria-label", re.compile(r"\D1\D+0\D+1\D+0$"))
    # Each stance's share of the bar; a stance nobody took has no segment.
    for stance, width in (("agree", "50.00%"), ("change", "50.00%")):
        expect(split.locator(f".split__{stance}")).to_have_attribute("width", width)
    for stance in ("disagree", "question"):
        expect(split.locator(f".split__{stance}")).to_have_count(0)
    page.locator(f"[id='{CLAUSE}']").screenshot(
        path=screenshot_path("feedback-clause-counts"), animations="disabled"
    )
