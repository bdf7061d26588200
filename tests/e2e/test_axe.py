"""axe-core finds no WCAG 2.2 A/AA violation on any public page type or main admin screen, on a
360 px phone and a 1280 px screen, each seen by the person who would use it (a visitor, a
signed-in citizen, an agency editor).

The data is built before the browser starts (no ORM while Playwright's loop runs: see the
conftest); people are signed in with session cookies made the same way.
"""

import pytest

from tests.e2e import axe

pytest.importorskip("playwright.sync_api")

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CLAUSE = "dieu-2-khoan-2"
WIDTHS = {
    "360": {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True},
    "1280": {"viewport": {"width": 1280, "height": 900}},
}
# Violations inside Wagtail's own admin markup that we do not reasonably change. Keep this short,
# each with its reason.
ADMIN_EXCLUSIONS = (
    axe.Exclusion(
        rule="label",
        selector="[data-streamfield-stream-container] textarea, [data-streamfield-child] input",
        reason="Wagtail's StreamField draws a simple block's input under the block's header, "
        "with no <label> of its own; the block's name is the header's text.",
    ),
    axe.Exclusion(
        rule="landmark-unique",
        selector="[data-streamfield-stream-container] section[id$='-section']",
        reason="Wagtail's StreamField wraps each block in a <section> named by its block type, "
        "so two articles are two regions called 'Article'; its markup, not ours.",
    ),
    axe.Exclusion(
        rule="scrollable-region-focusable",
        selector=".w-minimap__list",
        reason="Wagtail's page-editor minimap: a list of links to the panels, each focusable; "
        "the same links are reached in the form itself.",
    ),
)


