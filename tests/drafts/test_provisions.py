"""Provision rows written on publish: keys stay through edits, removed ones are withdrawn."""

import pytest

from drafts.models import DraftVersion, Provision
from tests import factories

pytestmark = pytest.mark.django_db


def rows(page):
    return {
        p.anchor: p
        for p in Provision.objects.filter(version__page=page, withdrawn=False).select_related(
            "parent"
        )
    }


def test_publishing_writes_one_row_per_provision(draft):
    live = rows(draft)
    assert {p.kind for p in live.values()} == {
        "paragraph", "chapter", "section", "article", "clause", "point"
    }  # fmt: skip
    point = live["dieu-2-khoan-2-diem-dd"]
    assert point.label == "Điểm đ"
    assert point.citation == "Điểm đ khoản 2 Điều 2"
    assert point.parent.anchor == "dieu-2-khoan-2"
    assert point.parent.parent.anchor == "dieu-2"
    assert live["dieu-5"].path == "chuong-2/chuong-2-muc-1/dieu-5"
    assert live["dieu-5a"].label == "Điều 5a"
    positions = [p.position for p in sorted(live.values(), key=lambda p: p.position)]
    assert positions == list(range(len(positions)))


def test_unpublished_page_has_no_rows(home, agency):
    page = factories.draft_page(parent=home, agency=agency, publish=False)
    assert not Provision.objects.filter(version__page=page).exists()


def test_keys_survive_edits_and_removed_provisions_are_withdrawn(draft):
    before = rows(draft)
    body = draft.body.raw_data
    raw = [dict(block) for block in body]
    # Edit Điều 1's text, renumber Điều 5a to 6, and remove Điều 2 altogether.
    for block in raw:
        if block["type"] == "article" and block["value"]["number"] == "1":
            block["value"] = {**block["value"], "intro": "Luật này quy định về đất đai và nhà ở."}
        if block["type"] == "article" and block["value"]["number"] == "5a":
            block["value"] = {**block["value"], "number": "6"}
    raw = [b for b in raw if not (b["type"] == "article" and b["value"]["number"] == "2")]
    page = draft.get_latest_revision_as_object()
    page.body = raw
    page.save_revision().publish()

    after = rows(draft)
    assert after["dieu-1"].key == before["dieu-1"].key
    assert after["dieu-1"].pk == before["dieu-1"].pk
    assert after["dieu-1"].text == "Luật này quy định về đất đai và nhà ở."
    assert after["dieu-6"].key == before["dieu-5a"].key
    assert "dieu-2" not in after
    withdrawn = Provision.objects.get(key=before["dieu-2-khoan-2-diem-a"].key)
    assert withdrawn.withdrawn is True
    assert DraftVersion.objects.filter(page=draft).count() == 1


