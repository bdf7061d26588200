"""The public draft page: structure, anchors, table of contents, status, print view."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from drafts.models import Provision
from tests import factories

pytestmark = pytest.mark.django_db


def ids_in(html: str) -> list[str]:
    return re.findall(r'\sid="([^"]+)"', html)


def test_every_provision_has_its_anchor(client, draft):
    response = client.get(draft.url)
    assert response.status_code == 200
    ids = ids_in(response.content.decode())
    for anchor in [
        "doan-1",
        "chuong-1",
        "dieu-1",
        "dieu-2",
        "dieu-2-khoan-1",
        "dieu-2-khoan-2",
        "dieu-2-khoan-2-diem-a",
        "dieu-2-khoan-2-diem-dd",
        "chuong-2",
        "chuong-2-muc-1",
        "dieu-5",
        "dieu-5-khoan-2-diem-a1",
        "dieu-5a",
    ]:
        assert anchor in ids, anchor
    assert len(ids) == len(set(ids)), "anchors must be unique on the page"


def test_table_of_contents_links_chapters_sections_and_articles(client, draft):
    html = client.get(draft.url).content.decode()
    toc = html.split('class="toc__list"', 1)[1].split("</ol>", 1)[0]
    links = re.findall(r'href="#([^"]+)"', toc)
    assert links == [
        "chuong-1",
        "dieu-1",
        "dieu-2",
        "chuong-2",
        "chuong-2-muc-1",
        "dieu-5",
        "dieu-5a",
    ]


def test_page_shows_text_agency_and_status(client, draft):
    html = client.get(draft.url).content.decode()
    assert "Bộ Tài nguyên và Môi trường" in html
    assert "Người nước ngoài" in html
    assert "status--open" in html
    assert re.search(r"30 ngày|29 ngày", html), "days left shown in Vietnamese"


@pytest.mark.parametrize(
    ("opens", "closes", "css"),
    [(-10, -1, "status--closed"), (3, 20, "status--upcoming"), (-1, 1, "status--open")],
)
def test_status_follows_the_consultation_window(client, home, agency, opens, closes, css):
    now = timezone.now()
    page = factories.draft_page(
        parent=home,
        agency=agency,
        opens_at=now + timedelta(days=opens),
        closes_at=now + timedelta(days=closes),
    )
    assert css in client.get(page.url).content.decode()


def test_english_interface_on_request(client, draft):
    client.post("/i18n/setlang/", {"language": "en", "next": draft.url})
    html = client.get(draft.url).content.decode()
    assert 'lang="en"' in html
    assert "Drafting agency" in html
    client.post("/i18n/setlang/", {"language": "vi", "next": draft.url})
    html = client.get(draft.url).content.decode()
    assert 'lang="vi"' in html
    assert "Cơ quan chủ trì soạn thảo" in html


def test_print_view_shows_one_article(client, draft):
    response = client.get(f"{draft.url}in/dieu-2/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Đối tượng áp dụng" in html
    assert "dieu-2-khoan-2-diem-dd" in ids_in(html)
    assert "Phạm vi điều chỉnh" not in html  # Điều 1 is not on the article's print page
    assert client.get(f"{draft.url}in/dieu-99/").status_code == 404


def test_unpublished_draft_is_not_public(client, home, agency):
    page = factories.draft_page(parent=home, agency=agency, publish=False)
    assert client.get(page.get_url_parts()[2] if page.url is None else page.url).status_code == 404


@override_settings(DRAFT_TEXT_CACHE_SECONDS=0)
def test_query_count_does_not_grow_with_provisions(client, home, agency):
    small = factories.draft_page(parent=home, agency=agency, title="Nhỏ")
    body = factories.sample_body() + [
        factories.article_block(str(n), f"Điều {n}", [("1", "a", [("a", "b")])])
        for n in range(10, 60)
    ]
    large = factories.draft_page(parent=home, agency=agency, title="Lớn", body=body)
    client.get(small.url)  # warm caches (site root, content types)
    with CaptureQueriesContext(connection) as small_queries:
        client.get(small.url)
    with CaptureQueriesContext(connection) as large_queries:
        client.get(large.url)
    assert Provision.objects.filter(version__page=large).count() > 100
    assert len(large_queries) == len(small_queries)


def test_published_text_is_cached_until_the_next_publish(client, draft):
    client.get(draft.url)
    with CaptureQueriesContext(connection) as cached:
        first = client.get(draft.url).content.decode()
    # The text is not read again; only the feedback figures are.
    assert not any('"drafts_provision"."text"' in q["sql"] for q in cached.captured_queries)
    assert "Luật này quy định về đất đai." in first

    page = draft.get_latest_revision_as_object()
    raw = [dict(block) for block in page.body.raw_data]
    raw[2]["value"] = {**raw[2]["value"], "intro": "Luật này quy định về nhà ở."}
    page.body = raw
    page.save_revision().publish()
    html = client.get(draft.url).content.decode()
    assert "Luật này quy định về nhà ở." in html
    assert "Luật này quy định về đất đai." not in html


def test_supporting_documents_are_listed_with_their_kind(client, draft):
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    from drafts.models import DraftDocument

    document = Document(title="Tờ trình dự thảo Luật Đất đai")
    document.file.save("to-trinh.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    DraftDocument.objects.create(page=draft, document=document, kind="to_trinh")
    html = client.get(draft.url).content.decode()
    section = html.split('id="documents-heading"', 1)[1].split("</section>", 1)[0]
    assert "Tờ trình dự thảo Luật Đất đai" in section
    assert document.url in section
    assert "PDF" in section


def test_preview_of_an_unpublished_draft_shows_its_text(home, agency):
    page = factories.draft_page(parent=home, agency=agency, publish=False, title="Bản nháp")
    response = page.make_preview_request()
    html = response.content.decode()
    assert response.status_code == 200
    assert "dieu-2-khoan-2-diem-dd" in ids_in(html)
    assert not Provision.objects.filter(version__page=page).exists()
