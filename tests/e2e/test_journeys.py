"""The two journeys of issue 12, walked in a real Chromium on a 360 px touch phone and at 1280 px.

- A citizen reads a draft, signs up (with the name shown with her comments), sends a proposed
  change without its wording and is told so at the top, comments on the clause, replies to
  someone, endorses their comment, searches the feedback, opens the synthesis report and
  downloads its CSV export.
- An agency clerk, in the Wagtail admin, imports a draft from a Word file, publishes it with
  pre-moderation, approves and rejects what a citizen sent, answers the approved comment and
  publishes the synthesis report from its own screen; a visitor then reads it.

Each journey is a list of steps, one small function each; every step saves a full-page
screenshot under tests/e2e/screenshots/journeys/<journey>-<width>/ (the folder is printed;
gitignored). At 360 px nothing of a screen's main content, public or admin, may stick out of the
viewport unless it sits in its own horizontal scroll region, and a table that scrolls says so.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from tests.conftest import CORPUS_DIR
from tests.e2e.conftest import (
    CLAUSE,
    OTHER_COMMENT,
    SCREENSHOTS,
    confirm_email_and_sign_in,
    signed_in,
)

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WIDTHS = [360, 1280]
WAIT = 10_000  # ms, for every expectation on the page

# The citizen's journey, on the conftest's consultation (tests/factories.sample_body).
MY_EMAIL = "hoa@example.vn"
MY_USERNAME = "hoa"
MY_DISPLAY_NAME = "Nguyễn Thị Hoa"
MY_PASSWORD = "Song-Hong-2024-ha-noi"
MY_COMMENT = "Cần bổ sung hợp tác xã vào đối tượng áp dụng của khoản này."
MY_WORDING = "Tổ chức, hợp tác xã, cá nhân:"
SEARCH_WORD = "hợp tác xã"
MY_REPLY = "Đồng ý, và nên liệt kê cả tổ chức xã hội."

# The clerk's journey.
CLERK = "vanthu.btnmt"
CLERK_PASSWORD = "Van-thu-BTNMT-2024"
CITIZEN = "tuan"
CITIZEN_EMAIL = "tuan@example.vn"
CITIZEN_NAME = "Trần Văn Tuấn"
CITIZEN_PASSWORD = "Tuan-Da-Nang-2024"
IMPORTED_TITLE = "Dự thảo Luật Điện ảnh (sửa đổi)"
IMPORTED_ARTICLES = 9  # Chương I of the corpus's Cinema Law
IMPORTED_CLAUSE = "dieu-2-khoan-1"
GOOD_COMMENT = "Nên bổ sung người Việt Nam định cư ở nước ngoài làm phim tại Việt Nam."
GOOD_WORDING = (
    "Cơ quan, tổ chức, cá nhân Việt Nam, người Việt Nam định cư ở nước ngoài tham gia hoạt động"
    " điện ảnh tại Việt Nam và ở nước ngoài."
)
SPAM_COMMENT = "Mua vé xem phim giá rẻ tại trang của chúng tôi!!!"
REJECT_REASON = "Quảng cáo, không liên quan đến dự thảo."
ANSWER = "Ban soạn thảo tiếp thu, bổ sung vào khoản 1 Điều 2."
INTRODUCTION = "Báo cáo tổng hợp ý kiến góp ý đối với dự thảo Luật Điện ảnh (sửa đổi)."

# Everything in `main` wider than the viewport, unless it sits in a horizontal scroll region
# (overflow-x auto or scroll) that itself fits: such a region scrolls, the page does not.
OVERFLOW = """
(root) => {
  // Wagtail's minimap of the page editor: a side panel that slides in, off-canvas by design.
  const SKIP = ".w-minimap";
  const width = document.documentElement.clientWidth;
  const scrollRegion = (el) => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const overflow = getComputedStyle(a).overflowX;
      if (overflow === "auto" || overflow === "scroll") {
        return a.getBoundingClientRect().right <= width + 1 ? a : null;
      }
    }
    return null;
  };
  const unseen = (el) => {
    for (let a = el; a; a = a.parentElement) {
      const style = getComputedStyle(a);
      if (style.opacity === "0" || style.visibility === "hidden") return true;
    }
    return false;
  };
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (typeof el.className === "string" && el.className.trim()
      ? "." + el.className.trim().split(/\\s+/).join(".") : "");
  const main = document.querySelector(root) || document.body;
  const offenders = [];
  for (const el of main.querySelectorAll("*")) {
    if (el.closest(SKIP)) continue;
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height || box.right <= width + 1) continue;
    if (getComputedStyle(el).position === "fixed" || unseen(el) || scrollRegion(el)) continue;
    offenders.push(`${name(el)} reaches ${Math.round(box.right)} px`);
  }
  // A table that scrolls sideways says so where the reader sees it.
  for (const table of main.querySelectorAll("table")) {
    const region = scrollRegion(table);
    if (!region || region.scrollWidth <= region.clientWidth + 1) continue;
    const cue = region.querySelector("[data-scroll-cue]") ||
      region.parentElement.querySelector("[data-scroll-cue]");
    if (!cue || !cue.getBoundingClientRect().height) {
      offenders.push(`${name(table)} scrolls sideways without a visible cue`);
    }
  }
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    offenders: offenders.slice(0, 8),
  };
}
"""


def vi(message: str) -> str:
    """What the Vietnamese interface shows for the English msgid `message`."""
    with translation.override("vi"):
        return gettext(message)


@dataclass
class Walk:
    """One person's walk: their browser page, the live server, where screenshots go."""

    page: object
    base: str
    width: int
    shots: Path
    steps: list[str] = field(default_factory=list)
    overflows: list[str] = field(default_factory=list)

    def shot(self, name: str) -> None:
        """A full-page screenshot of where the walk is, numbered in step order."""
        self.steps.append(name)
        self.page.screenshot(
            path=self.shots / f"{len(self.steps):02d}-{name}.png",
            full_page=True,
            animations="disabled",
        )

    def fits(self, root: str = "main") -> None:
        """At phone width: nothing sticks out of the viewport (see OVERFLOW). What does is
        noted, and `assert_fitted()` fails on it once the journey is walked."""
        if self.width > 400:
            return
        found = self.page.evaluate(OVERFLOW, root)
        where = urlsplit(self.page.url).path
        if found["scrollWidth"] > found["innerWidth"]:
            self.overflows.append(f"{where} scrolls sideways: {found['scrollWidth']} px")
        if found["offenders"]:
            self.overflows.append(f"{where}: wider than the viewport: {found['offenders']}")

    def assert_fitted(self) -> None:
        assert not self.overflows, "\n".join(self.overflows)


