"""The next text of a published draft, through the admin: imported, aligned with the last
published version, reviewed on the alignment screen, published; comments follow their
provisions (issue 11, point 1)."""

import pytest

from consult.feedback.counters import feedback_changed
from consult.feedback.models import Feedback
from drafts.models import DraftPage, DraftVersion, Provision
from drafts.services import draft_create
from tests import factories

pytestmark = pytest.mark.django_db

IMPORT = "/admin/drafts/import/"

TEXT_1 = """Chương I
QUY ĐỊNH CHUNG
Điều 1. Phạm vi điều chỉnh
Luật này quy định về thử nghiệm chính sách mới tại các địa phương.
Điều 2. Đối tượng áp dụng
1. Cơ quan nhà nước ở trung ương và địa phương.
2. Tổ chức, cá nhân có liên quan đến hoạt động thử nghiệm.
Điều 3. Giải thích từ ngữ
1. Thử nghiệm là việc áp dụng có thời hạn một chính sách mới.
2. Địa bàn thử nghiệm là tỉnh, thành phố được chọn.
Điều 4. Nguyên tắc thử nghiệm
Thử nghiệm phải công khai, minh bạch và có đánh giá độc lập.
"""

# Dự thảo 2: a new Điều 2 inserted (the old 2, 3, 4 become 3, 4, 5), a clause of the old
# Điều 3 edited, the old Điều 4 unchanged but renumbered.
TEXT_2 = """Chương I
QUY ĐỊNH CHUNG
Điều 1. Phạm vi điều chỉnh
Luật này quy định về thử nghiệm chính sách mới tại các địa phương.
Điều 2. Mục tiêu thử nghiệm
Thử nghiệm nhằm đánh giá tác động trước khi áp dụng rộng rãi.
Điều 3. Đối tượng áp dụng
1. Cơ quan nhà nước ở trung ương và địa phương.
2. Tổ chức, cá nhân có liên quan đến hoạt động thử nghiệm.
Điều 4. Giải thích từ ngữ
1. Thử nghiệm là việc áp dụng có thời hạn, không quá ba năm, một chính sách mới.
2. Địa bàn thử nghiệm là tỉnh, thành phố được chọn.
Điều 5. Nguyên tắc thử nghiệm
Thử nghiệm phải công khai, minh bạch và có đánh giá độc lập.
"""


@pytest.fixture
def editor(group, agency):
    person = factories.UserFactory(username="bientap.a")
    person.groups.add(group)
    agency.staff.add(person)
    return person


@pytest.fixture
def published(home, agency):
    from drafts.importing import parse_text

    return draft_create(
        parent=home, agency=agency, title="Dự thảo Luật Thử nghiệm",
        body=parse_text(TEXT_1).body, publish=True,
    )  # fmt: skip


def provision(page, anchor, number=None):
    rows = Provision.objects.filter(version__page=page, anchor=anchor, withdrawn=False)
    if number is not None:
        rows = rows.filter(version__number=number)
    return rows.get()


def import_text(client, page, text, as_version="next"):
    return client.post(IMPORT, {"page": page.pk, "text": text, "as_version": as_version})


def publish_from_alignment(client, page):
    return client.post(f"/admin/drafts/{page.pk}/alignment/", {"action": "publish"})


def test_unchanged_reimport_keeps_every_comment(client, editor, published):
    comments = [
        factories.make_feedback(published, provision=provision(published, anchor))
        for anchor in ("dieu-1", "dieu-2-khoan-1", "dieu-3-khoan-2", "dieu-4")
    ]
    feedback_changed(draft_id=published.pk, provision_ids=[c.provision_id for c in comments])
    keys_before = set(Provision.objects.filter(version__page=published).values_list("key", "text"))
    client.force_login(editor)

    response = import_text(client, published, TEXT_1, as_version="same")
    assert response.status_code == 302
    assert response["Location"] == f"/admin/drafts/{published.pk}/alignment/"
    screen = client.get(response["Location"]).content.decode()
    assert "Nothing changed" in screen or "Không có gì thay đổi" in screen
    publish_from_alignment(client, published)

    page = DraftPage.objects.get(pk=published.pk)
    assert page.version_number == 1
    assert set(Provision.objects.filter(version__page=page).values_list("key", "text")) == (
        keys_before
    )
    assert not Provision.objects.filter(version__page=page, withdrawn=True).exists()
    for comment in comments:
        comment = Feedback.objects.get(pk=comment.pk)
        assert comment.provision.withdrawn is False
        assert comment.provision.feedback_count == 1


