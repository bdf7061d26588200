"""Issue 12: every admin screen an agency editor uses fits a 360 px phone.

Nothing of a screen's main content is wider than the viewport unless it sits in its own
horizontal scroll region (test_journeys.OVERFLOW), and a table that scrolls says so with a
visible cue. Seen by an editor of the agency (the agency editors' group and the agency's staff,
not a superuser), on the accessibility audit's data (test_axe.site) plus a flagged comment
waiting for moderation, a finished internal export (its "Download" link in the listing's last
column), a campaign of three identical comments and a published answer changed once.
"""

from urllib.parse import urlsplit

import pytest

from tests.e2e.test_axe import site  # noqa: F401 (a fixture, used by name)
from tests.e2e.test_journeys import OVERFLOW, screen, vi

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WIDTH = 360


@pytest.fixture
def screens(request):
    """The admin screens of an agency editor's day: `urls` by name, and the editor's session
    `cookies`."""
    data = request.getfixturevalue("site")  # test_axe's, imported above
    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile
    from django.core.management import call_command
    from django.utils import timezone
    from django_comments.models import CommentFlag

    from consult.answers import services as answers
    from consult.answers.models import Response
    from consult.feedback.models import Feedback
    from consult.moderation.services import MODERATION_FLAGS
    from consult.reports.models import ReportExport
    from drafts.editing import text_parts
    from drafts.models import DraftPage
    from tests import factories

    base = data["admin"]["dashboard"].removesuffix("/admin/")
    draft = DraftPage.objects.get(pk=int(data["admin"]["answers inbox"].rstrip("/").split("/")[-1]))
    editor = get_user_model().objects.get(username="bientap")
    pending = factories.make_feedback(
        draft, text="Đề nghị làm rõ phạm vi điều chỉnh của khoản này.", is_public=False
    )
    # A reader flagged it: its screen lists the flag.
    CommentFlag.objects.create(
        user=editor, comment=pending, flag=MODERATION_FLAGS[0], flag_date=timezone.now()
    )
    export = ReportExport.objects.create(
        draft=draft,
        format=ReportExport.Format.values[0],
        scope=ReportExport.Scope.values[-1],
        status=ReportExport.Status.DONE,
        requested_by=editor,
    )
    export.file.save("gop-y.csv", ContentFile(b"id,comment\n1,x\n"))
    # A campaign: the same comment three times (the campaigns screen has a row, and the first
    # one's similar comments are the other two).
    campaign = [
        factories.make_feedback(
            draft, text="Đề nghị bổ sung hợp tác xã vào đối tượng áp dụng của luật này."
        )
        for _ in range(3)
    ]
    call_command("search_reindex", stdout=open("/dev/null", "w"))  # noqa: SIM115
    # A published answer changed once: its screen lists the earlier wording.
    response = Response.objects.filter(draft=draft).order_by("pk").first()
    answers.response_update(
        user=editor,
        response=response,
        decision=response.decision,
        reason="Ban soạn thảo đã sửa theo hướng liệt kê rõ các tổ chức, cá nhân.",
    )
    meta = Feedback._meta
    hit = campaign[0].pk
    part = text_parts(draft.get_latest_revision_as_object().body.raw_data)[0].anchor
    admin = f"{base}/admin"
    urls = {
        **data["admin"],
        "staff search, 'lao'": f"{admin}/search/feedback/?q=lao",
        "similar comments": f"{admin}/search/feedback/{hit}/similar/",
        "campaigns": f"{admin}/search/clusters/{draft.pk}/",
        "page history": f"{admin}/pages/{draft.pk}/history/",
        "import": f"{admin}/drafts/import/",
        "text part": f"{admin}/drafts/{draft.pk}/text/{part}/",
        "alignment, every pair": f"{admin}/drafts/{draft.pk}/alignment/?tat-ca=1",
        "answers drafts list": f"{admin}/consult/answers/",
        "responses": f"{admin}/consult/answers/{draft.pk}/responses/?state=all",
        "answer comments together": (
            f"{admin}/bulk/{meta.app_label}/{meta.model_name}/answer/"
            f"?id={campaign[0].pk}&id={campaign[1].pk}"
        ),
        "response": f"{admin}/consult/answers/{draft.pk}/responses/{response.pk}/",
        "moderation item": f"{admin}/consult/moderation/{pending.pk}/",
        "request an export": f"{admin}/consult/report-exports/new/",
        "account settings": f"{admin}/account/",
    }
    return {"urls": urls, "cookies": data["cookies"]["admin"]}


@pytest.fixture
def browser(screens, browser):
    """Started once the data above exists (see the conftest on the ORM and Playwright)."""
    return browser


def test_admin_screens_fit_a_phone(screens, new_page):
    """Nothing of main sticks out of a 360 px screen outside a scroll region with its cue."""
    page = new_page(**screen(WIDTH))
    page.context.add_cookies(screens["cookies"])
    problems = []
    for name, url in screens["urls"].items():
        response = page.goto(url)
        assert response is not None and response.status == 200, f"{name} {url}"
        assert urlsplit(page.url).path == urlsplit(url).path, f"{name}: sent to {page.url}"
        found = page.evaluate(OVERFLOW, "main")
        if found["scrollWidth"] > found["innerWidth"]:
            problems.append(f"{name}: the page scrolls sideways ({found['scrollWidth']} px)")
        if found["offenders"]:
            problems.append(f"{name}: wider than the viewport: {found['offenders']}")
    assert not problems, "\n".join(problems)


