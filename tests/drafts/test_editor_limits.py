"""Where the editor draws its lines (drafts/editing.py): a short draft keeps its whole text in
the page editor and saves it there; a long one is cut into parts at its chapters and into runs
of at most 100 provisions; and a request of too many fields is answered with a page that says
nothing was saved."""

import re

import pytest
from django.test import Client

from drafts.models import DraftPage, Provision
from tests import factories
from tests.drafts.test_editor_parts import page_form_data, stream_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(group, agency):
    person = factories.UserFactory(username="bientap.ngan")
    person.groups.add(group)
    agency.staff.add(person)
    return person


def _article(number: str, clauses: int = 1, points: int = 0) -> dict:
    letters = "abcdefghiklmnopqrstuvxy"
    return factories.article_block(
        number,
        f"Tieu de {number}",
        [
            (str(c), f"Khoản {c}.", [(letters[p % len(letters)], "điểm;") for p in range(points)])
            for c in range(1, clauses + 1)
        ],
    )


def test_short_draft_saves_and_publishes_its_whole_text_from_the_page_editor(draft, editor):
    client = Client()
    client.force_login(editor)
    html = client.get(f"/admin/pages/{draft.pk}/edit/").content.decode()
    assert "data-draft-text-outline" not in html
    body = list(draft.body.raw_data)
    article = next(b for b in body if b["type"] == "article" and b["value"]["number"] == "2")
    article["value"]["title"] = "Đối tượng áp dụng (sửa)"
    data = page_form_data(html) | stream_fields(body) | {"action-publish": "1"}
    assert client.post(f"/admin/pages/{draft.pk}/edit/", data).status_code == 302
    row = Provision.objects.get(version__page=draft, anchor="dieu-2")
    assert row.title == "Đối tượng áp dụng (sửa)"
    assert str(row.key) == article["id"]


def test_long_text_is_cut_at_chapters_and_into_runs_of_at_most_100_provisions(home, agency, editor):
    body = [
        {"type": "paragraph", "id": "00000000-0000-4000-8000-000000000001", "value": "Căn cứ;"},
        factories.heading_block("part", "thứ nhất", "QUY ĐỊNH CHUNG"),
        factories.heading_block("chapter", "I", "PHẠM VI"),
        *[_article(str(n), clauses=2) for n in range(1, 4)],
        factories.heading_block("chapter", "II", "HỢP ĐỒNG"),
        _article("4", clauses=10, points=11),  # 121 provisions: a run of its own
        *[_article(str(n), clauses=3, points=3) for n in range(5, 15)],  # 13 each
    ]
    page = factories.draft_page(parent=home, agency=agency, body=body)
    client = Client()
    client.force_login(editor)
    html = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    parts = re.findall(r'data-text-part="([\w-]+)"', html)
    # The preamble; "Phần thứ nhất" with its first chapter; Chương II with its large article;
    # then runs of at most 100 provisions: Điều 5–11 (91), Điều 12–14 (39).
    assert parts == ["doan-1", "phan-1", "chuong-2", "dieu-5", "dieu-12"]
    assert "Chương II (tiếp theo)" in html
    assert "Điều 5–11" in html and "Điều 12–14" in html


def test_the_part_editor_of_a_long_chapter_opens_its_run_only(home, agency, editor):
    body = [factories.heading_block("chapter", "I", "CHUNG")] + [
        _article(str(n), clauses=3, points=3) for n in range(1, 31)
    ]
    page = factories.draft_page(parent=home, agency=agency, body=body)
    client = Client()
    client.force_login(editor)
    html = client.get(f"/admin/drafts/{page.pk}/text/dieu-8/").content.decode()
    numbers = re.findall(r"Tieu de (\d+)", html)
    assert sorted(set(numbers), key=int) == [str(n) for n in range(8, 15)]
    gone = client.get(f"/admin/drafts/{page.pk}/text/dieu-9/")
    assert gone.status_code == 302 and gone["Location"] == f"/admin/pages/{page.pk}/edit/"


def test_too_many_fields_get_a_page_that_says_nothing_was_saved(draft, editor):
    client = Client(raise_request_exception=False)
    client.force_login(editor)
    revisions = draft.revisions.count()
    fields = {f"f{n}": "x" for n in range(20_001)}
    response = client.post(f"/admin/pages/{draft.pk}/edit/", fields)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-error="400"' in html
    assert "chưa có gì được lưu" in html
    assert DraftPage.objects.get(pk=draft.pk).revisions.count() == revisions