def test_next_version_keeps_keys_of_renumbered_and_edited_provisions(client, editor, published):
    old_2, old_3_1, old_4 = (
        provision(published, "dieu-2"), provision(published, "dieu-3-khoan-1"),
        provision(published, "dieu-4"),
    )  # fmt: skip
    client.force_login(editor)

    response = import_text(client, published, TEXT_2)
    assert response["Location"] == f"/admin/drafts/{published.pk}/alignment/"
    screen = client.get(response["Location"])
    html = screen.content.decode()
    rows = {row.key: row.status for row in screen.context["rows"]}
    assert rows[str(old_3_1.key)] == "changed"
    assert screen.context["counts"]["new"] == 1  # the new Điều 2
    assert screen.context["counts"]["renumbered"] == 3  # the old Điều 2, 3 and 4
    assert 'data-status="changed"' in html
    assert "<ins>" in html and "không quá ba năm" in html
    assert published.versions.count() == 1  # nothing published yet

    response = publish_from_alignment(client, published)
    assert response.status_code == 302
    assert response["Location"].endswith("so-sanh/1-2/")
    page = DraftPage.objects.get(pk=published.pk)
    assert page.version_number == 2
    assert provision(page, "dieu-3", 2).key == old_2.key  # renumbered: same provision
    assert provision(page, "dieu-5", 2).key == old_4.key
    assert provision(page, "dieu-4-khoan-1", 2).key == old_3_1.key
    assert "không quá ba năm" in provision(page, "dieu-4-khoan-1", 2).text
    # Dự thảo 1 stays as it was.
    assert provision(page, "dieu-2", 1).title == "Đối tượng áp dụng"
    assert DraftVersion.objects.filter(page=page).count() == 2


def test_a_wrong_pair_is_broken_and_another_repointed(client, editor, published):
    client.force_login(editor)
    import_text(client, published, TEXT_2)
    url = f"/admin/drafts/{published.pk}/alignment/"
    old_4 = provision(published, "dieu-4")
    new_5 = next(
        row.new for row in client.get(url + "?tat-ca=1").context["rows"]
        if row.new and row.new.anchor == "dieu-5"
    )  # fmt: skip
    assert new_5.key == str(old_4.key)

    client.post(url, {"action": "break", "key": new_5.key})
    review = client.get(url + "?tat-ca=1").context
    by_anchor = {row.new.anchor: row for row in review["rows"] if row.new}
    assert by_anchor["dieu-5"].status == "new"
    assert by_anchor["dieu-5"].key != str(old_4.key)
    assert [row.old.anchor for row in review["rows"] if row.status == "removed"] == ["dieu-4"]

    client.post(url, {"action": "repoint", "key": by_anchor["dieu-5"].key, "old_key": old_4.key})
    review = client.get(url + "?tat-ca=1").context
    by_anchor = {row.new.anchor: row for row in review["rows"] if row.new}
    assert by_anchor["dieu-5"].key == str(old_4.key)
    assert by_anchor["dieu-5"].status == "renumbered"


def test_repointing_across_kinds_is_refused_with_a_message(client, editor, published):
    client.force_login(editor)
    import_text(client, published, TEXT_2)
    url = f"/admin/drafts/{published.pk}/alignment/"
    article = provision(published, "dieu-1")
    clause = next(
        row.new for row in client.get(url + "?tat-ca=1").context["rows"]
        if row.new and row.new.kind == "clause"
    )  # fmt: skip
    before = DraftPage.objects.get(pk=published.pk).get_latest_revision().pk
    response = client.post(
        url, {"action": "repoint", "key": clause.key, "old_key": article.key}, follow=True
    )
    assert "not of the same kind" in response.content.decode() or "cùng loại" in (
        response.content.decode()
    )
    assert DraftPage.objects.get(pk=published.pk).get_latest_revision().pk == before


