"""Comments follow the text: on Dự thảo 2, a provision's conversation, its figures and the
report hold the comments made on it in Dự thảo 1 (same key), each saying which version it
was made on and, where the text changed since, what it read."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from consult.feedback.models import Feedback
from drafts.models import DraftPage
from tests import factories
from tests.consult.posting import post_feedback
from tests.drafts.test_versions_pages import publish_next_version, revise

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen(db):
    return factories.UserFactory(username="nguoidan", email="nguoidan@example.vn")


def comment(client, page, anchor: str, text: str, stance: str = "question") -> Feedback:
    response, _ = post_feedback(client, f"{page.url}gop-y/{anchor}/", comment=text, stance=stance)
    assert response.status_code == 302, re.findall(
        r"role=\"alert\">(.*?)</", response.content.decode()
    )
    return Feedback.objects.get(comment=text)


@pytest.fixture
def two_versions(client, draft, citizen):
    """Two comments on Dự thảo 1 (one on the clause Dự thảo 2 rewords, one on a clause it
    keeps), then Dự thảo 2 published."""
    client.force_login(citizen)
    reworded = comment(client, draft, "dieu-2-khoan-1", "Cần nêu cả tổ chức chính trị.", "disagree")
    kept = comment(client, draft, "dieu-5-khoan-1", "Nguyên tắc quá chung chung.", "disagree")
    revised = publish_next_version(draft, revise)
    return revised, reworded, kept


def thread(client, page, anchor: str) -> str:
    response = client.get(f"{page.url}gop-y/{anchor}/")
    assert response.status_code == 200
    return response.content.decode()


def comment_html(html: str, feedback: Feedback) -> str:
    return html.split(f'id="c{feedback.pk}"', 1)[1].split("</article>", 1)[0]


def test_a_comment_on_text_changed_since_is_marked_with_the_text_it_was_made_on(
    client, two_versions
):
    revised, reworded, _kept = two_versions
    html = thread(client, revised, "dieu-3-khoan-1")  # Khoản 1 Điều 2 of Dự thảo 1
    assert "Khoản 1 Điều 3" in html
    assert "Cơ quan nhà nước và tổ chức chính trị." in html  # the current text
    item = comment_html(html, reworded)
    assert "Cần nêu cả tổ chức chính trị." in item
    assert "Góp ý trên Dự thảo 1" in item
    earlier = item.split("<details", 1)[1].split("</details>", 1)[0]
    assert "Cơ quan nhà nước." in earlier and "tổ chức chính trị" not in earlier


def test_a_comment_on_unchanged_text_shows_its_version_unmarked(client, two_versions):
    revised, _reworded, kept = two_versions
    item = comment_html(thread(client, revised, "dieu-5-khoan-1"), kept)
    assert "Nguyên tắc quá chung chung." in item
    assert "Dự thảo 1" in item
    assert "Góp ý trên Dự thảo 1" not in item
    assert '<details class="comment__earlier-text"' not in item


def test_comments_of_both_versions_in_one_conversation(client, two_versions, citizen):
    revised, reworded, _kept = two_versions
    later = comment(client, revised, "dieu-3-khoan-1", "Đã tốt hơn.", "agree")
    html = thread(client, revised, "dieu-3-khoan-1")
    assert "Góp ý trên Dự thảo 1" in comment_html(html, reworded)
    newer = comment_html(html, later)
    assert "Dự thảo 2" in newer and "Góp ý trên" not in newer
    assert "2 góp ý" in html.split('class="stance-split"', 1)[1].split("</p>", 1)[0]


def test_the_draft_page_counts_the_comments_of_every_version(client, two_versions):
    revised, _reworded, _kept = two_versions
    client.logout()
    page = client.get(revised.url).content.decode()
    assert f'href="{revised.url}gop-y/dieu-3-khoan-1/">1 góp ý' in page
    assert f'href="{revised.url}gop-y/dieu-5-khoan-1/">1 góp ý' in page
    # Dự thảo 1's Điều 2 is Điều 3 now; its anchor names the new Điều 2, which has none.
    assert f'href="{revised.url}gop-y/dieu-2-khoan-1/">' not in page

    client.force_login(factories.UserFactory(username="nguoidan2"))
    comment(client, revised, "dieu-3-khoan-1", "Góp ý trên Dự thảo 2.", "agree")
    page = client.get(revised.url).content.decode()
    assert f'href="{revised.url}gop-y/dieu-3-khoan-1/">2 góp ý' in page


def test_a_hidden_comment_of_dự_thảo_1_is_counted_out_of_dự_thảo_2(client, two_versions):
    from consult.feedback.counters import feedback_changed

    revised, reworded, _kept = two_versions
    Feedback.objects.filter(pk=reworded.pk).update(is_removed=True)
    feedback_changed(draft_id=revised.pk, provision_ids=[reworded.provision_id])
    page = client.get(revised.url).content.decode()
    assert f'href="{revised.url}gop-y/dieu-3-khoan-1/">1 góp ý' not in page


def test_the_permalink_of_a_dự_thảo_1_comment_opens_the_current_conversation(client, two_versions):
    revised, reworded, _kept = two_versions
    response = client.get(f"/gop-y/{reworded.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"{revised.url}gop-y/dieu-3-khoan-1/#c{reworded.pk}"


@pytest.fixture
def clause_removed(client, draft, citizen):
    """A comment on Khoản 1 Điều 5 of Dự thảo 1 ("Nguyên tắc."), then Dự thảo 2 without that
    clause: its Khoản 2 becomes Khoản 1, the same anchor for another text."""
    from tests.drafts.test_versions_pages import article

    client.force_login(citizen)
    on_removed = comment(client, draft, "dieu-5-khoan-1", "Nguyên tắc nào?", "question")

    def drop_clause(body):
        clauses = article(body, "5")["value"]["clauses"]
        clauses.pop(0)
        clauses[0]["value"]["number"] = "1"

    revised = publish_next_version(draft, drop_clause)
    client.logout()
    return revised, on_removed


def test_the_permalink_of_a_comment_on_a_removed_provision_follows_its_key(client, clause_removed):
    """Not to the current Khoản 1 Điều 5, another provision where the comment is not shown,
    but to the read-only conversation of the Dự thảo 1 clause."""
    revised, on_removed = clause_removed
    now = thread(client, revised, "dieu-5-khoan-1")
    assert "Nguyên tắc nào?" not in now  # the current Khoản 1 is another provision
    response = client.get(f"/gop-y/{on_removed.pk}/")
    assert response.status_code == 302
    location = f"{revised.url}gop-y/dieu-5-khoan-1/?phien-ban=1#c{on_removed.pk}"
    assert response["Location"] == location
    html = client.get(location.split("#", 1)[0]).content.decode()
    assert f'id="c{on_removed.pk}"' in html and "Nguyên tắc nào?" in html
    assert '<blockquote class="provision-quote" lang="vi">Nguyên tắc.</blockquote>' in html
    assert "Quy định này của Dự thảo 1 không còn trong dự thảo hiện hành" in html
    assert f'href="{revised.url}phien-ban/1/#dieu-5-khoan-1"' in html
    assert 'id="feedback-form"' in html and "<textarea" not in html  # read-only
    assert "?reply=" not in html


def test_an_earlier_version_of_a_provision_still_in_the_draft_leads_to_its_conversation(
    client, two_versions
):
    revised, _reworded, _kept = two_versions
    response = client.get(f"{revised.url}gop-y/dieu-2-khoan-1/?phien-ban=1")
    assert response.status_code == 302
    assert response["Location"] == f"{revised.url}gop-y/dieu-3-khoan-1/"
    assert client.get(f"{revised.url}gop-y/dieu-2-khoan-1/?phien-ban=9").status_code == 404
    # The current number is the current conversation.
    assert "Khoản 1 Điều 3" in thread(client, revised, "dieu-3-khoan-1/?phien-ban=2")


def test_the_report_lists_dự_thảo_1_comments_under_the_current_provision(client, two_versions):
    revised, reworded, _kept = two_versions
    now = timezone.now()
    DraftPage.objects.filter(pk=revised.pk).update(
        opens_at=now - timedelta(days=40), closes_at=now - timedelta(days=1)
    )
    html = client.get(f"{revised.url}bao-cao/chuong-1/").content.decode()  # Chương I
    assert "Cần nêu cả tổ chức chính trị." in html
    before = html.split("Cần nêu cả tổ chức chính trị.", 1)[0]
    assert before.rfind("Khoản 1 Điều 3") > before.rfind("Điều 2")


def test_a_link_to_an_anchor_only_an_earlier_version_had_is_followed(client, two_versions):
    """A conversation link shared while Dự thảo 1 was current keeps working: to the same
    provision (by key) where it is now, or to its read-only conversation."""
    from drafts.models import Provision

    revised, _reworded, _kept = two_versions
    rows = Provision.objects.filter(version__page=revised, withdrawn=False)
    current = set(rows.filter(version__number=2).values_list("anchor", flat=True))
    gone = [row for row in rows.filter(version__number=1) if row.anchor not in current]
    assert gone, "the revision renumbers, so some Dự thảo 1 anchors are not current"
    for row in gone:
        response = client.get(f"{revised.url}gop-y/{row.anchor}/")
        assert response.status_code == 302
        now = rows.filter(version__number=2, key=row.key).first()
        expected = (
            f"{revised.url}gop-y/{now.anchor}/"
            if now
            else f"{revised.url}gop-y/{row.anchor}/?phien-ban=1"
        )
        assert response["Location"] == expected
    assert client.get(f"{revised.url}gop-y/dieu-99/").status_code == 404
