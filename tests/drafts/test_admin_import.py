"""Importing a draft through the Wagtail admin: upload, paste, refusals, permissions."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from wagtail.models import GroupPagePermission

from drafts.models import DraftPage, Provision
from tests import factories
from tests.conftest import CORPUS_DIR

pytestmark = pytest.mark.django_db

URL = "/admin/drafts/import/"

SMALL_TEXT = """DỰ THẢO LUẬT THỬ NGHIỆM
Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;
Chương I
NHỮNG QUY ĐỊNH CHUNG
Điều 1. Phạm vi điều chỉnh
Luật này quy định về thử nghiệm.
Điều 2. Giải thích từ ngữ
1. Thử nghiệm là việc làm thử.
2. Đối tượng gồm:
a) Cơ quan nhà nước;
b) Tổ chức;
đ) Cá nhân.
"""


def form_data(agency, **extra):
    data = {
        "title": "Dự thảo Luật Thử nghiệm",
        "agency": agency.pk,
        "document_type": "luat",
        "number": "",
        "opens_at": "2030-01-01 08:00",
        "closes_at": "2030-03-01 17:00",
    }
    data.update(extra)
    return data


def test_upload_builds_an_unpublished_draft_and_opens_its_editor(client, superuser, home, agency):
    client.force_login(superuser)
    upload = SimpleUploadedFile(
        "luat-dien-anh.txt", (CORPUS_DIR / "luat-dien-anh-2022.txt").read_bytes()
    )
    response = client.post(URL, {**form_data(agency), "file": upload})
    page = DraftPage.objects.get(title="Dự thảo Luật Thử nghiệm")
    assert response.status_code == 302
    assert response["Location"] == f"/admin/pages/{page.pk}/edit/"
    draft = page.get_latest_revision_as_object()
    assert sum(1 for block in draft.body.raw_data if block["type"] == "article") == 50
    assert page.live is False
    assert not Provision.objects.filter(version__page=page).exists()
    assert timezone.localtime(page.opens_at).hour == 8  # entered and shown in Vietnam time
    assert page.opens_at.utcoffset() is not None
    editor = client.get(response["Location"])
    assert editor.status_code == 200
    assert "50" in editor.content.decode()  # the success message counts the articles


def test_pasted_text_is_imported_with_its_points(client, superuser, home, agency):
    client.force_login(superuser)
    response = client.post(URL, {**form_data(agency), "text": SMALL_TEXT})
    assert response.status_code == 302
    page = DraftPage.objects.get(title="Dự thảo Luật Thử nghiệm")
    article = [b for b in page.body.raw_data if b["type"] == "article"][1]
    letters = [p["value"]["letter"] for p in article["value"]["clauses"][1]["value"]["points"]]
    assert letters == ["a", "b", "đ"]


def test_doubtful_numbering_is_imported_with_a_warning_naming_the_line(
    client, superuser, home, agency
):
    client.force_login(superuser)
    text = SMALL_TEXT + "Điều 4. Điều khoản thi hành\nLuật này có hiệu lực từ năm 2031.\n"
    response = client.post(URL, {**form_data(agency), "text": text}, follow=True)
    html = response.content.decode()
    assert DraftPage.objects.filter(title="Dự thảo Luật Thử nghiệm").exists()
    assert "13" in html and "Điều 4" in html  # the warning quotes line 13


@pytest.mark.parametrize(
    ("upload", "expected"),
    [
        (SimpleUploadedFile("empty.txt", b""), "empty"),
        (SimpleUploadedFile("fake.docx", b"\x00\x01binary junk"), "docx"),
        (SimpleUploadedFile("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), ""),
    ],
)
def test_bad_files_are_refused_and_nothing_is_written(
    client, superuser, home, agency, upload, expected
):
    client.force_login(superuser)
    pages_before = DraftPage.objects.count()
    response = client.post(URL, {**form_data(agency), "file": upload})
    assert response.status_code == 200
    html = response.content.decode()
    assert "data-import-errors" in html or "help-critical" in html
    assert expected.lower() in html.lower()
    assert DraftPage.objects.count() == pages_before


def test_repeated_article_number_stops_the_import(client, superuser, home, agency):
    client.force_login(superuser)
    text = SMALL_TEXT + "Điều 2. Lặp lại\nNội dung.\n"
    response = client.post(URL, {**form_data(agency), "text": text})
    assert response.status_code == 200
    assert "data-import-errors" in response.content.decode()
    assert not DraftPage.objects.filter(title="Dự thảo Luật Thử nghiệm").exists()


def test_import_into_an_existing_draft_makes_a_new_revision(client, superuser, draft):
    client.force_login(superuser)
    published_keys = set(
        Provision.objects.filter(version__page=draft).values_list("key", flat=True)
    )
    response = client.post(f"{URL}?page={draft.pk}", {"page": draft.pk, "text": SMALL_TEXT})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.has_unpublished_changes
    latest = draft.get_latest_revision_as_object()
    assert [b["value"]["number"] for b in latest.body.raw_data if b["type"] == "article"] == [
        "1",
        "2",
    ]
    # The public page still shows the published text until the drafter publishes.
    assert set(Provision.objects.filter(version__page=draft).values_list("key", flat=True)) == (
        published_keys
    )


def test_people_without_page_rights_cannot_import(client, home, agency):
    nobody = factories.UserFactory(username="reader")
    reader_group = Group.objects.create(name="Admin access only")
    reader_group.permissions.add(Permission.objects.get(codename="access_admin"))
    nobody.groups.add(reader_group)
    client.force_login(nobody)
    # Wagtail answers a refused admin view by sending the person back to the dashboard.
    for response in (
        client.get(URL),
        client.post(URL, {**form_data(agency), "text": SMALL_TEXT}),
    ):
        assert response.status_code == 302
        assert response["Location"] == "/admin/"
    assert not DraftPage.objects.exists()
    assert URL not in client.get("/admin/").content.decode()


def test_agency_editor_imports_only_for_their_own_agency(client, home, agency):
    editor = factories.UserFactory(username="bientap")
    group = Group.objects.create(name="Biên tập viên thử nghiệm")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in ("add_page", "change_page"):
        GroupPagePermission.objects.create(
            group=group, page=home, permission=Permission.objects.get(codename=codename)
        )
    editor.groups.add(group)
    agency.staff.add(editor)
    other = factories.AgencyFactory(code="KHAC")
    client.force_login(editor)
    refused = client.post(URL, {**form_data(other), "text": SMALL_TEXT})
    assert refused.status_code == 200
    assert not DraftPage.objects.exists()
    accepted = client.post(URL, {**form_data(agency), "text": SMALL_TEXT})
    assert accepted.status_code == 302
    assert DraftPage.objects.get().agency == agency


def test_docx_upload_is_imported(client, superuser, home, agency):
    import io

    import docx

    document = docx.Document()
    for line in SMALL_TEXT.strip().splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    client.force_login(superuser)
    upload = SimpleUploadedFile("du-thao.docx", buffer.getvalue())
    response = client.post(URL, {**form_data(agency), "file": upload})
    assert response.status_code == 302
    body = DraftPage.objects.get(title="Dự thảo Luật Thử nghiệm").body.raw_data
    assert [b["type"] for b in body] == ["paragraph", "paragraph", "chapter", "article", "article"]


def test_the_labour_code_import_says_how_many_alternatives_it_offers(
    client, superuser, home, agency
):
    client.force_login(superuser)
    text = (CORPUS_DIR / "du-thao-2-bo-luat-lao-dong-sua-doi-2017.txt").read_text()
    response = client.post(URL, {**form_data(agency), "text": text}, follow=True)
    messages = [str(message) for message in response.context["messages"]]
    assert any("22" in m and "phương án" in m.lower() for m in messages), messages
