"""The drafting agency's published answers where the public reads comments: under each comment
of a conversation and on the author's "my feedback" page, with the kept earlier wording of a
changed answer, and the author's one rating of it."""

import re
from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consult.answers import services as responses
from consult.answers.models import Decision, Response, Satisfaction
from drafts.models import Provision
from tests import factories
from tests.factories import make_feedback

pytestmark = pytest.mark.django_db

CLAUSE = "dieu-2-khoan-2"


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
def author(db):
    return factories.UserFactory(username="tacgia", email="tacgia@example.vn")


@pytest.fixture
def clause(draft) -> Provision:
    return Provision.objects.get(version__page=draft, anchor=CLAUSE, withdrawn=False)


@pytest.fixture
def thread_url(draft):
    return f"{draft.url}gop-y/{CLAUSE}/"


def comment_html(html: str, pk: int) -> str:
    """The markup of one comment of a conversation page."""
    match = re.search(rf'<article[^>]*id="c{pk}".*?</article>', html, re.S)
    assert match, f"comment {pk} is not on the page"
    return match.group(0)


def answer(drafter, draft, comments, *, decision=Decision.PARTLY, reason="Tiếp thu một phần.",
           publish=False):  # fmt: skip
    return responses.response_create(
        user=drafter, draft=draft, feedback_ids=[c.pk for c in comments], decision=decision,
        reason=reason, publish=publish,
    )  # fmt: skip


def test_an_answer_appears_under_each_comment_it_covers_once_published(
    client, draft, drafter, clause, thread_url
):
    covered = [make_feedback(draft, provision=clause, text=f"Ý kiến {n}") for n in range(2)]
    other = make_feedback(draft, provision=clause, text="Ý kiến khác")
    response = answer(drafter, draft, covered, reason="Ban soạn thảo đã sửa khoản 2.")

    html = client.get(thread_url).content.decode()
    assert "Ban soạn thảo đã sửa khoản 2." not in html
    assert 'class="answer' not in html

    responses.response_publish(user=drafter, responses=[response])
    response.refresh_from_db()

    html = client.get(thread_url).content.decode()
    for comment in covered:
        item = comment_html(html, comment.pk)
        assert item.count("Ban soạn thảo đã sửa khoản 2.") == 1
        assert 'class="decision decision--partly"' in item and "Partly accepted" in item
        assert "Bộ Tài nguyên và Môi trường" in item
        assert "changed on" not in item
    assert 'class="answer' not in comment_html(html, other.pk)


def test_the_publication_date_is_vietnam_time(client, draft, drafter, clause, thread_url):
    comment = make_feedback(draft, provision=clause)
    response = answer(drafter, draft, [comment], publish=True)
    # 20:30 UTC on 1 March is 03:30 on 2 March in Hà Nội.
    Response.objects.filter(pk=response.pk).update(
        published_at=datetime(2025, 3, 1, 20, 30, tzinfo=UTC)
    )

    item = comment_html(client.get(thread_url).content.decode(), comment.pk)

    assert "02/03/2025" in item and "01/03/2025" not in item


def test_a_changed_answer_says_when_and_keeps_its_earlier_wordings(
    client, draft, drafter, clause, thread_url
):
    comment = make_feedback(draft, provision=clause)
    response = answer(drafter, draft, [comment], decision=Decision.NOTED, reason="Ghi nhận.",
                      publish=True)  # fmt: skip
    responses.response_update(
        user=drafter, response=response, decision=Decision.ACCEPTED, reason="Đã tiếp thu."
    )
    responses.response_update(
        user=drafter, response=response, decision=Decision.NOT_ACCEPTED, reason="Không phù hợp."
    )

    item = comment_html(client.get(thread_url).content.decode(), comment.pk)

    assert "Không phù hợp." in item and "decision--not_accepted" in item
    assert "changed on" in item
    history = re.search(r'<details class="answer__history">.*?</details>', item, re.S).group(0)
    assert "2 earlier wordings" in history
    assert history.index("Đã tiếp thu.") < history.index("Ghi nhận.")  # newest first
    assert "decision--noted" in history and "decision--accepted" in history


