"""A signed-in citizen without a mouse: from the home page to the draft, opens a clause's
conversation, posts a comment with a stance, endorses someone else's comment and replies to it
-- with Tab, Shift+Tab, Enter, Space and typing only, and a visible focus at every step.

Every move goes through `step()`, which presses one key and checks that the focused element
shows a focus indicator (an outline or a box shadow at least 2 px wide, not `none`).
"""

import re

import pytest

from tests.e2e.conftest import CLAUSE
from tests.e2e.test_axe import session_cookie

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MY_COMMENT = "Cần bổ sung người Việt Nam định cư ở nước ngoài."
MY_REPLY = "Đồng ý, nhất là các tổ chức nước ngoài."
WIDTHS = {
    "360": {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True},
    "1280": {"viewport": {"width": 1280, "height": 900}},
}
MAX_STEPS = 400  # Tab presses to reach one control; the sample draft needs far fewer
WAIT = 10_000

FOCUS = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return {ok: false, what: "nothing (body)"};
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
    const shadow = style.boxShadow !== "none"
        && (style.boxShadow.match(/(-?[\\d.]+)px/g) || []).some(v => Math.abs(parseFloat(v)) >= 2);
    const what = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
        + (typeof el.className === "string" && el.className
            ? "." + el.className.trim().replace(/\\s+/g, ".") : "")
        + " " + (el.getAttribute("name") || (el.textContent || "").trim().slice(0, 40));
    return {ok: outline || shadow, what,
            outline: `${style.outlineStyle} ${style.outlineWidth}`, shadow: style.boxShadow};
}"""


@pytest.fixture
def people(other_comment, live_server):
    """Someone else's published comment on the clause (the conftest's); the citizen's
    session cookie."""
    from tests import factories

    citizen = factories.UserFactory(username="minh")
    return {"other": other_comment.pk, "cookie": session_cookie(live_server.url, citizen)}


@pytest.fixture
def browser(people, browser):
    """Started once the data above exists (see the conftest on the ORM and Playwright)."""
    return browser


def step(page, key: str) -> str:
    """Press `key`; fail unless the element it leaves focused shows a visible focus."""
    page.keyboard.press(key)
    focus = page.evaluate(FOCUS)
    assert focus["ok"], (
        f"after {key}, no visible focus on {focus['what']} "
        f"(outline {focus.get('outline')}, box-shadow {focus.get('shadow')})"
    )
    return focus["what"]


def tab_to(page, selector: str, *, key: str = "Tab", limit: int = MAX_STEPS) -> list[str]:
    """Press Tab (or Shift+Tab) until the focused element matches `selector`; fail when
    `limit` presses do not get there. Returns the elements passed, in order."""
    seen = []
    for _ in range(limit):
        seen.append(step(page, key))
        if focused_matches(page, selector):
            return seen
    pytest.fail(f"{selector} not reached with {key}; focus went: {seen[:40]} …")


def focused_matches(page, selector: str) -> bool:
    return page.evaluate("(s) => document.activeElement.matches(s)", selector)


@pytest.mark.parametrize("width", WIDTHS)
def test_citizen_comments_endorses_and_replies_with_the_keyboard_only(
    width, people, new_page, live_server, consultation, screenshot_path
):
    page = new_page(**WIDTHS[width])
    page.context.add_cookies([people["cookie"]])
    thread_url = f"{consultation.url}gop-y/{CLAUSE}/"
    draft_path = consultation.url.removeprefix(live_server.url)

    # The home page: the skip link comes first, then the way to the consultation.
    page.goto(f"{live_server.url}/")
    step(page, "Tab")
    assert focused_matches(page, "a.skip-link"), "the skip link is not the first stop"
    tab_to(page, f"main a[href='{draft_path}']")
    page.keyboard.press("Enter")
    page.wait_for_url(consultation.url, timeout=WAIT)

    # The skip link jumps past the header: the next stop is in the main content.
    step(page, "Tab")
    assert focused_matches(page, "a.skip-link"), "no skip link first on the draft page"
    page.keyboard.press("Enter")
    step(page, "Tab")
    assert focused_matches(page, "main *"), "the skip link does not lead into the content"

    # The clause's conversation opens in place at its start (it has a comment): focus lands on
    # its heading, and Tab leads through the comment to the comment field.
    tab_to(page, f"[id='{CLAUSE}'] > .provision__text > a.fb-link")
    page.keyboard.press("Enter")
    inline = page.locator(f"[id='{CLAUSE}'] > .thread-inline")
    expect(inline.locator("h2#thread-heading")).to_be_focused(timeout=WAIT)
    assert page.evaluate(FOCUS)["ok"], "no visible focus on the conversation's heading"
    tab_to(page, ".thread-inline textarea[name='comment']")

    # The comment typed where the focus landed, then a stance chosen with Space on its radio.
    page.keyboard.type(MY_COMMENT)
    stance = "input[name='stance']"
    tab_to(page, stance, limit=20)
    step(page, "Space")
    expect(inline.locator(f"{stance}:checked")).to_have_count(1)
    tab_to(page, ".thread-inline #feedback-form button[type='submit']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(thread_url) + r"#c\d+$"), timeout=WAIT)
    expect(page.locator("article.comment", has_text=MY_COMMENT)).to_have_count(1, timeout=WAIT)

    # Endorsing the other person's comment, just above one's own (where the page opened).
    theirs = f"article#c{people['other']}"
    tab_to(page, f"{theirs} form[action$='/tan-thanh/'] button", key="Shift+Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(thread_url) + rf"#c{people['other']}$"), timeout=WAIT)
    expect(page.locator(f"{theirs} .endorsements")).to_have_attribute(
        "data-endorsements", "1", timeout=WAIT
    )

    # Replying to it.
    tab_to(page, f"{theirs} a.reply-link")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"\?reply={people['other']}#feedback-form$"), timeout=WAIT)
    tab_to(page, "#feedback-form textarea[name='comment']")
    page.keyboard.type(MY_REPLY)
    tab_to(page, "#feedback-form button[type='submit']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(thread_url) + r"#c\d+$"), timeout=WAIT)
    reply = page.locator("article.comment", has_text=MY_REPLY)
    expect(reply).to_have_count(1, timeout=WAIT)
    expect(reply).to_have_class(re.compile(r"\bcomment--level-1\b"))
    page.screenshot(path=screenshot_path(f"keyboard-only-reply-{width}"), full_page=True)
