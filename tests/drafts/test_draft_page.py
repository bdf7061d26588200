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


ALTERNATIVES_TEXT = (
    "Điều 35. Quyền đơn phương chấm dứt hợp đồng\nPhương án 1: Giữ như hiện hành\n"
    "1. Khoản một của phương án một:\na) Điểm a.\n2. Khoản hai.\n"
    "Phương án 2:\n1. Khoản một của phương án hai.\n"
    "Điều 36. Tuổi nghỉ hưu\n1.\nPhương án 1 (hiện hành): Nam đủ 60 tuổi.\n"
    "Phương án 2 (tăng dần): Nam đủ 62 tuổi.\n2. Khoản hai.\n"
)


@pytest.fixture
def draft_with_alternatives(home, agency):
    from drafts.importing import parse_text

    body = parse_text(ALTERNATIVES_TEXT).body
    return factories.draft_page(parent=home, agency=agency, body=body)


def alternative_box(html: str, anchor: str) -> str:
    start = html.index(f'id="{anchor}"')
    return html[html.rindex("<div", 0, start) : html.index("</p>", start)]


def test_alternatives_are_shown_as_alternatives_with_their_own_anchors(
    client, draft_with_alternatives
):
    html = client.get(draft_with_alternatives.url).content.decode()
    ids = ids_in(html)
    for anchor in [
        "dieu-35-pa-1", "dieu-35-pa-1-khoan-1", "dieu-35-pa-1-khoan-1-diem-a",
        "dieu-35-pa-1-khoan-2", "dieu-35-pa-2", "dieu-35-pa-2-khoan-1",
        "dieu-36-khoan-1", "dieu-36-khoan-1-pa-1", "dieu-36-khoan-1-pa-2", "dieu-36-khoan-2",
    ]:  # fmt: skip
        assert anchor in ids, anchor
    assert len(ids) == len(set(ids))
    box = alternative_box(html, "dieu-35-pa-1")
    assert 'class="provision provision--alternative"' in box
    assert "Phương án 1</span>: " in box and "Giữ như hiện hành" in box
    box = alternative_box(html, "dieu-36-khoan-1-pa-2")
    assert 'class="provision provision--alternative"' in box
    assert "Phương án 2</span> " in box and "(tăng dần)" in box
    # Each alternative has its own comment link, and so has each clause inside one.
    for anchor in ("dieu-35-pa-2", "dieu-35-pa-2-khoan-1", "dieu-36-khoan-1-pa-1"):
        assert f"gop-y/{anchor}/" in html, anchor
    # The clauses of an alternative sit inside its box, the alternatives inside the clause's.
    pa1 = html.index('id="dieu-35-pa-1"')
    assert pa1 < html.index('id="dieu-35-pa-1-khoan-2"') < html.index('id="dieu-35-pa-2"')
    provisions = Provision.objects.filter(version__page=draft_with_alternatives)
    assert provisions.filter(kind="alternative").count() == 4
    assert provisions.get(anchor="dieu-36-khoan-1-pa-2").citation == "Phương án 2 khoản 1 Điều 36"


def test_print_view_shows_the_alternatives_of_the_article(client, draft_with_alternatives):
    html = client.get(f"{draft_with_alternatives.url}in/dieu-35/").content.decode()
    assert "Khoản một của phương án hai." in html
    assert 'id="dieu-35-pa-2"' in html and "Phương án 2" in html
    assert "gop-y/" not in html
