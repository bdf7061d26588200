"""The public synthesis report through HTTP: in the order of the draft, with figures per
provision, split by chapter when the draft has chapters, only published comments and answers,
and a cost that does not grow with the number of comments."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from consult.answers import services as responses
from consult.answers.models import Decision
from consult.reports import selectors as report
from consult.reports import services as reports
from drafts.models import Provision
from tests import factories
from tests.factories import make_feedback

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client):
    """A visitor who chose English, so the assertions read the msgids, not their translation."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def drafter(agency):
    user = factories.UserFactory(username="drafter")
    agency.staff.add(user)
    return user


@pytest.fixture
def articles_only(home, agency):
    """A short draft without chapters: its report is one page."""
    body = [
        factories.article_block("1", "Phạm vi", intro="Phạm vi điều chỉnh."),
        factories.article_block("2", "Giải thích", [("1", "Một.", []), ("2", "Hai.", [])]),
        factories.article_block("3", "Hiệu lực", intro="Có hiệu lực từ ngày ký."),
    ]  # fmt: skip
    return factories.draft_page(parent=home, agency=agency, title="Dự thảo ngắn", body=body)


def at(draft, anchor: str) -> Provision:
    return Provision.objects.get(
        version__page=draft, version__number=draft.version_number, anchor=anchor
    )


def get(client, draft, part: str = "", query: str = ""):
    url = f"{draft.url}bao-cao/{part + '/' if part else ''}{query}"
    return client.get(url)


def html_of(client, draft, part: str = "", query: str = "") -> str:
    response = get(client, draft, part, query)
    assert response.status_code == 200
    return response.content.decode()


def group_ids(html: str) -> list[str]:
    return re.findall(r'<section class="report-group[^"]*" id="([^"]+)"', html)


def comment_ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<li class="report-comment" id="c(\d+)"', html)]


def group_html(html: str, group_id: str) -> str:
    match = re.search(
        rf'<section class="report-group[^"]*" id="{group_id}".*?</section>'
        r'\s*(?=<section class="report-group|<h2|<nav|</article>)',
        html,
        re.S,
    )
    assert match, f"no group {group_id}"
    return match.group(0)


def figure(html: str, attribute: str, value: str) -> int:
    return int(re.search(rf'data-{attribute}="{value}" data-count="(\d+)"', html).group(1))


def test_the_report_follows_the_order_of_the_draft_then_the_draft_as_a_whole(client, articles_only):
    draft = articles_only
    # Written in the reverse of the text's order.
    whole = make_feedback(draft, text="Về cả dự thảo")
    third = make_feedback(draft, provision=at(draft, "dieu-3"), text="Điều 3")
    clause = make_feedback(draft, provision=at(draft, "dieu-2-khoan-2"), text="Khoản 2")
    first_late = make_feedback(draft, provision=at(draft, "dieu-1"), text="Điều 1 sau")
    first_early = make_feedback(draft, provision=at(draft, "dieu-1"), text="Điều 1 trước")
    type(first_early).objects.filter(pk=first_early.pk).update(
        submit_date=first_late.submit_date - timedelta(hours=1)
    )

    html = html_of(client, draft)

    assert group_ids(html) == ["dieu-1", "dieu-2-khoan-2", "dieu-3", "toan-van"]
    assert comment_ids(html) == [first_early.pk, first_late.pk, clause.pk, third.pk, whole.pk]
    assert "Contents" not in html  # no chapters, no table of contents
    assert get(client, draft, "chuong-1").status_code == 404


def test_figures_by_stance_and_respondent_type_count_published_top_level_comments(client, draft):
    clause = at(draft, "dieu-2-khoan-2")
    make_feedback(draft, provision=clause, stance="agree")
    make_feedback(draft, provision=clause, stance="agree", province="ha-noi")
    make_feedback(draft, provision=clause, stance="disagree", respondent_type="business",
                  organisation="Công ty Đất Việt")  # fmt: skip
    root = make_feedback(draft, provision=clause, stance="change", respondent_type="expert")
    make_feedback(draft, provision=clause, stance="agree", parent_id=root.pk, text="Trả lời")
    make_feedback(draft, provision=clause, stance="agree", is_public=False)
    make_feedback(draft, provision=clause, stance="question", is_removed=True)
    make_feedback(draft, provision=clause, stance="question", email_confirmed=False)

    html = html_of(client, draft, "chuong-1")
    group = group_html(html, "dieu-2-khoan-2")

    assert 'data-total="4"' in group
    assert [figure(group, "stance", s) for s in ("agree", "disagree", "change", "question")] == [
        2, 1, 1, 0
    ]  # fmt: skip
    assert figure(group, "respondent", "citizen") == 2
    assert figure(group, "respondent", "business") == 1
    assert figure(group, "respondent", "expert") == 1
    assert "Công ty Đất Việt" in group
    assert "Trả lời" not in group
    totals = html_of(client, draft)
    assert '<dl class="report-figures" data-total="4" data-answered="0">' in totals


