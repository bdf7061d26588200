"""The editor works at any size (issue 11, point 5): a draft of 700 articles opens in the page
editor, saves and publishes from it with its text intact, and its text is edited a part at a
time; a short draft keeps its whole text in the page editor."""

import re
import uuid

import pytest
from django.test import Client

from drafts.models import DraftPage, Provision
from tests import factories

pytestmark = pytest.mark.django_db

ARTICLES = 700
# Chapters longer than a form holds (100 provisions): each chapter of 251 provisions is edited
# in three runs, articles 1–19 (with the heading), 20–39 and 40–50.
CHAPTER_ARTICLES = 50


def _id() -> str:
    return str(uuid.uuid4())


def long_body(articles: int = ARTICLES, chapter_articles: int = CHAPTER_ARTICLES) -> list[dict]:
    """A code-sized body: a preamble line, then chapters of `chapter_articles` articles, each
    article with two clauses, the second with points a and b (5 provisions an article)."""
    body = [{"type": "paragraph", "id": _id(), "value": "Căn cứ Hiến pháp;"}]
    for n in range(1, articles + 1):
        if n % chapter_articles == 1:
            chapter = (n - 1) // chapter_articles + 1
            body.append(factories.heading_block("chapter", str(chapter), f"CHƯƠNG {chapter}"))
        body.append(
            factories.article_block(
                str(n),
                f"Điều khoản số {n}",
                [
                    ("1", f"Khoản một của điều {n}.", []),
                    ("2", f"Khoản hai của điều {n}:", [("a", "điểm a;"), ("b", "điểm b.")]),
                ],
            )
        )
    return body


def stream_fields(raw_blocks: list[dict], prefix: str = "body") -> dict[str, str]:
    """The POST data of Wagtail's StreamField form holding `raw_blocks` (DraftBodyBlock)."""
    data = {f"{prefix}-count": str(len(raw_blocks))}
    for i, block in enumerate(raw_blocks):
        p = f"{prefix}-{i}"
        data.update({f"{p}-deleted": "", f"{p}-order": str(i), f"{p}-type": block["type"]})
        data[f"{p}-id"] = block.get("id", "")
        value = block["value"]
        if block["type"] == "paragraph":
            data[f"{p}-value"] = value
        elif block["type"] == "article":
            v = f"{p}-value"
            data.update(
                {f"{v}-number": value["number"], f"{v}-title": value["title"]}
                | {f"{v}-intro": value.get("intro", "")}
            )
            data.update(_list(f"{v}-points", value.get("points", []), _point))
            data.update(_list(f"{v}-clauses", value.get("clauses", []), _clause))
            data.update(_list(f"{v}-alternatives", value.get("alternatives", []), _alternative))
        else:
            data.update({f"{p}-value-number": value["number"], f"{p}-value-title": value["title"]})
    return data


def _list(prefix: str, items: list[dict], fields) -> dict[str, str]:
    data = {f"{prefix}-count": str(len(items))}
    for i, item in enumerate(items):
        p = f"{prefix}-{i}"
        data.update({f"{p}-deleted": "", f"{p}-order": str(i), f"{p}-id": item.get("id", "")})
        data.update(fields(f"{p}-value", item["value"]))
    return data


def _point(prefix: str, value: dict) -> dict[str, str]:
    data = {f"{prefix}-letter": value["letter"], f"{prefix}-text": value["text"]}
    data.update(_list(f"{prefix}-alternatives", value.get("alternatives", []), _alternative))
    return data


def _clause(prefix: str, value: dict) -> dict[str, str]:
    data = {f"{prefix}-number": value["number"], f"{prefix}-text": value["text"]}
    data.update(_list(f"{prefix}-points", value.get("points", []), _point))
    data.update(_list(f"{prefix}-alternatives", value.get("alternatives", []), _alternative))
    return data


def _alternative(prefix: str, value: dict) -> dict[str, str]:
    """A "Phương án N" of an article, a clause or a point (drafts.blocks)."""
    data = {
        f"{prefix}-number": value["number"],
        f"{prefix}-title": value.get("title", ""),
        f"{prefix}-text": value.get("text", ""),
    }
    data.update(_list(f"{prefix}-points", value.get("points", []), _point))
    data.update(_list(f"{prefix}-clauses", value.get("clauses", []), _clause))
    return data


