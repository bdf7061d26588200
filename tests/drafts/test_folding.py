"""One folding for the whole project: the home page search, the admin's page search and the
importer read "dien anh", "Điện ảnh" and its look-alike "Ðiện ảnh" (U+00D0) alike."""

import pytest

from drafts.importing import parse_text
from drafts.models import DraftPage
from tests import factories

pytestmark = pytest.mark.django_db

LOOKALIKE = "\u00d0iện ảnh"  # Ð, the Icelandic eth, not Đ


@pytest.fixture
def drafts(home):
    return {
        "cinema": factories.draft_page(parent=home, title="Dự thảo Luật Điện ảnh (sửa đổi)"),
        "labour": factories.draft_page(parent=home, title="Dự thảo Bộ luật Lao động"),
    }


def home_titles(client, q: str) -> str:
    response = client.get("/", {"q": q})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("q", [LOOKALIKE, "Điện ảnh", "dien anh", "ÐIỆN ẢNH", "luat \u00f0ien"])
def test_home_page_search_finds_the_cinema_law_however_typed(client, drafts, q):
    html = home_titles(client, q)
    assert "Dự thảo Luật Điện ảnh (sửa đổi)" in html
    assert "Dự thảo Bộ luật Lao động" not in html


def test_a_title_written_with_the_look_alike_is_found_by_the_plain_letters(client, home):
    factories.draft_page(parent=home, title="Dự thảo Nghị định về \u00d0ất ðai")
    assert "Nghị định về" in home_titles(client, "dat dai")
    assert "Nghị định về" in home_titles(client, "Đất đai")


def admin_search(client, q: str) -> str:
    response = client.get("/admin/pages/search/", {"q": q})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("q", "found", "not_found"),
    [
        ("dien anh", "Luật Điện ảnh", "Bộ luật Lao động"),
        ("Điện ảnh", "Luật Điện ảnh", "Bộ luật Lao động"),
        (LOOKALIKE, "Luật Điện ảnh", "Bộ luật Lao động"),
        ("lao dong", "Bộ luật Lao động", "Luật Điện ảnh"),
        ("Lao động", "Bộ luật Lao động", "Luật Điện ảnh"),
    ],
)
def test_admin_page_search_folds_the_query(client, drafts, q, found, not_found):
    client.force_login(factories.UserFactory(username="admin", is_superuser=True, is_staff=True))
    html = admin_search(client, q)
    assert found in html
    assert not_found not in html


def test_the_importer_reads_the_look_alike_as_the_letter_of_articles():
    result = parse_text(
        "\u00d0iều 1. Phạm vi điều chỉnh\n1. Luật này quy định về điện ảnh.\n"
        "\u00d0IỀU 2. Đối tượng áp dụng\nCơ quan, tổ chức, cá nhân.\n"
        "Ðiều 3. Giải thích từ ngữ\nTrong Luật này, các từ ngữ được hiểu như sau."
    )
    assert result.counts["articles"] == 3
    assert result.counts["clauses"] == 1
    numbers = [block["value"]["number"] for block in result.body if block["type"] == "article"]
    assert numbers == ["1", "2", "3"]


def test_the_importer_drops_invisible_controls_and_composes_letters():
    import unicodedata

    text = unicodedata.normalize("NFD", "Điều 1. Phạm vi\u202e\n1. Nội\u200b dung.")
    result = parse_text(text)
    article = next(block for block in result.body if block["type"] == "article")
    assert article["value"]["title"] == "Phạm vi"
    assert article["value"]["clauses"][0]["value"]["text"] == "Nội dung."


def test_stored_folded_titles_use_the_project_folding(drafts):
    page = DraftPage.objects.get(pk=drafts["cinema"].pk)
    page.title = "Dự thảo Luật \u00d0iện ảnh"
    page.save()
    assert DraftPage.objects.get(pk=page.pk).title_folded == "du thao luat dien anh"


def test_import_draft_command_stores_the_title_as_typed_text(tmp_path, home, agency):
    import io
    import unicodedata

    from django.core.management import call_command

    source = tmp_path / "du-thao.txt"
    source.write_text("Điều 1. Phạm vi\n1. Nội dung.\n", encoding="utf-8")
    title = unicodedata.normalize("NFD", "Dự thảo Luật Điện ảnh") + "\u200b\u202e"
    call_command("import_draft", str(source), agency=agency.code, title=title, stdout=io.StringIO())
    assert DraftPage.objects.get().title == "Dự thảo Luật Điện ảnh"


def test_on_elasticsearch_the_admin_autocomplete_gets_the_folded_words_alone():
    """Elasticsearch's autocomplete takes plain text only (its analyzers fold the fields)."""
    from modelsearch.query import Or, PlainText

    from econsult.wagtail_search import SearchBackend

    elastic = SearchBackend(
        {"WRAPPED": "wagtail.search.backends.elasticsearch8", "URLS": ["http://127.0.0.1:1"]}
    )
    query = PlainText(LOOKALIKE, operator="and")
    compiled = elastic.autocomplete(query, DraftPage).query_compiler.query
    assert isinstance(compiled, PlainText)
    assert (compiled.query_string, compiled.operator) == ("dien anh", "and")

    database = SearchBackend({"WRAPPED": "wagtail.search.backends.database"})
    compiled = database.autocomplete(query, DraftPage).query_compiler.query
    assert isinstance(compiled, Or)
    assert [q.query_string for q in compiled.subqueries] == [LOOKALIKE, "dien anh"]


def test_the_data_migration_folds_stored_titles_again(drafts):
    """Titles folded before Ð/ð read as d are folded again by drafts 0003."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("drafts.migrations.0003_refold_titles")
    page = drafts["cinema"]
    DraftPage.objects.filter(pk=page.pk).update(
        title="Dự thảo Luật \u00d0iện ảnh", title_folded="du thao luat \u00f0ien anh"
    )

    migration.refold(apps, None)

    assert DraftPage.objects.get(pk=page.pk).title_folded == "du thao luat dien anh"
