"""An agency editor answers feedback in the Wagtail admin in a real browser: signs in, narrows
the inbox to one article, answers three comments at once and publishes; a visitor then reads
the answer under each comment and in the synthesis report."""

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ARTICLE = "dieu-2"
ON_ARTICLE = [
    ("dieu-2", "Nên làm rõ đối tượng áp dụng là tổ chức nào."),
    ("dieu-2-khoan-1", "Cơ quan nhà nước cần liệt kê theo cấp."),
    ("dieu-2-khoan-2", "Bổ sung người Việt Nam định cư ở nước ngoài."),
]
ELSEWHERE = ("dieu-1", "Phạm vi điều chỉnh còn hẹp.")
REASON = "Ban soạn thảo đã sửa Điều 2 theo hướng liệt kê rõ từng đối tượng."
USERNAME = "bientap"
PASSWORD = "Bien-tap-vien-2024"
WAIT = 10_000
BULK_REASON = "Ban soạn thảo ghi nhận hai góp ý này."


@pytest.fixture
def comments(consultation):
    """Three comments under Điều 2 (on it, its clause 1, its clause 2) and one on Điều 1; and
    an editor of the drafting agency who may use the admin."""
    from django.contrib.auth.models import Permission

    from drafts.models import DraftPage, Provision
    from tests import factories

    draft = DraftPage.objects.get(title=consultation.title)
    editor = factories.UserFactory(username=USERNAME, password=PASSWORD)
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    draft.agency.staff.add(editor)
    for anchor, text in [*ON_ARTICLE, ELSEWHERE]:
        provision = Provision.objects.get(version__page=draft, anchor=anchor, withdrawn=False)
        factories.make_feedback(draft, provision=provision, text=text)
    return draft.pk


@pytest.fixture
def browser(comments, browser):
    """Started once the data above exists (see the conftest on the ORM and Playwright)."""
    return browser


def test_editor_answers_three_comments_at_once_and_visitors_see_the_answers(
    comments, new_page, live_server, consultation, screenshot_path
):
    admin = new_page(viewport={"width": 1280, "height": 900})
    admin.goto(f"{live_server.url}/admin/login/")
    admin.locator("input[name='username']").fill(USERNAME)
    admin.locator("input[name='password']").fill(PASSWORD)
    admin.locator("form button[type='submit']").first.click()
    admin.wait_for_url(f"{live_server.url}/admin/", timeout=WAIT)

    admin.goto(f"{live_server.url}/admin/consult/answers/{comments}/")
    rows = admin.locator("table[data-inbox] tbody tr")
    expect(rows).to_have_count(4, timeout=WAIT)
    filters = admin.locator("form[data-inbox-filters]")
    filters.locator("select[name='provision']").select_option(ARTICLE)
    filters.locator("button[type='submit']").click()
    expect(rows).to_have_count(3, timeout=WAIT)
    for _anchor, text in ON_ARTICLE:
        expect(rows.filter(has_text=text)).to_have_count(1)
    expect(rows.filter(has_text=ELSEWHERE[1])).to_have_count(0)

    answer = admin.locator("form[data-answer-form]")
    for index in range(3):
        rows.nth(index).locator("input[type='checkbox'][name='feedback']").check()
    answer.locator("input[name='decision'][value='accepted']").check()
    answer.locator("textarea[name='reason']").fill(REASON)
    answer.locator("input[name='publish']").check()
    answer.locator("button[type='submit']").first.click()
    admin.wait_for_load_state()
    expect(rows.filter(has_text=REASON)).to_have_count(3, timeout=WAIT)
    admin.screenshot(path=screenshot_path("answering-inbox"), full_page=True)

    visitor = new_page(viewport={"width": 390, "height": 844})
    visitor.goto(f"{consultation.url}gop-y/{ARTICLE}/")
    for anchor, text in ON_ARTICLE:
        visitor.goto(f"{consultation.url}gop-y/{anchor}/")
        comment = visitor.locator("article", has_text=text).first
        expect(comment).to_contain_text(REASON, timeout=WAIT)
    visitor.goto(f"{consultation.url}gop-y/{ELSEWHERE[0]}/")
    expect(visitor.get_by_text(ELSEWHERE[1])).to_be_visible(timeout=WAIT)
    expect(visitor.get_by_text(REASON)).to_have_count(0)

    # The draft has chapters, so the report's first page lists them: Điều 2 is in Chương I.
    visitor.goto(f"{consultation.url}bao-cao/")
    visitor.locator("main a[href$='/bao-cao/chuong-1/']").first.click()
    visitor.wait_for_url(f"{consultation.url}bao-cao/chuong-1/", timeout=WAIT)
    report = visitor.locator("main")
    for _anchor, text in ON_ARTICLE:
        expect(report).to_contain_text(text, timeout=WAIT)
    expect(report.get_by_text(REASON)).to_have_count(3)
    visitor.screenshot(path=screenshot_path("answering-report"), full_page=True)


def test_editor_answers_two_comments_with_the_bulk_action_bar(comments, new_page, live_server):
    """The inbox's ticks feed Wagtail's bulk action bar: "answer together" opens the bulk
    action's form, which answers both comments with one answer and comes back."""
    admin = new_page(viewport={"width": 1280, "height": 900})
    admin.goto(f"{live_server.url}/admin/login/")
    admin.locator("input[name='username']").fill(USERNAME)
    admin.locator("input[name='password']").fill(PASSWORD)
    admin.locator("form button[type='submit']").first.click()
    admin.wait_for_url(f"{live_server.url}/admin/", timeout=WAIT)

    inbox = f"{live_server.url}/admin/consult/answers/{comments}/"
    admin.goto(inbox)
    rows = admin.locator("table[data-inbox] tbody tr")
    expect(rows).to_have_count(4, timeout=WAIT)
    for text in (ON_ARTICLE[0][1], ON_ARTICLE[1][1]):
        rows.filter(has_text=text).locator("input[name='feedback']").check()
    bar = admin.locator("[data-bulk-action-footer]")
    expect(bar).to_be_visible(timeout=WAIT)
    bar.locator("a[href*='/admin/bulk/feedback/feedback/answer/']").click()
    admin.wait_for_url("**/admin/bulk/feedback/feedback/answer/**", timeout=WAIT)

    form = admin.locator("main form")
    form.locator("input[name='decision'][value='noted']").check()
    form.locator("textarea[name='reason']").fill(BULK_REASON)
    form.locator("button[type='submit']").click()
    admin.wait_for_url(f"{inbox}*", timeout=WAIT)
    expect(rows.filter(has_text=BULK_REASON)).to_have_count(2, timeout=WAIT)