def test_a_draft_with_chapters_is_reported_a_chapter_at_a_time(client, draft, drafter):
    in_one = make_feedback(draft, provision=at(draft, "dieu-2"), text="Chương một")
    in_two = [
        make_feedback(draft, provision=at(draft, "dieu-5-khoan-1"), text=f"Chương hai {n}")
        for n in range(3)
    ]
    preamble = make_feedback(draft, provision=at(draft, "doan-1"), text="Về căn cứ")
    whole = make_feedback(draft, text="Về cả dự thảo")
    responses.response_create(
        user=drafter, draft=draft, feedback_ids=[in_two[0].pk, in_two[1].pk],
        decision=Decision.ACCEPTED, publish=True,
    )  # fmt: skip

    index = html_of(client, draft)
    toc = re.search(r'<nav class="report-toc".*?</nav>', index, re.S).group(0)
    assert re.findall(r'data-unit="([^"]+)" data-total="(\d+)" data-answered="(\d+)"', toc) == [
        ("chuong-1", "1", "0"), ("chuong-2", "3", "2")
    ]  # fmt: skip
    assert f"{draft.url}bao-cao/chuong-2/" in toc
    assert comment_ids(index) == [preamble.pk, whole.pk]
    assert '<dl class="report-figures" data-total="6" data-answered="2">' in index
    assert figure(index, "decision", "accepted") == 2

    chapter_two = html_of(client, draft, "chuong-2")
    assert comment_ids(chapter_two) == [c.pk for c in in_two]
    assert "Chương một" not in chapter_two and "Về cả dự thảo" not in chapter_two
    assert f"{draft.url}bao-cao/chuong-1/" in chapter_two  # the previous chapter
    assert comment_ids(html_of(client, draft, "chuong-1")) == [in_one.pk]

    assert get(client, draft, "chuong-9").status_code == 404
    assert get(client, draft, "dieu-5").status_code == 404  # an article is not a chapter


def test_only_published_comments_and_published_answers_are_reported(client, draft, drafter):
    clause = at(draft, "dieu-2-khoan-2")
    published = make_feedback(draft, provision=clause, text="Công khai")
    private_answer = make_feedback(draft, provision=clause, text="Có trả lời chưa công bố")
    for text, extra in [("Chờ duyệt", {"is_public": False}), ("Đã gỡ", {"is_removed": True}),
                        ("Chưa xác nhận", {"email_confirmed": False})]:  # fmt: skip
        make_feedback(draft, provision=clause, text=text, **extra)
    responses.response_create(
        user=drafter, draft=draft, feedback_ids=[published.pk], decision=Decision.NOT_ACCEPTED,
        reason="Không phù hợp với Hiến pháp.", publish=True,
    )  # fmt: skip
    responses.response_create(
        user=drafter, draft=draft, feedback_ids=[private_answer.pk], decision=Decision.ACCEPTED,
        reason="Lý do chưa công bố.",
    )  # fmt: skip

    html = html_of(client, draft, "chuong-1")

    assert comment_ids(html) == [published.pk, private_answer.pk]
    for hidden in ("Chờ duyệt", "Đã gỡ", "Chưa xác nhận", "Lý do chưa công bố."):
        assert hidden not in html
    assert "Không phù hợp với Hiến pháp." in html and "decision--not_accepted" in html
    assert 'data-answered="1"' in group_html(html, "dieu-2-khoan-2")


def test_the_header_says_whether_the_report_is_published(client, draft, drafter):
    html = html_of(client, draft)
    assert "Bộ Tài nguyên và Môi trường" in html
    assert "report-status--provisional" in html and "Not yet published as final" in html

    reports.report_publish(
        user=drafter, draft=draft, introduction="Ban soạn thảo đã nhận 120 ý kiến."
    )

    html = html_of(client, draft)
    assert "report-status--published" in html and "Not yet published" not in html
    assert "Ban soạn thảo đã nhận 120 ý kiến." in html