def test_another_agencys_editor_cannot_reach_the_alignment(client, editor_b, published):
    client.force_login(editor_b)
    url = f"/admin/drafts/{published.pk}/alignment/"
    assert client.get(url).status_code in (302, 403)
    response = client.post(url, {"action": "publish"})
    assert response.status_code in (302, 403)
    assert response.get("Location", "") != f"{published.url}so-sanh/1-2/"
    assert DraftPage.objects.get(pk=published.pk).version_number == 1


def test_import_offers_the_next_version_only_for_a_published_draft(client, editor, home, agency):
    from drafts.importing import parse_text

    unpublished = draft_create(
        parent=home, agency=agency, title="Chưa đăng", body=parse_text(TEXT_1).body
    )
    client.force_login(editor)
    assert "as_version" not in client.get(f"{IMPORT}?page={unpublished.pk}").context["form"].fields
    response = client.post(IMPORT, {"page": unpublished.pk, "text": TEXT_2})
    assert response["Location"] == f"/admin/pages/{unpublished.pk}/edit/"


ONE_ARTICLE = "Điều 1. Chỉ một điều\nNội dung duy nhất của văn bản mới.\n"


def commented(page, *anchors):
    comments = [factories.make_feedback(page, provision=provision(page, a)) for a in anchors]
    feedback_changed(draft_id=page.pk, provision_ids=[c.provision_id for c in comments])
    return comments


def test_publishing_an_import_that_drops_commented_provisions_asks_to_confirm(
    client, editor, published
):
    commented(published, "dieu-2-khoan-1", "dieu-4")
    client.force_login(editor)
    import_text(client, published, ONE_ARTICLE)
    url = f"/admin/drafts/{published.pk}/alignment/"
    screen = client.get(url)
    assert screen.context["removed_commented"] == 2
    html = screen.content.decode()
    assert 'name="confirm_removed"' in html
    assert html.count("data-comments=") == 2  # the removed rows say they carry comments

    refused = client.post(url, {"action": "publish"}, follow=True)
    assert "confirm" in refused.content.decode() or "xác nhận" in refused.content.decode()
    assert DraftPage.objects.get(pk=published.pk).version_number == 1

    client.post(url, {"action": "publish", "confirm_removed": "1"})
    assert DraftPage.objects.get(pk=published.pk).version_number == 2


def test_the_page_editors_publish_saves_an_unreviewed_import_as_a_draft(client, editor, published):
    from tests.drafts.test_editor_parts import page_form_data, stream_fields

    commented(published, "dieu-3-khoan-2")
    client.force_login(editor)
    import_text(client, published, ONE_ARTICLE)
    revisions = published.revisions.count()
    edit = f"/admin/pages/{published.pk}/edit/"
    body = list(
        DraftPage.objects.get(pk=published.pk).get_latest_revision_as_object().body.raw_data
    )
    data = page_form_data(client.get(edit).content.decode()) | stream_fields(body)
    data["action-publish"] = "1"
    data["summary"] = "Tóm tắt mới, vẫn được lưu."
    response = client.post(edit, data, follow=True)
    page = DraftPage.objects.get(pk=published.pk)
    assert page.version_number == 1 and page.live_revision.as_object().version_number == 1
    assert published.revisions.count() == revisions + 1  # saved, not lost
    assert page.get_latest_revision_as_object().summary == "Tóm tắt mới, vẫn được lưu."
    assert f"/admin/drafts/{published.pk}/alignment/" in response.content.decode()
    assert provision(page, "dieu-3-khoan-2").withdrawn is False