def screen(width: int) -> dict:
    """The browser context of a screen `width` px wide: below 400 px a touch phone (no hover,
    so what shows on hover on a desktop shows all the time)."""
    if width < 400:
        return {"viewport": {"width": width, "height": 780}, "is_mobile": True, "has_touch": True}
    return {"viewport": {"width": width, "height": 900}}


def start(new_page, live_server, capsys, journey: str, width: int) -> Walk:
    """A walk at `width`, its screenshots' folder emptied and named on the terminal."""
    shots = SCREENSHOTS / "journeys" / f"{journey}-{width}"
    shots.mkdir(parents=True, exist_ok=True)
    for old in shots.glob("*.png"):
        old.unlink()
    with capsys.disabled():
        print(f"\nScreenshots of the {journey} journey at {width} px: {shots}")
    page = new_page(**screen(width))
    return Walk(page=page, base=live_server.url, width=width, shots=shots)


# --- The citizen's journey ------------------------------------------------------------------


@pytest.fixture
def citizen_data(other_comment):
    """The clause's conversation so far: the conftest's comment by someone else (its id)."""
    return other_comment.pk


def read_the_draft(walk: Walk, title: str) -> None:
    """From the home page to the draft, which shows its articles and the clause."""
    page = walk.page
    page.goto(f"{walk.base}/")
    page.get_by_role("link", name=title).first.click()
    expect(page.locator("h1")).to_contain_text(title, timeout=WAIT)
    expect(page.locator(f"[id='{CLAUSE}']")).to_be_visible()
    walk.shot("draft")
    walk.fits()


