"""Supporting documents belong to the agency of their collection (issue 9 point 1, the media
library): with the same groups (document permissions on the root collection, as the demo's
editor group has), agency B's editor cannot see, choose, edit, tag, move or delete agency A's
documents, whether through Wagtail's document views, its bulk actions, its chooser or the
admin API; A's editor uploads into A's collection and attaches and edits A's documents; a
superuser does everything."""

import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.documents.models import Document
from wagtail.models import Collection

from drafts.models import Agency, DraftPage
from drafts.models.pages import DraftDocument
from tests import factories

pytestmark = pytest.mark.django_db

TITLE = "Tờ trình dự thảo của A"


@pytest.fixture
def document(agency, editor_a):
    document = Document(title=TITLE, uploaded_by_user=editor_a, collection=agency.collection)
    document.file = ContentFile(b"To trinh", name="to-trinh.txt")
    document.save()
    return document


def _text(response) -> str:
    """The answer as text, JSON (chooser, API) decoded so non-ASCII titles can be found."""
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode()


def _state(document):
    document = Document.objects.filter(pk=document.pk).first()
    if document is None:
        return None
    return (document.title, document.collection_id, sorted(document.tags.names()), document.file)


def test_each_agency_gets_its_own_collection(agency, agency_b):
    assert agency.collection is not None and agency_b.collection is not None
    assert agency.collection != agency_b.collection
    assert agency.collection.get_parent() == Collection.get_first_root_node()
    assert agency.collection.name == agency.name
    assert Agency.objects.get(pk=agency.pk).collection == agency.collection


@pytest.mark.parametrize(
    "url, data",
    [
        ("/admin/documents/edit/{pk}/", {"title": "Sửa trộm", "tags": "trom"}),
        ("/admin/documents/delete/{pk}/", {}),
        ("/admin/bulk/wagtaildocs/document/delete/?id={pk}", {}),
        ("/admin/bulk/wagtaildocs/document/add_tags/?id={pk}", {"tags": "trom"}),
        (
            "/admin/bulk/wagtaildocs/document/add_to_collection/?id={pk}",
            {"collection": "{b_collection}"},
        ),
    ],
)
def test_another_agencys_editor_cannot_change_the_document(
    client, document, editor_b, agency_b, url, data
):
    client.force_login(editor_b)
    before = _state(document)
    url = url.format(pk=document.pk)
    data = {k: v.format(b_collection=agency_b.collection_id) for k, v in data.items()}
    got = client.get(url)
    assert got.status_code in (302, 403, 404) and TITLE not in _text(got)
    posted = client.post(url, data)
    assert posted.status_code in (302, 403, 404)
    assert _state(document) == before


def test_another_agencys_editor_cannot_replace_the_file(client, document, editor_b):
    client.force_login(editor_b)
    upload = SimpleUploadedFile("tay-trang.txt", b"Noi dung gia")
    client.post(
        f"/admin/documents/edit/{document.pk}/",
        {"title": TITLE, "file": upload, "collection": document.collection_id},
    )
    document.refresh_from_db()
    with document.file.open() as handle:
        assert handle.read() == b"To trinh"


@pytest.mark.parametrize(
    "url",
    [
        "/admin/documents/",
        "/admin/documents/results/",
        "/admin/documents/chooser/",
        "/admin/documents/chooser/results/",
        "/admin/api/main/documents/",
    ],
)
def test_another_agencys_editor_does_not_see_the_document(client, document, editor_b, url):
    client.force_login(editor_b)
    response = client.get(url)
    assert response.status_code == 200
    assert TITLE not in _text(response)
    assert TITLE not in _text(client.get(url, {"q": "Tờ trình"}))


def test_another_agencys_editor_cannot_open_or_choose_the_document(client, document, editor_b):
    client.force_login(editor_b)
    assert client.get(f"/admin/api/main/documents/{document.pk}/").status_code == 404
    chosen = client.get(reverse("wagtaildocs_chooser:chosen", args=[document.pk]))
    assert chosen.status_code in (302, 403, 404)
    assert TITLE not in _text(chosen)


def test_the_agencys_editor_uploads_into_the_agencys_collection(client, editor_a, agency, agency_b):
    client.force_login(editor_a)
    form = client.get("/admin/documents/add/")
    assert form.status_code == 200
    assert agency_b.name.encode() not in form.content  # B's collection is not offered
    response = client.post(
        "/admin/documents/add/",
        {
            "title": "Báo cáo đánh giá tác động",
            "file": SimpleUploadedFile("danh-gia.txt", b"Danh gia tac dong"),
            "collection": agency_b.collection_id,  # not offered, so not taken
        },
    )
    assert response.status_code == 302
    uploaded = Document.objects.get(title="Báo cáo đánh giá tác động")
    assert uploaded.collection == agency.collection