def scroll_to_reach(page, link) -> None:
    """`link` is reached by scrolling its region sideways, and then lies on the screen."""
    link.scroll_into_view_if_needed()
    box = link.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= WIDTH + 1, box


def test_wide_listings_scroll_in_a_region_with_a_cue(screens, new_page):
    """The exports' download link, the search's "Similar comments" and the campaigns' links
    are reached by scrolling the table's region, under the cue."""
    page = new_page(**screen(WIDTH))
    page.context.add_cookies(screens["cookies"])
    cue = vi("Swipe the table sideways to see every column.")
    for name, url, link in (
        ("reports", screens["urls"]["reports"], "[data-export-download]"),
        ("staff search", screens["urls"]["staff search"], "[data-similar]"),
        ("similar comments", screens["urls"]["similar comments"], "[data-similar]"),
        ("campaigns", screens["urls"]["campaigns"], "[data-inbox]"),
    ):
        page.goto(url)
        region = page.locator("main [data-scroll-region]").first
        assert region.evaluate("el => el.scrollWidth > el.clientWidth"), name
        expect(page.locator("main [data-scroll-cue]").first).to_be_visible()
        expect(page.locator("main [data-scroll-cue]").first).to_have_text(cue)
        target = region.locator(link).first
        expect(target).to_be_attached()
        scroll_to_reach(page, target)


def test_header_of_the_exports_fits(screens, new_page):
    """The title shows and the long action wraps on the screen, not off it."""
    page = new_page(**screen(WIDTH))
    page.context.add_cookies(screens["cookies"])
    page.goto(screens["urls"]["reports"])
    # The page's title is the breadcrumbs' last item (the h1 is for screen readers only).
    title = page.locator("header .w-breadcrumbs li:not([hidden])").last
    expect(title).to_have_text(vi("Report exports"))
    box = title.bounding_box()
    assert box["width"] > 50 and box["x"] + box["width"] <= WIDTH + 1, box
    action = page.get_by_role("link", name=vi("Request an internal export"))
    expect(action).to_be_visible()
    # Not truncated: its text takes no more room than it is given.
    assert action.evaluate("el => el.scrollWidth <= el.clientWidth + 1")
    box = action.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH + 1, box


# Each row of buttons in main: the left edge of every button that starts a line of the row.
LINE_STARTS = """
() => {
  const rows = new Map();
  for (const button of document.querySelectorAll("main .button")) {
    if (!button.getBoundingClientRect().width) continue;
    const row = rows.get(button.parentElement) || [];
    row.push(button);
    rows.set(button.parentElement, row);
  }
  const found = [];
  for (const row of rows.values()) {
    if (row.length < 2) continue;
    let previous = null;
    const starts = [];
    for (const button of row) {
      const box = button.getBoundingClientRect();
      if (!previous || box.top >= previous.bottom - 1) {
        starts.push([button.textContent.trim(), Math.round(box.left)]);
      }
      previous = box;
    }
    if (starts.length > 1) found.push(starts);
  }
  return found;
}
"""


def test_button_rows_line_up(screens, new_page):
    """A row of buttons that wraps on a phone starts each line at the same edge."""
    page = new_page(**screen(WIDTH))
    page.context.add_cookies(screens["cookies"])
    problems = []
    wrapped = 0
    for name in ("answers inbox", "report publish screen"):
        page.goto(screens["urls"][name])
        for starts in page.evaluate(LINE_STARTS):
            wrapped += 1
            if len({left for _, left in starts}) > 1:
                problems.append(f"{name}: {starts}")
    assert wrapped >= 2, "no row of buttons wraps at 360 px: the test checks nothing"
    assert not problems, "misaligned buttons:\n" + "\n".join(problems)


def test_the_bulk_action_bar_is_at_hand_on_a_phone(screens, new_page):
    """Ticking a comment in the inbox brings the answer-together bar to the bottom of the
    screen, within its width (it sat after the whole list, 10 px too wide)."""
    page = new_page(**screen(WIDTH))
    page.context.add_cookies(screens["cookies"])
    page.goto(screens["urls"]["answers inbox"])
    page.locator("input[data-bulk-action-checkbox]").first.check(force=True)
    bar = page.locator("[data-bulk-action-footer]")
    expect(bar).to_be_visible()
    # It slides up from below the screen (Wagtail's transition): measure once it has landed.
    page.wait_for_function(
        """() => { const r = document.querySelector("[data-bulk-action-footer]")
                     .getBoundingClientRect();
                   return r.bottom <= window.innerHeight + 0.5; }""",
        timeout=5_000,
    )
    box = bar.bounding_box()
    viewport = page.viewport_size
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"] + 0.5, box
    assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"] + 0.5, box