def sign_up(walk: Walk) -> None:
    """Sign up, open the verification link from the e-mail, end up signed in."""
    page = walk.page
    page.goto(f"{walk.base}/tai-khoan/signup/")
    expect(page.locator("h1")).to_have_text(vi("Create an account"), timeout=WAIT)
    form = page.locator("form[action$='/tai-khoan/signup/']")
    form.locator("input[name='email']").fill(MY_EMAIL)
    form.locator("input[name='username']").fill(MY_USERNAME)
    form.locator("input[name='password1']").fill(MY_PASSWORD)
    form.locator("input[name='password2']").fill(MY_PASSWORD)
    # The name shown with one's comments (issue 12: never the username).
    form.locator("input[name='first_name']").fill(MY_DISPLAY_NAME)
    walk.shot("sign-up")
    walk.fits()
    form.locator("button[type='submit']").click()
    page.wait_for_url(re.compile(r"/tai-khoan/confirm-email/$"), timeout=WAIT)
    expect(signed_in(page)).to_have_count(0)
    walk.shot("verify-your-address")

    confirm_email_and_sign_in(page, base=walk.base, address=MY_EMAIL, password=MY_PASSWORD)
    walk.shot("signed-in")


def comment_on_the_clause(walk: Walk, draft_url: str) -> None:
    """A comment proposing a change, on the clause's conversation page: published at once."""
    page = walk.page
    thread = f"{draft_url}gop-y/{CLAUSE}/"
    page.goto(thread)
    expect(page.locator("article.comment")).to_have_count(1, timeout=WAIT)
    form = page.locator("#feedback-form form")
    form.locator("input[name='stance'][value='change']").check()
    form.locator("textarea[name='comment']").fill(MY_COMMENT)
    walk.fits()
    # Sent without the wording a proposed change needs: refused, and the page says so where
    # the reader is, with a link to the field, the text kept (issue 12, GOV.UK's pattern).
    form.locator("button[type='submit']").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible(timeout=WAIT)
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    expect(summary.locator("a[href*='proposed_wording']")).to_have_count(1)
    form = page.locator("form:has(textarea[name='proposed_wording'])")
    expect(form.locator("textarea[name='comment']")).to_have_value(MY_COMMENT)
    walk.shot("comment-refused")
    walk.fits()
    summary.locator("a[href*='proposed_wording']").click()
    expect(form.locator("textarea[name='proposed_wording']")).to_be_focused()
    form.locator("textarea[name='proposed_wording']").fill(MY_WORDING)
    form.locator("button[type='submit']").click()
    page.wait_for_url(re.compile(re.escape(thread) + r"#c\d+$"), timeout=WAIT)
    mine = page.locator("article.comment", has_text=MY_COMMENT)
    expect(mine).to_have_count(1, timeout=WAIT)
    expect(mine.locator(".pending")).to_have_count(0)
    expect(mine).to_contain_text(MY_DISPLAY_NAME)
    expect(page.locator("article.comment")).to_have_count(2)
    walk.shot("commented")
    walk.fits()


def reply(walk: Walk, draft_url: str, other_id: int) -> None:
    """A reply to the other person's comment, shown under it."""
    page = walk.page
    theirs = page.locator(f"article#c{other_id}")
    theirs.locator("a.reply-link").click()
    page.wait_for_url(re.compile(rf"\?reply={other_id}#feedback-form$"), timeout=WAIT)
    form = page.locator("#feedback-form form")
    form.locator("textarea[name='comment']").fill(MY_REPLY)
    form.locator("button[type='submit']").click()
    page.wait_for_url(re.compile(r"#c\d+$"), timeout=WAIT)
    answer = page.locator("article.comment", has_text=MY_REPLY)
    expect(answer).to_have_count(1, timeout=WAIT)
    expect(answer).to_have_class(re.compile(r"\bcomment--level-1\b"))
    walk.shot("replied")
    walk.fits()


def endorse(walk: Walk, other_id: int) -> None:
    """ "I agree" on the other person's comment: its count goes from 0 to 1."""
    page = walk.page
    theirs = page.locator(f"article#c{other_id}")
    endorsements = theirs.locator(".endorsements")
    expect(endorsements).to_have_attribute("data-endorsements", "0")
    theirs.locator("form[action$='/tan-thanh/'] button").click()
    page.wait_for_url(re.compile(rf"#c{other_id}$"), timeout=WAIT)
    expect(endorsements).to_have_attribute("data-endorsements", "1", timeout=WAIT)
    expect(endorsements).to_contain_text("1")
    walk.shot("endorsed")
    walk.fits()