def test_only_the_signed_in_author_may_rate_an_answer_and_only_once(
    client, draft, drafter, author, clause, thread_url
):
    comment = make_feedback(draft, provision=clause, user=author)
    answer(drafter, draft, [comment], publish=True)
    rate_url = reverse("answers:rate", args=[comment.pk])

    assert rate_url not in client.get(thread_url).content.decode()  # anonymous
    outsider = factories.UserFactory(username="nguoikhac")
    client.force_login(outsider)
    assert rate_url not in client.get(thread_url).content.decode()
    assert client.post(rate_url, {"satisfied": "yes"}).status_code == 403
    assert not Satisfaction.objects.exists()

    client.force_login(author)
    assert f'action="{rate_url}"' in comment_html(
        client.get(thread_url).content.decode(), comment.pk
    )
    response = client.post(rate_url, {"satisfied": "no", "note": "Chưa trả lời câu hỏi."})
    assert response.status_code == 302
    assert response.url == f"{thread_url}#c{comment.pk}"
    rating = Satisfaction.objects.get(feedback=comment)
    assert (rating.satisfied, rating.note) == (False, "Chưa trả lời câu hỏi.")

    item = comment_html(client.get(thread_url).content.decode(), comment.pk)
    assert "You said this answer did not satisfy you." in item
    assert rate_url not in item

    page = client.post(rate_url, {"satisfied": "yes"}, follow=True).content.decode()
    assert "You have already said whether this answer satisfied you." in page
    assert Satisfaction.objects.get(feedback=comment).satisfied is False


def test_an_unpublished_answer_cannot_be_rated(client, draft, drafter, author, clause):
    comment = make_feedback(draft, provision=clause, user=author)
    answer(drafter, draft, [comment])
    client.force_login(author)

    page = client.post(
        reverse("answers:rate", args=[comment.pk]), {"satisfied": "yes"}, follow=True
    ).content.decode()

    assert "This comment has no published answer yet." in page
    assert not Satisfaction.objects.exists()


def test_my_feedback_shows_the_answer_and_rating_comes_back_to_it(
    client, draft, drafter, author, clause
):
    answered = make_feedback(draft, provision=clause, user=author, text="Đã được trả lời")
    waiting = make_feedback(draft, provision=clause, user=author, text="Chưa xong")
    answer(drafter, draft, [answered], decision=Decision.ACCEPTED, reason="Đã sửa.", publish=True)
    answer(drafter, draft, [waiting], decision=Decision.NOTED, reason="Bản nháp trả lời.")
    page_url = reverse("consult_account:my_feedback")
    client.force_login(author)

    html = client.get(page_url).content.decode()
    item = re.search(rf'<li[^>]*id="c{answered.pk}".*?</li>\s*(?=<li|</ol>)', html, re.S).group(0)
    assert "Đã sửa." in item and "decision--accepted" in item
    assert "Bản nháp trả lời." not in html

    response = client.post(
        reverse("answers:rate", args=[answered.pk]), {"satisfied": "yes", "next": page_url}
    )
    assert response.url == page_url
    assert "You said this answer satisfied you." in client.get(page_url).content.decode()

    elsewhere = client.post(
        reverse("answers:rate", args=[answered.pk]),
        {"satisfied": "yes", "next": "https://example.com/"},
    )
    assert not elsewhere.url.startswith("https://example.com")


def test_answers_cost_no_query_per_comment(client, draft, drafter, author, clause, thread_url):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(thread_url).status_code == 200
        return len(captured)

    def add_answered(n: int) -> None:
        for i in range(n):
            comment = make_feedback(draft, provision=clause, user=author, text=f"Ý kiến {i}")
            response = answer(drafter, draft, [comment], publish=True)
            responses.response_update(
                user=drafter, response=response, decision=Decision.NOTED, reason=f"Sửa {i}."
            )

    client.force_login(author)
    add_answered(2)
    queries()  # warm the site's caches
    few = queries()
    add_answered(10)
    many = queries()

    assert many == few
    assert client.get(thread_url).content.decode().count('class="answer__history"') == 12