def test_new_draft_number_starts_a_new_version_with_the_same_keys(draft):
    before = rows(draft)
    page = draft.get_latest_revision_as_object()
    page.version_number = 2
    page.save_revision().publish()
    versions = list(DraftVersion.objects.filter(page=draft).order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    v2 = {p.anchor: p.key for p in versions[1].provisions.all()}
    assert v2 == {anchor: p.key for anchor, p in before.items()}
    # The first version keeps its rows, so feedback given on it stays where it was.
    assert versions[0].provisions.filter(withdrawn=False).count() == len(before)


def test_outline_keys_are_stable_without_block_ids_and_unique_when_ids_repeat():
    from drafts.outline import build_outline

    body = [
        {"type": "article", "value": {"number": "1", "title": "A", "clauses": [
            {"number": "1", "text": "x", "points": [{"letter": "a", "text": "y"}]},
        ]}},
        {"type": "article", "id": "0f8c3c44-5a1e-4c39-9f3e-1d2b3c4d5e6f", "value": {
            "number": "2", "title": "B"}},
        {"type": "article", "id": "0f8c3c44-5a1e-4c39-9f3e-1d2b3c4d5e6f", "value": {
            "number": "3", "title": "C"}},
    ]  # fmt: skip
    first, second = build_outline(body), build_outline(body)
    assert [i.key for i in first] == [i.key for i in second]
    assert len({i.key for i in first}) == len(first) == 5
    assert first[3].key == "0f8c3c44-5a1e-4c39-9f3e-1d2b3c4d5e6f"
    assert first[1].parent_key == first[0].key and first[2].parent_key == first[1].key


def test_anchors_of_parts_fold_ordinals_and_prefix_their_sections():
    from drafts.outline import build_outline
    from tests.factories import heading_block

    body = [
        heading_block("part", "thứ mười một", "PHẦN MƯỜI MỘT"),
        heading_block("section", "1", "MỤC"),
        heading_block("part", "THỨ HAI MƯƠI MỐT", ""),
        heading_block("section", "1", "MỤC"),
        heading_block("chapter", "iv", ""),
    ]
    assert [i.anchor for i in build_outline(body)] == [
        "phan-11", "phan-11-muc-1", "phan-21", "phan-21-muc-1", "chuong-4"
    ]  # fmt: skip


def test_republishing_with_swapped_anchors_and_a_new_article_keeps_every_key(draft):
    before = rows(draft)
    page = draft.get_latest_revision_as_object()
    raw = [dict(block) for block in page.body.raw_data]
    articles = [b for b in raw if b["type"] == "article"]
    # Swap the numbers of Điều 1 and Điều 2 and insert a new Điều 1a with a clause and a point.
    articles[0]["value"] = {**articles[0]["value"], "number": "2"}
    articles[1]["value"] = {**articles[1]["value"], "number": "1"}
    new = factories.article_block("1a", "Điều mới", [("1", "Khoản mới", [("a", "Điểm mới")])])
    raw.insert(raw.index(articles[1]) + 1, new)
    page.body = raw
    page.save_revision().publish()

    after = rows(draft)
    assert after["dieu-2"].key == before["dieu-1"].key
    assert after["dieu-1"].key == before["dieu-2"].key
    assert after["dieu-1-khoan-2-diem-dd"].key == before["dieu-2-khoan-2-diem-dd"].key
    assert after["dieu-1a-khoan-1-diem-a"].parent == after["dieu-1a-khoan-1"]
    assert after["dieu-1a-khoan-1"].parent == after["dieu-1a"]
    positions = sorted(p.position for p in after.values())
    assert positions == list(range(len(after)))
    assert not Provision.objects.filter(version__page=draft, withdrawn=True).exists()


ALTERNATIVES_TEXT = (
    "Điều 35. Quyền đơn phương chấm dứt\nPhương án 1: Giữ như hiện hành\n1. Khoản một.\n"
    "Phương án 2:\n1. Khoản khác.\nĐiều 36. Tuổi nghỉ hưu\n1.\n"
    "Phương án 1 (hiện hành): Nam đủ 60 tuổi.\nPhương án 2: Nam đủ 62 tuổi.\n"
)


def test_alternatives_keep_their_keys_through_an_edit_in_the_editor(client, home, agency):
    from drafts.importing import parse_text

    page = factories.draft_page(parent=home, agency=agency, body=parse_text(ALTERNATIVES_TEXT).body)
    before = rows(page)
    assert {a for a, p in before.items() if p.kind == "alternative"} == {
        "dieu-35-pa-1", "dieu-35-pa-2", "dieu-36-khoan-1-pa-1", "dieu-36-khoan-1-pa-2",
    }  # fmt: skip
    assert before["dieu-35-pa-2-khoan-1"].parent.anchor == "dieu-35-pa-2"
    # The editor opens on it, with the alternatives in its form.
    client.force_login(factories.UserFactory(username="admin", is_superuser=True, is_staff=True))
    editor = client.get(f"/admin/pages/{page.pk}/edit/")
    assert editor.status_code == 200
    assert str(before["dieu-36-khoan-1-pa-2"].key) in editor.content.decode()
    # Saved through the StreamField (as the editor saves it), edited and published again.
    latest = page.get_latest_revision_as_object()
    raw = latest.body.stream_block.get_prep_value(latest.body.stream_block.to_python(
        [dict(block) for block in latest.body.raw_data]
    ))  # fmt: skip
    clause = raw[1]["value"]["clauses"][0]["value"]
    clause["alternatives"][1]["value"]["text"] = "Nam đủ 62 tuổi, nữ đủ 60 tuổi."
    latest.body = raw
    latest.save_revision().publish()
    after = rows(page)
    assert {a: p.key for a, p in after.items()} == {a: p.key for a, p in before.items()}
    assert after["dieu-36-khoan-1-pa-2"].text == "Nam đủ 62 tuổi, nữ đủ 60 tuổi."