def search(walk: Walk, draft_url: str) -> None:
    """The draft's feedback search finds the comment by words in it, and only it."""
    page = walk.page
    page.goto(draft_url)
    box = page.locator("form[data-feedback-search] input[name='q']")
    box.fill(SEARCH_WORD)
    box.press("Enter")
    page.wait_for_url(re.compile(r"/tim-kiem/\?"), timeout=WAIT)
    expect(page.locator("h1")).to_have_text(vi("Search the feedback"))
    expect(page.locator("#results-heading")).to_contain_text("1", timeout=WAIT)
    expect(page.locator("main")).to_contain_text(MY_COMMENT)
    expect(page.locator("main")).not_to_contain_text(OTHER_COMMENT)
    walk.shot("search")
    walk.fits()


def open_the_report(walk: Walk, draft_url: str) -> None:
    """The synthesis report, not yet final: chapter I counts the two comments (a reply is not
    one), and the chapter's page shows them."""
    page = walk.page
    page.goto(f"{draft_url}bao-cao/")
    expect(page.locator("h1")).to_have_text(re.compile(".+"), timeout=WAIT)
    expect(page.locator(".report-status--provisional")).to_be_visible()
    chapter = page.locator("li[data-unit='chuong-1']")
    expect(chapter).to_have_attribute("data-total", "2")
    walk.shot("report")
    walk.fits()
    chapter.locator("a").click()
    page.wait_for_url(f"{draft_url}bao-cao/chuong-1/", timeout=WAIT)
    for text in (OTHER_COMMENT, MY_COMMENT):
        expect(page.locator("main")).to_contain_text(text)
    walk.shot("report-chapter")
    walk.fits()


