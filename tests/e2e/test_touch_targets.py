"""On a 360 px phone every control in the main content of the draft page, the conversation page
and the sign-up page is at least 24 x 24 CSS px (WCAG 2.2, 2.5.8 Target Size (Minimum)).

Links inside running text are the exception WCAG makes (their size is set by the line of text);
they are skipped. Hidden controls (not rendered) are skipped too.
"""

import pytest

from tests.e2e.test_axe import session_cookie

pytest.importorskip("playwright.sync_api")

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CLAUSE = "dieu-2-khoan-2"
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
MINIMUM = 24

MEASURE = """(minimum) => {
    const selector = "a[href], button, input:not([type=hidden]), select, textarea, summary, "
        + "[role=button]";
    // The controls of a provision (its link and its conversation's) are not running text.
    const inText = (el) => {
        if (el.tagName !== "A" || el.matches(".fb-link, .permalink")) return false;
        const block = el.closest("p, li, dd, td, blockquote");
        return Boolean(block) && block.textContent.trim() !== el.textContent.trim();
    };
    const name = (el) => {
        const id = el.id ? "#" + el.id : "";
        const cls = el.className && typeof el.className === "string"
            ? "." + el.className.trim().split(/\\s+/).join(".") : "";
        const what = el.getAttribute("name") || el.getAttribute("value")
            || (el.textContent || "").trim().slice(0, 30);
        return `${el.tagName.toLowerCase()}${id}${cls} (${what})`;
    };
    const small = [];
    for (const el of document.querySelector("main").querySelectorAll(selector)) {
        const box = el.getBoundingClientRect();
        if (!box.width && !box.height) continue;  // not rendered (closed details, display:none)
        if (getComputedStyle(el).visibility === "hidden") continue;
        if (inText(el)) continue;
        const width = box.width, height = box.height;
        if (width < minimum - 0.5 || height < minimum - 0.5) {
            small.push(`${name(el)}: ${box.width.toFixed(1)} x ${box.height.toFixed(1)} px`);
        }
    }
    return small;
}"""


@pytest.fixture
def pages(consultation, live_server):
    """A published comment on the clause (so its conversation has something to act on)."""
    from consult.answers import services as answers
    from consult.reports import services as reports
    from drafts.models import DraftPage, Provision
    from tests import factories

    draft = DraftPage.objects.get(title=consultation.title)
    provision = Provision.objects.get(version__page=draft, anchor=CLAUSE, withdrawn=False)
    comment = factories.make_feedback(draft, provision=provision, text="Nên nói rõ tổ chức nào.")
    citizen = factories.UserFactory(username="minh")
    # An answered comment in a published report: the report links each comment by its number.
    editor = factories.UserFactory(username="bientap", is_superuser=True)
    response = answers.response_create(
        user=editor, draft=draft, feedback_ids=[comment.pk], decision="accepted", reason="Đã sửa."
    )
    answers.response_publish(user=editor, responses=[response])
    reports.report_publish(user=editor, draft=draft, introduction="Báo cáo tổng hợp ý kiến.")
    return {
        "cookies": [session_cookie(live_server.url, citizen)],
        "draft page": consultation.url,
        "conversation page": f"{consultation.url}gop-y/{CLAUSE}/",
        "sign-up page": f"{live_server.url}/tai-khoan/signup/",
        "report page": f"{consultation.url}bao-cao/",
        "search results": f"{consultation.url}tim-kiem/?q=t%E1%BB%95+ch%E1%BB%A9c",
        "accountability page": f"{live_server.url}/co-quan/",
    }


@pytest.fixture
def browser(pages, browser):
    """Started once the data above exists (see the conftest on the ORM and Playwright)."""
    return browser


def test_controls_are_at_least_24_px_square_on_a_phone(pages, new_page):
    """Signed in, so the conversation shows the comment form, endorse and reply controls."""
    page = new_page(**PHONE)
    page.context.add_cookies(pages.pop("cookies"))
    problems = []
    for name, url in pages.items():
        page.goto(url)
        if name == "draft page":
            # The clause's conversation opened in place brings its form into the page.
            page.locator(f"[id='{CLAUSE}'] > .provision__text > a.fb-link").click()
            page.locator(".thread-inline textarea[name='comment']").wait_for()
        measured = page.evaluate(MEASURE, MINIMUM)
        problems += [f"{name}: {line}" for line in measured]
    assert not problems, f"controls smaller than {MINIMUM} x {MINIMUM} px at 360 px:\n" + "\n".join(
        problems
    )