def session_cookie(live_server_url: str, user) -> dict:
    """A Playwright cookie that signs `user` in on the live server."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server_url,
    }


@pytest.fixture
def site(consultation, live_server):
    """A consultation in its second version, with a conversation on a clause (a comment, a
    reply, two published answers), a published report, the search index built;
    a citizen who commented and an editor of the agency (the agency editors' group)."""
    from django.core.management import call_command

    from consult.answers import services as answers
    from consult.reports import services as reports
    from drafts.models import DraftPage, Provision
    from drafts.services import editor_group_ensure
    from tests import factories
    from tests.drafts.test_versions_pages import article, publish_next_version

    def reword(body):
        article(body, "5")["value"]["clauses"][0]["value"]["text"] = "Cơ quan nhà nước các cấp."

    draft = DraftPage.objects.get(title=consultation.title)
    draft = publish_next_version(draft, reword)
    citizen = factories.UserFactory(username="minh")
    editor = factories.UserFactory(username="bientap")
    editor.groups.add(editor_group_ensure(home=draft.get_parent(), name="Biên tập viên"))
    draft.agency.staff.add(editor)
    provision = Provision.objects.get(
        version__page=draft, version__number=2, anchor=CLAUSE, withdrawn=False
    )
    comment = factories.make_feedback(
        draft, provision=provision, user=citizen, text="Nên nói rõ tổ chức nào."
    )
    factories.make_feedback(
        draft, provision=provision, text="Đồng ý, cần liệt kê.", parent_id=comment.pk, level=1
    )
    other = factories.make_feedback(
        draft, provision=provision, text="Bổ sung người định cư ở nước ngoài.", stance="disagree"
    )
    # Two answers on one page, with two decisions (their chips and landmarks side by side).
    for feedback, decision in ((comment, "accepted"), (other, "partly")):
        response = answers.response_create(
            user=editor,
            draft=draft,
            feedback_ids=[feedback.pk],
            decision=decision,
            reason="Ban soạn thảo đã sửa theo hướng liệt kê rõ.",
        )
        answers.response_publish(user=editor, responses=[response])
    reports.report_publish(user=editor, draft=draft, introduction="Báo cáo tổng hợp ý kiến.")
    call_command("search_reindex", stdout=open("/dev/null", "w"))  # noqa: SIM115

    base = live_server.url
    draft_url = f"{base}{draft.url}"
    index = draft.get_parent()
    return {
        "public": {
            "home": f"{base}/",
            "consultation index": f"{base}{index.url}",
            "draft page": draft_url,
            "version page": f"{draft_url}phien-ban/1/",
            "version comparison": f"{draft_url}so-sanh/1-2/",
            "conversation page": f"{draft_url}gop-y/{CLAUSE}/",
            "search results": f"{draft_url}tim-kiem/?q=t%E1%BB%95+ch%E1%BB%A9c",
            "report page": f"{draft_url}bao-cao/",
            "accountability page": f"{base}/co-quan/",
            "sign-up": f"{base}/tai-khoan/signup/",
            "login": f"{base}/tai-khoan/login/",
            "error page 404": f"{base}/khong-co-trang-nay/",
        },
        "citizen": {
            "my feedback": f"{base}/tai-khoan/gop-y/",
            # Signed in, the conversation has the comment form and the endorse and flag forms.
            "conversation page, signed in": f"{draft_url}gop-y/{CLAUSE}/",
            "reply form, signed in": f"{draft_url}gop-y/{CLAUSE}/?reply={comment.pk}",
            # The conversation opened in place under its clause (draft.js), form included.
            "draft page, conversation open, signed in": draft_url,
        },
        "admin": {
            "dashboard": f"{base}/admin/",
            "page explorer": f"{base}/admin/pages/{index.pk}/",
            "page editor of a draft": f"{base}/admin/pages/{draft.pk}/edit/",
            "answers inbox": f"{base}/admin/consult/answers/{draft.pk}/",
            "moderation queue": f"{base}/admin/consult/moderation/",
            "reports": f"{base}/admin/consult/report-exports/",
            "report publish screen": f"{base}/admin/consult/answers/{draft.pk}/report/",
            "staff search": f"{base}/admin/search/feedback/?draft={draft.pk}&q=t%E1%BB%95",
        },
        "cookies": {
            "public": [],
            "citizen": [session_cookie(base, citizen)],
            "admin": [session_cookie(base, editor)],
        },
    }


@pytest.fixture
def browser(site, browser):
    """Started once the data above exists (see the conftest on the ORM and Playwright)."""
    return browser


def audit(
    new_page, pages: dict[str, str], cookies: list[dict], exclusions=(), *, references=True
) -> list[str]:
    """Every page at both widths: a line per violation, naming the page and width; with
    `references`, also ids used twice and ARIA/label references to missing ids."""
    if not axe.axe_installed():
        pytest.fail("axe-core is not installed: run `npm ci --prefix tests/e2e` (make test does)")
    problems = []
    for width, options in WIDTHS.items():
        # The site's CSP allows no inline script: axe is injected past it, in these contexts only.
        page = new_page(bypass_csp=True, **options)
        page.context.add_cookies(cookies)
        for name, url in pages.items():
            response = page.goto(url)
            assert response is not None
            if name == "error page 404":
                assert response.status == 404, f"{name}: {response.status}"
            else:
                assert response.status == 200, f"{name} {url}: {response.status}"
                assert page.url.split("?")[0] == url.split("?")[0], f"{name}: sent to {page.url}"
            if "conversation open" in name:
                page.locator(f"[id='{CLAUSE}'] > .provision__text > a.fb-link").click()
                page.locator(".thread-inline textarea[name='comment']").wait_for()
            if "signed in" in name:  # what the page is audited for is there
                assert page.locator("#feedback-form textarea[name='comment']").count() == 1, name
            for violation in axe.violations(page, exclusions=exclusions):
                problems.append(f"{name} at {width}px ({url}): {violation.describe()}")
            if references:
                for problem in axe.broken_references(page):
                    problems.append(f"{name} at {width}px ({url}): {problem}")
    return problems


def test_public_pages_have_no_axe_violations(site, new_page):
    problems = audit(new_page, site["public"], site["cookies"]["public"])
    problems += audit(new_page, site["citizen"], site["cookies"]["citizen"])
    assert not problems, "axe violations:\n" + "\n".join(problems)


def test_admin_screens_have_no_axe_violations(site, new_page):
    # Wagtail's admin markup is its own: only axe's rules there.
    problems = audit(
        new_page, site["admin"], site["cookies"]["admin"], ADMIN_EXCLUSIONS, references=False
    )
    assert not problems, "axe violations:\n" + "\n".join(problems)