def export_csv(walk: Walk, draft_url: str) -> None:
    """The report's CSV export: prepared, downloaded, and it holds the comment."""
    page = walk.page
    page.goto(f"{draft_url}bao-cao/")
    page.locator("[data-report-exports] form[action$='/xuat/csv/'] button").click()
    page.wait_for_url(re.compile(r"/gop-y/xuat/\d+/$"), timeout=WAIT)
    expect(page.locator("h1")).to_have_text(vi("Export of the synthesis report"))
    link = page.locator("[data-export-download] a")
    expect(link).to_be_visible(timeout=WAIT)
    walk.shot("export-ready")
    walk.fits()
    with page.expect_download(timeout=WAIT) as info:
        link.click()
    download = info.value
    assert download.suggested_filename.endswith(".csv"), download.suggested_filename
    content = Path(download.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert any(MY_COMMENT in cell for row in rows for cell in row), content[:2000]
    assert any(OTHER_COMMENT in cell for row in rows for cell in row), content[:2000]
    assert not any(MY_REPLY in cell for row in rows for cell in row), "a reply is no comment"


@pytest.fixture
def citizen_browser(citizen_data, browser):
    """The conftest's browser, started once the data exists (see the conftest)."""
    return browser


@pytest.mark.parametrize("width", WIDTHS)
def test_citizen_journey(
    width, citizen_data, citizen_browser, new_page, live_server, consultation, capsys
):
    walk = start(new_page, live_server, capsys, "citizen", width)
    read_the_draft(walk, consultation.title)
    sign_up(walk)
    comment_on_the_clause(walk, consultation.url)
    reply(walk, consultation.url, citizen_data)
    endorse(walk, citizen_data)
    search(walk, consultation.url)
    open_the_report(walk, consultation.url)
    export_csv(walk, consultation.url)
    walk.assert_fitted()


# --- The clerk's journey --------------------------------------------------------------------


@pytest.fixture
def clerk_data(consultation):
    """An editor of the consultation's agency (the demo's editor group) and a citizen with a
    verified address."""
    from allauth.account.models import EmailAddress

    from drafts.models import DraftPage
    from drafts.services import editor_group_ensure
    from tests import factories

    draft = DraftPage.objects.get(title=consultation.title)
    clerk = factories.UserFactory(username=CLERK, email="vanthu@btnmt.gov.vn")
    clerk.set_password(CLERK_PASSWORD)
    clerk.save()
    clerk.groups.add(editor_group_ensure(home=draft.get_parent(), name="Biên tập viên"))
    draft.agency.staff.add(clerk)
    EmailAddress.objects.create(user=clerk, email=clerk.email, verified=True, primary=True)
    citizen = factories.UserFactory(username=CITIZEN, email=CITIZEN_EMAIL, first_name=CITIZEN_NAME)
    citizen.set_password(CITIZEN_PASSWORD)
    citizen.save()
    EmailAddress.objects.create(user=citizen, email=citizen.email, verified=True, primary=True)
    return draft.agency.name


@pytest.fixture
def clerk_browser(clerk_data, browser):
    """The conftest's browser, started once the data exists (see the conftest)."""
    return browser


def word_file(folder: Path) -> Path:
    """Chương I of the corpus's Cinema Law (nine articles) as a Word document."""
    import docx

    lines = (CORPUS_DIR / "luat-dien-anh-2022.txt").read_text(encoding="utf-8").splitlines()
    end = lines.index("Chương II")
    document = docx.Document()
    for line in lines[:end]:
        document.add_paragraph(line)
    path = folder / "du-thao-luat-dien-anh-sua-doi.docx"
    document.save(path)
    return path


def admin_sign_in(walk: Walk) -> None:
    page = walk.page
    page.goto(f"{walk.base}/admin/login/")
    page.locator("input[name='username']").fill(CLERK)
    page.locator("input[name='password']").fill(CLERK_PASSWORD)
    page.locator("form button[type='submit']").first.click()
    page.wait_for_url(f"{walk.base}/admin/", timeout=WAIT)
    walk.shot("admin-dashboard")
    walk.fits()


def vietnam_time(days: int) -> str:
    """Now plus `days`, as the admin's date fields take it (dd/mm/yyyy HH:MM, Vietnam)."""
    when = timezone.localtime(timezone.now() + timedelta(days=days))
    return when.strftime("%d/%m/%Y %H:%M")


def type_date(page, selector: str, value: str) -> None:
    """Types a date into a field with Wagtail's picker and leaves it (the picker checks it)."""
    field = page.locator(selector)
    field.click()
    field.fill("")
    field.press_sequentially(value)
    page.keyboard.press("Escape")
    page.locator("#id_number").click()
    expect(field).to_have_value(value)


def import_a_draft(walk: Walk, docx_path: Path) -> int:
    """The import screen: a .docx, a title, the consultation's dates; the editor opens with
    the count of articles read. Returns the new page's id."""
    page = walk.page
    page.goto(f"{walk.base}/admin/drafts/import/")
    expect(page.locator("h1")).to_be_visible(timeout=WAIT)
    walk.fits()
    page.locator("#id_file").set_input_files(str(docx_path))
    page.locator("#id_title").fill(IMPORTED_TITLE)
    type_date(page, "#id_opens_at", vietnam_time(-1))
    type_date(page, "#id_closes_at", vietnam_time(30))
    walk.shot("import-form")
    walk.fits()
    page.locator("form[enctype='multipart/form-data'] button[type='submit']").click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/$"), timeout=WAIT)
    expect(page.locator(".messages")).to_contain_text(str(IMPORTED_ARTICLES))
    walk.shot("imported-editor")
    walk.fits()
    return int(re.search(r"/pages/(\d+)/edit/", page.url).group(1))


def publish_with_premoderation(walk: Walk) -> None:
    """In the editor: comments wait for a moderator; then publish."""
    page = walk.page
    page.locator("#id_moderation").select_option("pre")
    publish = page.locator("button[name='action-publish']")
    if not publish.is_visible():
        page.locator("footer [data-w-dropdown-target='toggle']").last.click()
    expect(publish).to_be_visible(timeout=WAIT)
    publish.click()
    # Wagtail confirms publishing in a dialog on some setups.
    dialog_confirm = page.locator("[data-w-dialog-target='body'] button[type='submit']:visible")
    if dialog_confirm.count():
        dialog_confirm.first.click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/(edit/)?$"), timeout=WAIT)
    expect(page.locator(".messages .success")).to_contain_text(IMPORTED_TITLE, timeout=WAIT)
    walk.shot("published")
    walk.fits()


def citizens_comment(walk: Walk) -> None:
    """A citizen signs in and sends two comments on a clause of the new draft: both wait for
    a moderator, so the conversation stays empty for others."""
    page = walk.page
    page.goto(f"{walk.base}/tai-khoan/login/")
    form = page.locator("form[action$='/tai-khoan/login/']")
    form.locator("input[name='login']").fill(CITIZEN_EMAIL)
    form.locator("input[name='password']").fill(CITIZEN_PASSWORD)
    form.locator("button[type='submit']").click()
    expect(signed_in(page)).to_have_count(1, timeout=WAIT)
    page.goto(f"{walk.base}/")
    page.get_by_role("link", name=IMPORTED_TITLE).first.click()
    expect(page.locator("h1")).to_contain_text(IMPORTED_TITLE, timeout=WAIT)
    draft_url = page.url.split("#")[0]
    for text, stance in ((GOOD_COMMENT, "change"), (SPAM_COMMENT, "disagree")):
        page.goto(f"{draft_url}gop-y/{IMPORTED_CLAUSE}/")
        form = page.locator("#feedback-form form")
        form.locator(f"input[name='stance'][value='{stance}']").check()
        form.locator("textarea[name='comment']").fill(text)
        if stance == "change":
            form.locator("textarea[name='proposed_wording']").fill(GOOD_WORDING)
        form.locator("button[type='submit']").click()
        page.wait_for_url(re.compile(r"/gop-y/[^/]+/(\?.*)?(#.*)?$"), timeout=WAIT)
        expect(page.locator("main")).to_contain_text(text, timeout=WAIT)
        expect(page.locator("main .error")).to_have_count(0)
    walk.shot("citizen-comments-waiting")
    walk.fits()
    return draft_url


def moderate(walk: Walk) -> None:
    """The moderation queue lists both comments waiting; one approved, one rejected with a
    reason, each through its confirmation screen."""
    page = walk.page
    queue = f"{walk.base}/admin/consult/moderation/"
    page.goto(queue)
    expect(page.locator("h1")).to_contain_text(vi("Moderation"), timeout=WAIT)
    rows = page.locator("main table tbody tr")
    expect(rows.filter(has_text=GOOD_COMMENT)).to_have_count(1, timeout=WAIT)
    expect(rows.filter(has_text=SPAM_COMMENT)).to_have_count(1)
    # The author by the name shown with the comment; the date as everywhere (dd/mm/yyyy).
    good = rows.filter(has_text=GOOD_COMMENT)
    expect(good).to_contain_text(CITIZEN_NAME)
    expect(good).to_contain_text(re.compile(r"\b\d{2}/\d{2}/\d{4}\b"))
    if walk.width < 400:
        # The table is wider than a phone: it scrolls in its own region, which says so.
        region = page.locator("main [data-scroll-region]")
        assert region.evaluate("el => el.scrollWidth > el.clientWidth")
        expect(page.locator("main [data-scroll-cue]")).to_have_text(
            vi("Swipe the table sideways to see every column.")
        )
    walk.shot("moderation-queue")
    walk.fits()
    # One comment's own screen: its text, flags and history.
    rows.filter(has_text=SPAM_COMMENT).locator(
        "a[href*='/admin/consult/moderation/']"
    ).first.click()
    page.wait_for_url(re.compile(r"/admin/consult/moderation/\d+/$"), timeout=WAIT)
    expect(page.locator("main")).to_contain_text(SPAM_COMMENT, timeout=WAIT)
    walk.shot("moderation-comment")
    walk.fits()
    page.goto(queue)
    for text, action in ((GOOD_COMMENT, "approve"), (SPAM_COMMENT, "reject")):
        rows.filter(has_text=text).locator("input[type='checkbox']").check()
        bar = page.locator("[data-bulk-action-footer]")
        expect(bar).to_be_visible(timeout=WAIT)
        bar.locator(f"a[href*='/admin/bulk/feedback/feedback/{action}/']").click()
        page.wait_for_url(f"**/admin/bulk/feedback/feedback/{action}/**", timeout=WAIT)
        expect(page.locator("[data-moderation-selection]")).to_contain_text(text)
        reason = page.locator("main form textarea[name='reason']")
        if reason.count():
            reason.fill(REJECT_REASON)
        walk.shot(f"moderation-{action}")
        walk.fits()
        page.locator("main form button[type='submit']").first.click()
        page.wait_for_url(f"{queue}*", timeout=WAIT)
        expect(page.locator(".messages .success")).to_be_visible(timeout=WAIT)
    expect(rows.filter(has_text=GOOD_COMMENT)).to_contain_text(vi("Published"))
    walk.shot("moderated")
    walk.fits()


def answer(walk: Walk, draft_id: int) -> None:
    """The draft's inbox lists the one published comment; it is answered and published."""
    page = walk.page
    page.goto(f"{walk.base}/admin/consult/answers/")
    drafts = page.locator(f"main a[href$='/admin/consult/answers/{draft_id}/']")
    expect(drafts.first).to_be_visible(timeout=WAIT)
    walk.shot("answers-drafts")
    walk.fits()
    drafts.first.click()
    page.wait_for_url(f"**/admin/consult/answers/{draft_id}/", timeout=WAIT)
    rows = page.locator("table[data-inbox] tbody tr")
    expect(rows).to_have_count(1, timeout=WAIT)
    expect(rows).to_contain_text(GOOD_COMMENT)
    expect(page.locator("[data-inbox-summary] [data-count='none']")).to_have_text("1")
    walk.shot("inbox")
    walk.fits()
    rows.first.locator("input[type='checkbox'][name='feedback']").check()
    form = page.locator("form[data-answer-form]")
    form.locator("input[name='decision'][value='accepted']").check()
    form.locator("textarea[name='reason']").fill(ANSWER)
    form.locator("input[name='publish']").check()
    form.locator("button[type='submit']").first.click()
    page.wait_for_load_state()
    expect(rows.filter(has_text=ANSWER)).to_have_count(1, timeout=WAIT)
    expect(page.locator("[data-inbox-summary] [data-count='published']")).to_have_text("1")
    expect(page.locator("[data-inbox-summary] [data-count='none']")).to_have_text("0")
    walk.shot("answered")
    walk.fits()


def publish_the_report(walk: Walk) -> None:
    """From the inbox to the report's own screen: the figures, a warning that the consultation
    is still open, a box to tick; then published, with an introduction."""
    page = walk.page
    page.locator("main a[data-report-publish-link]").first.click()
    page.wait_for_url(re.compile(r"/admin/consult/answers/\d+/report/$"), timeout=WAIT)
    expect(page.locator("[data-figure='answered']")).to_have_text("1", timeout=WAIT)
    expect(page.locator("[data-figure='unanswered']")).to_have_text("0")
    expect(page.locator("[data-warning='open']")).to_be_visible()
    form = page.locator("main form[data-report-publish-form]")
    form.locator("textarea[name='introduction']").fill(INTRODUCTION)
    form.locator("input[name='confirm']").check()
    walk.shot("report-publish")
    walk.fits()
    form.locator("button[type='submit']").click()
    page.wait_for_load_state()
    expect(page.locator(".messages")).to_contain_text(
        vi("The synthesis report is published."), timeout=WAIT
    )
    walk.shot("report-published")
    walk.fits()


def read_the_published_report(walk: Walk, draft_url: str) -> None:
    """A visitor reads the published report: the introduction, the comment and its answer;
    the rejected comment is nowhere."""
    page = walk.page
    page.goto(f"{draft_url}bao-cao/")
    expect(page.locator(".report-status--published")).to_be_visible(timeout=WAIT)
    expect(page.locator(".report-intro")).to_contain_text(INTRODUCTION)
    chapter = page.locator("li[data-unit^='chuong-']").first
    expect(chapter).to_have_attribute("data-total", "1")
    expect(chapter).to_have_attribute("data-answered", "1")
    chapter.locator("a").click()
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text(GOOD_COMMENT, timeout=WAIT)
    expect(page.locator("main")).to_contain_text(ANSWER)
    expect(page.locator("main")).to_contain_text(CITIZEN_NAME)
    expect(page.locator("main")).not_to_contain_text(SPAM_COMMENT)
    walk.shot("public-report")
    walk.fits()


@pytest.mark.parametrize("width", WIDTHS)
def test_clerk_journey(width, clerk_data, clerk_browser, new_page, live_server, tmp_path, capsys):
    clerk = start(new_page, live_server, capsys, "clerk", width)
    admin_sign_in(clerk)
    draft_id = import_a_draft(clerk, word_file(tmp_path))
    publish_with_premoderation(clerk)
    citizen = Walk(
        page=new_page(**screen(width)),
        base=live_server.url,
        width=width,
        shots=clerk.shots,
        steps=clerk.steps,
    )
    draft_url = citizens_comment(citizen)
    moderate(clerk)
    answer(clerk, draft_id)
    publish_the_report(clerk)
    read_the_published_report(citizen, draft_url)
    clerk.assert_fitted()
    citizen.assert_fitted()