def page_form_data(html: str) -> dict[str, str]:
    """The fields of the page editor's form as the browser would send them (inputs, selects
    and textareas with a name; unchecked boxes left out)."""
    form = html.split('id="page-edit-form"', 1)[1].split("</form>", 1)[0]
    data: dict[str, str] = {}
    for tag in re.findall(r"<input\b[^>]*>", form):
        name = re.search(r'\bname="([^"]+)"', tag)
        if not name or re.search(r'type="(submit|button|file)"', tag):
            continue
        if re.search(r'type="checkbox"', tag) and "checked" not in tag:
            continue
        value = re.search(r'\bvalue="([^"]*)"', tag)
        data[name.group(1)] = _unescape(value.group(1)) if value else ""
    textareas = r'<textarea\b[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>'
    for name, body in re.findall(textareas, form, re.S):
        data[name] = _unescape(body.lstrip("\n"))
    selects = r'<select\b[^>]*name="([^"]+)"[^>]*>(.*?)</select>'
    for name, options in re.findall(selects, form, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', options)
        data[name] = chosen.group(1) if chosen else ""
    return data


def typed_in(html: str, text: str) -> bool:
    """Whether `text` is in the page, as is or inside a StreamField's JSON value."""
    import html as html_lib
    import json

    return text in html_lib.unescape(html) or json.dumps(text)[1:-1] in html_lib.unescape(html)


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


@pytest.fixture
def editor(group, agency):
    person = factories.UserFactory(username="bientap.dai")
    person.groups.add(group)
    agency.staff.add(person)
    return person


@pytest.fixture
def code(home, agency):
    return factories.draft_page(
        parent=home, agency=agency, title="Dự thảo Bộ luật Dân sự", body=long_body()
    )


@pytest.fixture
def client_of(editor):
    client = Client()
    client.force_login(editor)
    return client


def block_index(body: list[dict], kind: str, number: str) -> int:
    return next(
        i for i, b in enumerate(body) if b["type"] == kind and b["value"]["number"] == number
    )


def live_provisions(page) -> int:
    return Provision.objects.filter(version__page=page, withdrawn=False).count()


def latest_body(page) -> list[dict]:
    return list(DraftPage.objects.get(pk=page.pk).get_latest_revision_as_object().body.raw_data)


def test_page_editor_of_a_700_article_draft_saves_and_publishes_with_few_fields(code, client_of):
    provisions = live_provisions(code)
    assert provisions == 1 + 14 + ARTICLES * 5
    body = latest_body(code)

    response = client_of.get(f"/admin/pages/{code.pk}/edit/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "data-draft-text-outline" in html
    assert 'name="body-count"' not in html  # no StreamField for the whole text
    data = page_form_data(html)
    assert len(data) < 100, len(data)
    # Each part has its editor: the preamble, and 14 chapters of 50 articles in three runs.
    links = re.findall(rf'href="/admin/drafts/{code.pk}/text/([\w-]+)/"', html)
    assert links[:5] == ["doan-1", "chuong-1", "dieu-20", "dieu-40", "chuong-2"]
    assert len(links) == 1 + 14 * 3

    data["title"] = "Dự thảo Bộ luật Dân sự (sửa đổi)"
    response = client_of.post(f"/admin/pages/{code.pk}/edit/", data)
    assert response.status_code == 302, response.content[:2000]
    revision = DraftPage.objects.get(pk=code.pk).get_latest_revision()
    assert revision.content["title"] == "Dự thảo Bộ luật Dân sự (sửa đổi)"
    assert latest_body(code) == body

    data["action-publish"] = "1"
    data["version_number"] = "2"
    response = client_of.post(f"/admin/pages/{code.pk}/edit/", data)
    assert response.status_code == 302
    page = DraftPage.objects.get(pk=code.pk)
    assert page.title == "Dự thảo Bộ luật Dân sự (sửa đổi)" and not page.has_unpublished_changes
    assert list(page.body.raw_data) == body
    assert Provision.objects.filter(version__page=page, version__number=2).count() == provisions


def test_one_article_edited_in_its_part_and_published(code, client_of):
    before = {
        row.key: (row.anchor, row.text)
        for row in Provision.objects.filter(version__page=code, withdrawn=False)
    }
    target = Provision.objects.get(version__page=code, anchor="dieu-45-khoan-1")

    # Điều 45 is in the third run of chapter 1 (articles 40–50), which starts at Điều 40.
    editor_page = client_of.get(f"/admin/pages/{code.pk}/edit/").content.decode()
    assert f'href="/admin/drafts/{code.pk}/text/dieu-40/"' in editor_page
    url = f"/admin/drafts/{code.pk}/text/dieu-40/"
    response = client_of.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Save and publish" in html or "Lưu và xuất bản" in html
    revision = re.search(r'name="revision" value="(\d+)"', html).group(1)

    body = latest_body(code)
    start = block_index(body, "article", "40")
    part = body[start : start + 11]
    assert [b["value"]["number"] for b in part][-1] == "50"
    article = next(b for b in part if b["value"]["number"] == "45")
    article["value"]["clauses"][0]["value"]["text"] = "Khoản một đã sửa sau góp ý."
    data = stream_fields(part) | {"revision": revision, "action-publish": "1"}
    response = client_of.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == f"/admin/pages/{code.pk}/edit/"

    target.refresh_from_db()
    assert target.text == "Khoản một đã sửa sau góp ý." and not target.withdrawn
    after = {
        row.key: (row.anchor, row.text)
        for row in Provision.objects.filter(version__page=code, withdrawn=False)
    }
    assert after.keys() == before.keys()
    assert {k for k in after if after[k] != before[k]} == {target.key}
    page = DraftPage.objects.get(pk=code.pk)
    assert not page.has_unpublished_changes
    assert [b["id"] for b in page.body.raw_data] == [b["id"] for b in body]
    assert "Khoản một đã sửa sau góp ý." in client_of.get(page.url).content.decode()


def test_part_saved_as_draft_leaves_the_published_text(code, client_of):
    url = f"/admin/drafts/{code.pk}/text/chuong-1/"
    html = client_of.get(url).content.decode()
    revision = re.search(r'name="revision" value="(\d+)"', html).group(1)
    body = latest_body(code)
    part = body[1:21]  # Chương 1 and its first 19 articles
    part[1]["value"]["title"] = "Tên điều mới"
    response = client_of.post(url, stream_fields(part) | {"revision": revision})
    assert response.status_code == 302
    page = DraftPage.objects.get(pk=code.pk)
    assert page.has_unpublished_changes
    assert Provision.objects.get(version__page=code, anchor="dieu-1").title == "Điều khoản số 1"
    assert latest_body(code)[2]["value"]["title"] == "Tên điều mới"
    assert len(latest_body(code)) == len(body)


def test_a_part_opened_before_someone_else_saved_is_refused_and_keeps_the_input(
    code, client_of, editor
):
    url = f"/admin/drafts/{code.pk}/text/chuong-2/"
    html = client_of.get(url).content.decode()
    revision = re.search(r'name="revision" value="(\d+)"', html).group(1)
    # Someone else saves the draft meanwhile.
    code.get_latest_revision_as_object().save_revision(user=editor)

    body = latest_body(code)
    start = block_index(body, "chapter", "2")
    part = body[start : start + 20]
    part[1]["value"]["title"] = "Tiêu đề tôi vừa gõ"
    revisions = code.revisions.count()
    response = client_of.post(url, stream_fields(part) | {"revision": revision})
    assert response.status_code == 200
    html = response.content.decode()
    assert typed_in(html, "Tiêu đề tôi vừa gõ")  # the input is shown again
    assert "Someone saved this draft" in html or "Có người đã lưu dự thảo" in html
    assert code.revisions.count() == revisions
    assert "Tiêu đề tôi vừa gõ" not in str(latest_body(code))


def test_another_agencys_editor_cannot_open_or_save_a_part(code, editor_b):
    client = Client()
    client.force_login(editor_b)
    url = f"/admin/drafts/{code.pk}/text/chuong-1/"
    revisions = code.revisions.count()
    # Wagtail's admin answers PermissionDenied with a return to the dashboard.
    for response in (client.get(url), client.post(url, {"revision": "1", "body-count": "0"})):
        assert response.status_code == 302 and response["Location"] == "/admin/"
    assert code.revisions.count() == revisions
    assert Client().get(url)["Location"].startswith("/admin/login/")


def test_a_short_draft_keeps_its_whole_text_in_the_page_editor(draft, client_of):
    html = client_of.get(f"/admin/pages/{draft.pk}/edit/").content.decode()
    assert "data-draft-text-outline" not in html
    assert '<div id="body" data-block' in html
