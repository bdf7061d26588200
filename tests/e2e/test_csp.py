"""Every page works under the Content-Security-Policy: a real Chromium walks the public draft
page (opening and posting the feedback form), the staff log-in, the Wagtail admin's dashboard,
the page editor of a draft, the answers inbox and the moderation queue, and Django's admin log-in,
and no script, style, image or request is refused on the way."""

import re

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

USERNAME = "quantri"
PASSWORD = "Quan-tri-2024-an-toan"
CLAUSE = "dieu-2-khoan-2"
COMMENT = "Đề nghị làm rõ phạm vi áp dụng đối với hộ gia đình."
WAIT = 10_000

# Collects, in the page, every report of the policy refusing something.
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} refused ${event.blockedURI || "inline"} ` +
    `at ${event.sourceFile}:${event.lineNumber} (${document.location.pathname})`
  );
});
"""


@pytest.fixture
def site_data(consultation):
    """A superuser with a verified address and one published comment on the draft."""
    from allauth.account.models import EmailAddress

    from consult.feedback import services
    from drafts.models import DraftPage, Provision
    from tests import factories

    admin = factories.UserFactory(
        username=USERNAME, email="quantri@example.vn", is_staff=True, is_superuser=True
    )
    admin.set_password(PASSWORD)
    admin.save()
    EmailAddress.objects.create(user=admin, email=admin.email, verified=True, primary=True)
    draft = DraftPage.objects.get(title=consultation.title)
    provision = Provision.objects.get(version__page=draft, anchor=CLAUSE, withdrawn=False)
    services.feedback_submit(
        draft=draft,
        author=services.Author(user=factories.UserFactory(username="lan"), name="", email=""),
        text="Nên nói rõ tổ chức nào thuộc đối tượng áp dụng.",
        provision=provision,
        stance="agree",
    )
    return {"draft_id": draft.pk}


@pytest.fixture
def browser(site_data, browser):
    """The conftest's browser, started once the data above exists (see the conftest)."""
    return browser


class Walk:
    """A browser page that records CSP violations across navigations."""

    def __init__(self, page):
        self.page = page
        self.violations: list[str] = []
        self.console: list[str] = []
        page.add_init_script(LISTEN)
        page.on(
            "console",
            lambda message: (
                self.console.append(message.text)
                if "Content Security Policy" in message.text
                else None
            ),
        )

    def collect(self) -> None:
        self.page.wait_for_load_state("load")
        self.page.wait_for_timeout(300)  # scripts that start after load
        self.violations += self.page.evaluate("window.__cspViolations || []")

    def visit(self, url: str) -> None:
        response = self.page.goto(url)
        assert response.status < 400, f"{url} answered {response.status}"
        assert "content-security-policy" in response.headers, f"{url} sent no CSP"
        self.collect()

    def assert_clean(self) -> None:
        assert not self.violations, "\n".join(self.violations)
        assert not self.console, "\n".join(self.console)


def test_public_pages_and_admin_work_under_the_policy(
    new_page, live_server, consultation, site_data
):
    walk = Walk(new_page(viewport={"width": 1280, "height": 900}))
    page = walk.page
    base = live_server.url

    # Staff log-in, then the admin's screens.
    walk.visit(f"{base}/admin/login/")
    page.locator("input[name='username']").fill(USERNAME)
    page.locator("input[name='password']").fill(PASSWORD)
    page.locator("form button[type='submit']").first.click()
    page.wait_for_url(f"{base}/admin/", timeout=WAIT)
    walk.collect()
    expect(page.locator("#main")).to_be_visible()

    walk.visit(f"{base}/admin/pages/{site_data['draft_id']}/edit/")
    expect(page.locator("form[data-edit-form], form#page-edit-form").first).to_be_visible(
        timeout=WAIT
    )
    # Wagtail's own scripts ran: the StreamField was built (the date pickers' scripts ran or
    # their refusal is among the violations).
    expect(page.locator("[data-streamfield-stream-container]").first).to_be_attached(timeout=WAIT)
    # A supporting document added in the editor: Wagtail inserts the new form, with its
    # chooser's start-up script, from a <template>.
    add_document = page.locator("#id_documents-ADD")
    if not add_document.is_visible():
        page.locator("[role='tab']", has=page.locator("text=/Nội dung|Content/")).first.click()
    add_document.click()
    expect(page.locator("#id_documents-0-document")).to_be_attached(timeout=WAIT)
    walk.collect()
    walk.visit(f"{base}/admin/consult/answers/{site_data['draft_id']}/")
    expect(page.locator("table[data-inbox] tbody tr").first).to_be_visible(timeout=WAIT)
    walk.visit(f"{base}/admin/consult/moderation/")
    walk.visit(f"{base}/django-admin/login/")
    walk.visit(f"{base}/tai-khoan/gop-y/")
    walk.visit(f"{base}/co-quan/")
    walk.visit(f"{consultation.url}bao-cao/")

    # The public draft page: the clause's conversation opens in place, and a comment is sent.
    walk.visit(consultation.url)
    link = page.locator(f"[id='{CLAUSE}'] > .provision__text > a.fb-link")
    link.click()
    inline = page.locator(f"[id='{CLAUSE}'] > .thread-inline")
    expect(inline).to_be_visible(timeout=WAIT)
    expect(inline.locator("article.comment")).to_have_count(1, timeout=WAIT)
    form = inline.locator("#feedback-form form")
    form.locator("input[name='stance'][value='disagree']").check()
    form.locator("textarea[name='comment']").fill(COMMENT)
    form.locator("button[type='submit']").click()
    page.wait_for_url(re.compile(r"/gop-y/" + CLAUSE + r"/"), timeout=WAIT)
    walk.collect()
    expect(page.locator("article.comment", has_text=COMMENT)).to_have_count(1, timeout=WAIT)

    # The public sign-in and sign-up forms, signed out.
    page.context.clear_cookies()
    walk.visit(f"{base}/tai-khoan/login/")
    walk.visit(f"{base}/tai-khoan/signup/")

    # An unknown address: the site's 404 page, under the policy too.
    response = page.goto(f"{base}/khong-co-trang-nay/")
    assert response.status == 404
    walk.collect()

    walk.assert_clean()