def test_a_text_without_articles_or_a_pdf_is_not_imported(client, editor, published):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(editor)
    revisions = published.revisions.count()
    response = import_text(client, published, "Chỉ là một đoạn văn, không có điều nào.\n")
    assert response.status_code == 200
    assert "Điều 1." in response.content.decode()
    assert response.context["warnings"] == []  # no "imported as paragraphs" beside it
    pdf = SimpleUploadedFile("du-thao.pdf", "%PDF-1.7\nĐiều 1. Nội dung\n".encode())
    response = client.post(IMPORT, {"page": published.pk, "file": pdf, "as_version": "next"})
    assert response.status_code == 200
    assert "PDF" in response.content.decode()
    assert published.revisions.count() == revisions
    # The refused file is not kept for the next try: pasting the text then just works.
    assert not response.context["form"].data.get("held_file")
    retry = client.post(IMPORT, {"page": published.pk, "text": TEXT_2, "held_file": ""})
    assert retry.status_code == 302


def test_the_import_form_warns_that_unpublished_changes_are_replaced(client, editor, published):
    client.force_login(editor)
    form = client.get(f"{IMPORT}?page={published.pk}").content.decode()
    assert "data-unpublished-changes" not in form
    published.get_latest_revision_as_object().save_revision(user=editor)
    html = client.get(f"{IMPORT}?page={published.pk}").content.decode()
    assert "data-unpublished-changes" in html


def test_bulk_publish_leaves_out_an_unreviewed_import(client, editor, published):
    commented(published, "dieu-4")
    client.force_login(editor)
    import_text(client, published, ONE_ARTICLE)
    response = client.post(
        f"/admin/bulk/wagtailcore/page/publish/?id={published.pk}", {}, follow=True
    )
    assert f"/admin/drafts/{published.pk}/alignment/" in response.content.decode()
    page = DraftPage.objects.get(pk=published.pk)
    assert page.version_number == 1 and page.has_unpublished_changes
    assert provision(page, "dieu-4").withdrawn is False


def test_an_article_split_in_two_is_shown_as_such(client, editor, published):
    split = TEXT_1.replace(
        "2. Địa bàn thử nghiệm là tỉnh, thành phố được chọn.\nĐiều 4.",
        "Điều 4. Địa bàn thử nghiệm\nĐịa bàn thử nghiệm là tỉnh, thành phố được chọn.\nĐiều 5.",
    )
    client.force_login(editor)
    import_text(client, published, split)
    screen = client.get(f"/admin/drafts/{published.pk}/alignment/")
    rows = [row for row in screen.context["rows"] if row.status == "split"]
    assert [(row.new.label, row.note) for row in rows] == [("Điều 4", "Điều 3")]
    assert screen.context["counts"]["split"] == 1
    assert 'data-status="split"' in screen.content.decode()


def test_the_part_editors_publish_holds_an_unreviewed_import_too(client, editor, published):
    import re

    from tests.drafts.test_editor_parts import stream_fields

    commented(published, "dieu-4")
    client.force_login(editor)
    import_text(client, published, ONE_ARTICLE)
    url = f"/admin/drafts/{published.pk}/text/dieu-1/"
    html = client.get(url).content.decode()
    revision = re.search(r'name="revision" value="(\d+)"', html).group(1)
    body = list(
        DraftPage.objects.get(pk=published.pk).get_latest_revision_as_object().body.raw_data
    )
    body[0]["value"]["title"] = "Chỉ một điều, đã sửa"
    data = stream_fields(body) | {"revision": revision, "action-publish": "1"}
    response = client.post(url, data, follow=True)
    page = DraftPage.objects.get(pk=published.pk)
    assert page.version_number == 1 and page.has_unpublished_changes
    assert page.get_latest_revision_as_object().body.raw_data[0]["value"]["title"] == (
        "Chỉ một điều, đã sửa"
    )  # saved, not lost
    assert f"/admin/drafts/{published.pk}/alignment/" in response.content.decode()
    assert provision(page, "dieu-4").withdrawn is False