def test_the_agencys_editor_chooses_edits_and_attaches_the_document(
    client, document, editor_a, draft
):
    client.force_login(editor_a)
    assert TITLE in _text(client.get("/admin/documents/chooser/"))
    assert client.get(reverse("wagtaildocs_chooser:chosen", args=[document.pk])).status_code == 200
    assert TITLE in _text(client.get("/admin/api/main/documents/"))
    edited = client.post(
        f"/admin/documents/edit/{document.pk}/", {"title": "Tờ trình (bản 2)", "tags": "to-trinh"}
    )
    assert edited.status_code == 302
    document.refresh_from_db()
    assert document.title == "Tờ trình (bản 2)"
    assert document.collection == draft.agency.collection
    # The draft's "supporting documents" panel takes it, and its edit form shows it.
    DraftDocument.objects.create(page=draft, document=document, kind=DraftDocument.Kind.SUBMISSION)
    DraftPage.objects.get(pk=draft.pk).save_revision(user=editor_a).publish()
    page = client.get(f"/admin/pages/{draft.pk}/edit/")
    assert page.status_code == 200
    assert "Tờ trình (bản 2)" in _text(page)


def test_a_superuser_does_everything(client, document, superuser, agency_b):
    client.force_login(superuser)
    assert TITLE in _text(client.get("/admin/documents/"))
    assert TITLE in _text(client.get("/admin/api/main/documents/"))
    moved = client.post(
        f"/admin/bulk/wagtaildocs/document/add_to_collection/?id={document.pk}",
        {"collection": agency_b.collection_id},
    )
    assert moved.status_code == 302
    document.refresh_from_db()
    assert document.collection == agency_b.collection
    deleted = client.post(f"/admin/documents/delete/{document.pk}/")
    assert deleted.status_code == 302
    assert not Document.objects.filter(pk=document.pk).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_gives_existing_agencies_their_collections():
    """Agencies made before drafts 0004 get a collection each, in a sound tree."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("drafts", "0003_refold_titles")]
    after = [("drafts", "0004_agency_collection")]
    if Collection.get_first_root_node() is None:  # an earlier test flushed the database
        Collection.add_root(name="Root")
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(before)
        executor.loader.build_graph()
        old = executor.loader.project_state(before).apps.get_model("drafts", "Agency")
        for code in ("CQX", "CQY"):
            old.objects.create(name=f"Cơ quan {code}", code=code, slug=code.lower())
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        executor.loader.build_graph()
    finally:
        # Going back to drafts 0003 unapplied every later migration that depends on drafts
        # (answers' resulting provisions, …): the tests that follow need them all again.
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
        executor.loader.build_graph()
    agencies = Agency.objects.filter(code__in=["CQX", "CQY"])
    assert [a.collection.name for a in agencies] == ["Cơ quan CQX", "Cơ quan CQY"]
    root = Collection.get_first_root_node()
    assert all(a.collection.get_parent() == root for a in agencies)
    assert not any(Collection.find_problems())
    assert root.add_child(name="Sau").get_parent() == root  # the tree still takes children


def _download(client, document):
    response = client.get(f"/documents/{document.pk}/{document.filename}")
    if response.status_code == 200 and hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    return response.status_code


def test_a_document_is_public_only_once_a_live_draft_carries_it(
    client, document, draft, editor_a, editor_b, home, agency
):
    """A tờ trình uploaded ahead of the consultation is not downloadable by the public, nor by
    another agency, until a live draft carries it; its own agency's staff can open it."""
    citizen = factories.UserFactory(username="congdan")
    outsiders = [None, citizen, editor_b]

    def status_for(person):
        client.logout()
        if person is not None:
            client.force_login(person)
        return _download(client, document)

    assert [status_for(person) for person in outsiders] == [404, 404, 404]
    assert status_for(editor_a) == 200

    waiting = factories.draft_page(parent=home, agency=agency, slug="cho-cong-bo")
    DraftPage.objects.filter(pk=waiting.pk).update(live=False)
    DraftDocument.objects.create(page_id=waiting.pk, document=document)
    assert [status_for(person) for person in outsiders] == [404, 404, 404]

    DraftDocument.objects.create(page=draft, document=document)  # A's live draft
    assert [status_for(person) for person in outsiders] == [200, 200, 200]