def test_feedback_on_an_earlier_version_goes_under_the_same_provision_or_apart(client, draft):
    kept = make_feedback(draft, provision=at(draft, "dieu-1"), text="Về Điều 1 bản 1")
    dropped = make_feedback(draft, provision=at(draft, "dieu-2"), text="Về Điều 2 bản 1")
    page = draft.get_latest_revision_as_object()
    page.version_number = 2
    page.body = [
        dict(block) for block in page.body.raw_data
        if not (block["type"] == "article" and block["value"]["number"] == "2")
    ]  # fmt: skip
    page.save_revision().publish()
    draft.refresh_from_db()
    newer = make_feedback(draft, provision=at(draft, "dieu-1"), text="Về Điều 1 bản 2")

    chapter = html_of(client, draft, "chuong-1")
    assert group_ids(chapter) == ["dieu-1"]
    assert comment_ids(chapter) == [kept.pk, newer.pk]
    assert "Về Điều 2 bản 1" not in chapter

    index = html_of(client, draft)
    assert comment_ids(index) == [dropped.pk]
    earlier = group_html(index, f"truoc-{at_version(draft, 1, 'dieu-2').key}")
    assert "Điều 2" in earlier and "Draft 1; no longer in the current draft" in earlier


def at_version(draft, number: int, anchor: str) -> Provision:
    return Provision.objects.get(version__page=draft, version__number=number, anchor=anchor)


def test_a_long_chapter_comes_a_page_of_comments_at_a_time(client, draft, monkeypatch):
    monkeypatch.setattr(report, "COMMENTS_PER_PAGE", 3)
    # Written before the comments on the article above it: pages follow the text, not the dates.
    second = [make_feedback(draft, provision=at(draft, "dieu-2")) for _ in range(3)]
    first = [make_feedback(draft, provision=at(draft, "dieu-1")) for _ in range(4)]

    pages = [html_of(client, draft, "chuong-1", f"?trang={n}") for n in (1, 2, 3)]

    assert [comment_ids(page) for page in pages] == [
        [c.pk for c in first[:3]], [first[3].pk] + [c.pk for c in second[:2]], [second[2].pk]
    ]  # fmt: skip
    assert group_ids(pages[1]) == ["dieu-1", "dieu-2"]
    assert "(continued)" in group_html(pages[1], "dieu-1")
    assert "(continued)" not in group_html(pages[1], "dieu-2")
    assert "Page 2 of 3" in pages[1] and "?trang=3" in pages[1]
    assert comment_ids(html_of(client, draft, "chuong-1", "?trang=99")) == [second[2].pk]
    assert comment_ids(html_of(client, draft, "chuong-1", "?trang=x")) == comment_ids(pages[0])


def test_a_chapter_page_costs_the_same_queries_for_few_comments_or_many(client, draft, drafter):
    provisions = [at(draft, a) for a in ("dieu-1", "dieu-2", "dieu-2-khoan-1", "dieu-2-khoan-2")]

    def add(n: int) -> None:
        comments = [
            make_feedback(draft, provision=provisions[i % 4], stance="disagree",
                          respondent_type="expert")
            for i in range(n)
        ]  # fmt: skip
        for comment in comments[::2]:
            response = responses.response_create(
                user=drafter, draft=draft, feedback_ids=[comment.pk], decision=Decision.NOTED,
                publish=True,
            )  # fmt: skip
            responses.response_update(
                user=drafter, response=response, decision=Decision.ACCEPTED, reason="Đã sửa."
            )

    def queries(part: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert get(client, draft, part).status_code == 200
        return len(captured)

    add(4)
    queries("chuong-1")  # warm the site's caches
    few = queries("chuong-1"), queries("")
    add(40)
    many = queries("chuong-1"), queries("")

    assert many == few
    assert len(comment_ids(html_of(client, draft, "chuong-1"))) == 44


def test_the_draft_page_links_to_the_report_once_there_is_something_to_read(
    client, home, agency, draft, drafter
):
    link = f'href="{draft.url}bao-cao/"'
    assert link not in client.get(draft.url).content.decode()

    comment = make_feedback(draft, provision=at(draft, "dieu-1"))
    response = responses.response_create(
        user=drafter, draft=draft, feedback_ids=[comment.pk], decision=Decision.NOTED
    )
    assert link not in client.get(draft.url).content.decode()  # not published yet
    responses.response_publish(user=drafter, responses=[response])
    assert link in client.get(draft.url).content.decode()

    now = timezone.now()
    closed = factories.draft_page(
        parent=home, agency=agency, title="Đã đóng", opens_at=now - timedelta(days=30),
        closes_at=now - timedelta(days=1),
    )  # fmt: skip
    assert f'href="{closed.url}bao-cao/"' in client.get(closed.url).content.decode()
