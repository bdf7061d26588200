"""The second half of the consultation cycle in a real browser (issue 11): the drafting
agency imports Dự thảo 2, reviews the alignment and publishes; a visitor opens the comparison
and sees a comment marked as made on Dự thảo 1; the agency answers it pointing at the new
provision, and the trace shows in the synthesis report and in the DOCX export."""

import pytest

from tests.drafts.test_revising import TEXT_1, TEXT_2

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

USERNAME = "bientap.tn"
PASSWORD = "Bien-tap-vien-2026"
WAIT = 15_000
COMMENT = "Nên giới hạn thời gian thử nghiệm, tối đa ba năm."
REASON = "Ban soạn thảo tiếp thu: thời hạn thử nghiệm không quá ba năm."
TRACE = "Khoản 1 Điều 4, Dự thảo 2"


@pytest.fixture
def cycle(live_server):
    """Dự thảo 1 published from TEXT_1, a citizen's comment on Khoản 1 Điều 3, and an editor
    of the drafting agency (the demo's editor group: import, edit, publish, answer)."""
    from drafts.importing import parse_text
    from drafts.models import Provision
    from drafts.services import draft_create, editor_group_ensure
    from tests import factories

    home = factories.home_page()
    agency = factories.AgencyFactory(name="Bộ Kế hoạch và Đầu tư", code="BKHDT")
    page = draft_create(
        parent=home, agency=agency, title="Dự thảo Luật Thử nghiệm chính sách",
        body=parse_text(TEXT_1).body, publish=True,
    )  # fmt: skip
    editor = factories.UserFactory(username=USERNAME, password=PASSWORD)
    editor.groups.add(editor_group_ensure(home=home, name="Biên tập viên"))
    agency.staff.add(editor)
    clause = Provision.objects.get(version__page=page, anchor="dieu-3-khoan-1")
    factories.make_feedback(page, provision=clause, text=COMMENT, stance="change")
    return {"pk": page.pk, "url": f"{live_server.url}{page.url}"}


@pytest.fixture
def browser(cycle, browser):
    """Started once the data above exists (see the conftest on the ORM and Playwright)."""
    return browser


def test_import_review_publish_compare_answer_and_trace(
    cycle, new_page, live_server, screenshot_path
):
    admin = new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    admin.goto(f"{live_server.url}/admin/login/")
    admin.locator("input[name='username']").fill(USERNAME)
    admin.locator("input[name='password']").fill(PASSWORD)
    admin.locator("form button[type='submit']").first.click()
    admin.wait_for_url(f"{live_server.url}/admin/", timeout=WAIT)

    # Dự thảo 2, pasted as the next version, lands on the alignment screen.
    admin.goto(f"{live_server.url}/admin/drafts/import/?page={cycle['pk']}")
    expect(admin.locator("input[name='as_version'][value='next']")).to_be_checked()
    admin.locator("textarea[name='text']").fill(TEXT_2)
    admin.locator("main form button[type='submit']").click()
    admin.wait_for_url(f"**/admin/drafts/{cycle['pk']}/alignment/", timeout=WAIT)
    changed = admin.locator("tr[data-status='changed']")
    expect(changed).to_have_count(1)
    expect(changed.locator("ins")).to_contain_text("không quá ba năm")
    expect(admin.locator("[data-count='renumbered']")).to_have_text("3")
    admin.screenshot(path=screenshot_path("next-version-alignment"), full_page=True)
    admin.locator("form.alignment__publish button[type='submit']").click()
    admin.wait_for_url(f"{cycle['url']}so-sanh/1-2/", timeout=WAIT)

    # A visitor on a phone: the comparison, then the comment made on Dự thảo 1.
    visitor = new_page(viewport={"width": 360, "height": 780}, java_script_enabled=False)
    visitor.goto(f"{cycle['url']}so-sanh/1-2/")
    expect(visitor.locator("main ins", has_text="không quá ba năm").first).to_be_visible()
    width = visitor.evaluate("document.scrollingElement.scrollWidth")
    assert width <= 360, f"the comparison overflows a 360 px screen: {width} px"
    visitor.goto(f"{cycle['url']}gop-y/dieu-4-khoan-1/")
    comment = visitor.locator("article", has_text=COMMENT).first
    expect(comment.locator(".comment__version--earlier")).to_be_visible()
    visitor.screenshot(path=screenshot_path("next-version-earlier-comment"), full_page=True)

    # The agency answers it, pointing at the provision of Dự thảo 2 that carries the change.
    admin.goto(f"{live_server.url}/admin/consult/answers/{cycle['pk']}/")
    row = admin.locator("table[data-inbox] tbody tr", has_text=COMMENT)
    row.locator("input[type='checkbox'][name='feedback']").check()
    answer = admin.locator("form[data-answer-form]")
    answer.locator("input[name='decision'][value='accepted']").check()
    answer.locator("textarea[name='reason']").fill(REASON)
    target = answer.locator("select[name='resulting_provisions'] option", has_text="Khoản 1 Điều 4")
    value = target.first.get_attribute("value")
    answer.locator("select[name='resulting_provisions']").select_option(value)
    answer.locator("input[name='publish']").check()
    answer.locator("button[type='submit']").first.click()
    admin.wait_for_load_state()
    expect(admin.locator("table[data-inbox] tbody tr", has_text=REASON)).to_have_count(1)

    # The trace beside the changed provision on the comparison…
    visitor.goto(f"{cycle['url']}so-sanh/1-2/")
    expect(visitor.locator("aside.cmp-traces").first).to_contain_text(COMMENT[:30])

    # …in the synthesis report…
    visitor.goto(f"{cycle['url']}bao-cao/chuong-1/")
    expect(visitor.locator("main")).to_contain_text(REASON)
    expect(visitor.locator("main")).to_contain_text(TRACE)

    # …and in the DOCX export.
    from docx import Document

    admin.goto(f"{live_server.url}/admin/consult/answers/{cycle['pk']}/")
    admin.locator("form[action$='/xuat/docx/'] button[type='submit']").first.click()
    admin.wait_for_url("**/gop-y/xuat/*/", timeout=WAIT)
    link = admin.locator("a[href$='/tai-ve/']").first
    expect(link).to_be_visible(timeout=WAIT)
    with admin.expect_download() as download:
        link.click()
    document = Document(str(download.value.path()))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert any(TRACE in text for text in cells), "the DOCX names the resulting provision"
