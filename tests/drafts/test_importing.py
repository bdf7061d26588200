"""Importing Vietnamese legal text: the corpus imports with the counts of its meta files, and
every structure, numbering problem and unreadable file is recognised and reported by line."""

import io
import json
import re
import unicodedata
import uuid
from pathlib import Path

import docx
import pytest
from django.utils import translation
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from drafts.blocks import DraftBodyBlock
from drafts.importing import (
    ImportFailed,
    ImportMessage,
    body_text,
    parse_lines,
    parse_text,
    parse_upload,
    read_source,
)
from drafts.outline import anchor_kind, build_outline, heading_number_token
from tests.conftest import CORPUS_DIR

CORPUS_FILES = sorted(CORPUS_DIR.glob("*.txt"))

# Paragraph blocks, counted by hand: the lines before the first heading plus the closing lines
# after the last article (adoption formula and signature).
EXPECTED_PARAGRAPHS = {
    # "DỰ THẢO 2 BỘ LUẬT LAO ĐỘNG (SỬA ĐỔI)", "(Ngày 21/3/2017)"; no preamble, no signature.
    "du-thao-2-bo-luat-lao-dong-sua-doi-2017": 2,
    # 9 lines from "QUỐC HỘI" to "Quốc hội ban hành Luật Điện ảnh.", then "Luật này được
    # Quốc hội … thông qua ngày 15 tháng 6 năm 2022./.", "CHỦ TỊCH QUỐC HỘI", "Vương Đình Huệ".
    "luat-dien-anh-2022": 12,
}

HEADING_KEYWORDS = {"CHƯƠNG": "Chương", "MỤC": "Mục", "PHẦN": "Phần", "TIỂU MỤC": "Tiểu mục"}
HEADING_LINE = re.compile(
    r"^(Tiểu mục|TIỂU MỤC|Chương|CHƯƠNG|Mục|MỤC|Phần|PHẦN) ([IVXLCDMivxlcdm]+|\d+)\.?(?=\s|$)"
)
# "Phương án 1:", "Phương án 1 (hiện hành): …": the ":" after the number or the note.
ALTERNATIVE_LINE = re.compile(r"^(Phương án \d+(?: \(.*?\))?) ?:")
ALTERNATIVE_SOURCE_LINE = re.compile(r"^Phương án \d", re.MULTILINE)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def meta_for(path: Path) -> dict:
    return json.loads(path.with_name(path.stem + ".meta.json").read_text(encoding="utf-8"))


def comparable(text: str) -> str:
    """Text with whitespace removed and heading lines written one way.

    The body keeps a heading's number and title, not how the line spelled its keyword or the
    "." between number and title ("MỤC 1. TITLE" comes back as "Mục 1" + "TITLE"), so those two
    things, and only on heading lines, are normalised on both sides; likewise the ":" after
    "Phương án N" (or after its note), which the body does not keep.
    """
    lines = []
    for line in text.split("\n"):
        line = line.strip()
        match = HEADING_LINE.match(line)
        if match:
            keyword = HEADING_KEYWORDS.get(match[1], match[1])
            line = f"{keyword} {match[2]}\n{line[match.end() :]}"
        line = ALTERNATIVE_LINE.sub(r"\1", line)
        lines.append(line)
    return re.sub(r"\s+", "", "\n".join(lines))


def articles(body):
    return [block["value"] for block in body if block["type"] == "article"]


def items(raw: list[dict]) -> list[dict]:
    return [item["value"] for item in raw or []]


def units(value: dict, key: str) -> list[dict]:
    """The clauses (`key` "clauses") or points ("points") of an article, those inside its
    alternatives and its clauses' and points' alternatives included: as the corpus counts."""
    found = []
    if key == "points":
        for point in items(value.get("points")):
            found.append(point)
            for alternative in items(point.get("alternatives")):
                found.extend(units(alternative, key))
    for clause in items(value.get("clauses")):
        if key == "clauses":
            found.append(clause)
        found.extend(units({**clause, "clauses": []}, key))
    for alternative in items(value.get("alternatives")):
        found.extend(units(alternative, key))
    return found


def clause_count(article: dict) -> int:
    return len(units(article, "clauses"))


def point_count(article: dict) -> int:
    return len(units(article, "points"))


def block_ids(value) -> list[str]:
    """Every "id" of a body's blocks and list items, in document order."""
    if isinstance(value, list):
        return [found for item in value for found in block_ids(item)]
    if isinstance(value, dict):
        own = [value["id"]] if "id" in value and "type" in value else []
        return own + [found for child in value.values() for found in block_ids(child)]
    return []


def anchors(result) -> set[str]:
    return {item.anchor for item in build_outline(result.body)}


def lines_of(messages: list[ImportMessage]) -> list[int]:
    return [message.line for message in messages]


# --- The corpus -----------------------------------------------------------------------------


def test_the_corpus_is_there():
    assert {path.stem for path in CORPUS_FILES} >= set(EXPECTED_PARAGRAPHS)


@pytest.fixture(params=CORPUS_FILES, ids=lambda path: path.stem, scope="module")
def corpus(request):
    path = request.param
    with translation.override("en"):
        result = parse_upload(path.read_bytes(), path.name)
    return path, meta_for(path), result


def test_corpus_imports_with_the_counts_of_its_meta_file(corpus):
    path, meta, result = corpus
    assert result.ok, result.errors
    assert set(result.counts) == {*meta["counts"], "alternatives", "paragraphs"}
    assert {key: result.counts[key] for key in meta["counts"]} == meta["counts"]
    source = path.read_text(encoding="utf-8")
    assert result.counts["alternatives"] == len(ALTERNATIVE_SOURCE_LINE.findall(source))
    assert result.counts["paragraphs"] == EXPECTED_PARAGRAPHS[path.stem]
    assert (
        sum(block["type"] == "paragraph" for block in result.body) == EXPECTED_PARAGRAPHS[path.stem]
    )


def test_corpus_articles_have_the_clauses_and_points_of_the_meta_file(corpus):
    _path, meta, result = corpus
    found = [(a["number"], clause_count(a), point_count(a)) for a in articles(result.body)]
    expected = [(a["article"], a["clauses"], a["points"]) for a in meta["articles"]]
    assert found == expected


def test_corpus_chapters_and_sections_match_the_meta_file(corpus):
    _path, meta, result = corpus
    chapters, sections, placement = [], [], []
    chapter = section = None
    for block in result.body:
        kind, value = block["type"], block["value"]
        if kind == "chapter":
            chapter, section = value["number"], None
            chapters.append((value["number"], " ".join(value["title"].split())))
        elif kind == "section":
            section = value["number"]
            sections.append((chapter, value["number"], " ".join(value["title"].split())))
        elif kind == "article":
            placement.append((value["number"], chapter, section))

    def number(label):
        return label.split()[-1] if label else None

    assert chapters == [(number(c["label"]), c["title"]) for c in meta["chapters"]]
    assert sections == [
        (number(s["chapter"]), number(s["label"]), s["title"]) for s in meta["sections"]
    ]
    assert placement == [
        (a["article"], number(a["chapter"]), number(a["section"])) for a in meta["articles"]
    ]


def test_corpus_text_is_kept_whole_and_in_order(corpus):
    path, _meta, result = corpus
    source = path.read_text(encoding="utf-8")
    assert comparable(body_text(result.body)) == comparable(source)


def test_corpus_body_is_valid_streamfield_data_with_unique_ids(corpus):
    _path, _meta, result = corpus
    ids = block_ids(result.body)
    assert len(ids) == len(set(ids))
    assert len(ids) == len(build_outline(result.body))
    assert all(str(uuid.UUID(value)) == value for value in ids)

    stream_block = DraftBodyBlock()
    value = stream_block.to_python(result.body)
    stream_block.clean(value)  # raises on a field too long or of the wrong shape
    assert [block["id"] for block in stream_block.get_prep_value(value)] == [
        block["id"] for block in result.body
    ]


def test_corpus_alternatives_are_provisions_with_unique_readable_anchors(corpus):
    path, _meta, result = corpus
    outline = build_outline(result.body)
    anchors = [item.anchor for item in outline]
    assert len(anchors) == len(set(anchors))
    # No anchor was made unique by a "-2" suffix (the old "dieu-35-khoan-1-2").
    duplicate = re.compile(r"^dieu-\w+-\d+$|-(khoan|diem)-\w+-\d+$")
    assert not [anchor for anchor in anchors if duplicate.search(anchor)]
    alternatives = [item for item in outline if item.kind == "alternative"]
    assert len(alternatives) == result.counts["alternatives"]
    assert all(re.search(r"-pa-\d+$", item.anchor) for item in alternatives)
    assert all(item.label == f"Phương án {item.number}" for item in alternatives)
    # Clause numbers that start again inside an alternative are not numbering problems.
    assert not [w for w in result.warnings if "restarts" in w.message], result.warnings


def test_labour_code_alternatives_at_every_level():
    path = CORPUS_DIR / "du-thao-2-bo-luat-lao-dong-sua-doi-2017.txt"
    outline = {
        item.anchor: item for item in build_outline(parse_upload(path.read_bytes(), path.name).body)
    }

    def under(anchor):
        return [
            item.anchor
            for item in outline.values()
            if item.path.endswith(f"/{anchor}/{item.anchor}")
        ]

    # Điều 35: two article-level alternatives, each with its own clauses and points.
    assert under("dieu-35") == ["dieu-35-pa-1", "dieu-35-pa-2"]
    pa1, pa2 = outline["dieu-35-pa-1"], outline["dieu-35-pa-2"]
    assert pa1.title == "Giữ như hiện hành (có lý do + thời hạn báo trước)"
    assert pa2.title.startswith("Người lao động có quyền chấm dứt HĐLĐ bất kể thời điểm nào")
    assert under("dieu-35-pa-1") == [
        "dieu-35-pa-1-khoan-1",
        "dieu-35-pa-1-khoan-2",
        "dieu-35-pa-1-khoan-3",
    ]
    assert under("dieu-35-pa-2") == ["dieu-35-pa-2-khoan-1", "dieu-35-pa-2-khoan-2"]
    assert outline["dieu-35-pa-2-khoan-1-diem-a"].citation == "Điểm a khoản 1 Phương án 2 Điều 35"
    # Điều 73: "Phương án 1:" alone on its line, then its clauses.
    assert under("dieu-73") == ["dieu-73-pa-1", "dieu-73-pa-2"]
    assert outline["dieu-73-pa-1"].title == "" and outline["dieu-73-pa-1"].text == ""
    assert len(under("dieu-73-pa-2")) == 3
    # Điều 148: clause 1 is "1." alone, then its alternatives with a note and their text.
    first = outline["dieu-148-khoan-1-pa-1"]
    assert (first.kind, first.label, first.title) == ("alternative", "Phương án 1", "(hiện hành)")
    assert first.text.startswith("Tuổi nghỉ hưu của người lao động bình thường")
    assert outline["dieu-148-khoan-1"].text == ""
    assert outline["dieu-148-khoan-1-pa-2"].citation == "Phương án 2 khoản 1 Điều 148"
    assert outline["dieu-148-khoan-2"].parent_key == outline["dieu-148"].key
    # Điều 84 and 127: "Phương án 2: Bỏ Khoản này…" is the text of the second alternative.
    assert outline["dieu-84-khoan-2-pa-2"].text.startswith("Bỏ Khoản này, Điều này chỉ bao gồm")
    assert outline["dieu-84-khoan-3"].parent_key == outline["dieu-84"].key
    assert outline["dieu-127-khoan-2-pa-2"].text == "Bỏ Khoản này, Điều này chỉ có Khoản 1."
    # Điều 150: point b) alone, then "Phương án 1" and "Phương án 2" lines, then clause 3.
    assert under("dieu-150-khoan-2-diem-b") == [
        "dieu-150-khoan-2-diem-b-pa-1",
        "dieu-150-khoan-2-diem-b-pa-2",
    ]
    assert outline["dieu-150-khoan-2-diem-b-pa-1"].text.startswith("Trường hợp đăng ký")
    assert outline["dieu-150-khoan-3"].parent_key == outline["dieu-150"].key
    # Điều 204: clause-level alternatives with their own points.
    assert under("dieu-204-khoan-1-pa-2") == [
        "dieu-204-khoan-1-pa-2-diem-a",
        "dieu-204-khoan-1-pa-2-diem-b",
    ]
    # The editorial note of Điều 151 stays its text.
    assert (
        outline["dieu-151"].text == "(Bỏ điều này nếu điểm b Khoản 2 Điều 150 đi theo phương án 1)"
    )


def test_labour_code_draft_quirks():
    path = CORPUS_DIR / "du-thao-2-bo-luat-lao-dong-sua-doi-2017.txt"
    result = parse_upload(path.read_bytes(), path.name)
    by_number = {a["number"]: a for a in articles(result.body)}
    assert by_number["60"]["title"] == "Hợp đồng đào tạo nghề và chi phí đào tạo nghề"
    chapter_iv = next(
        b["value"] for b in result.body if b["type"] == "chapter" and b["value"]["number"] == "IV"
    )
    assert chapter_iv["title"] == "HỌC NGHỀ, ĐÀO TẠO, BỒI DƯỠNG NÂNG CAO\nTRÌNH ĐỘ KỸ NĂNG NGHỀ"
    # "b Hội đồng trọng tài lao động;" (Điều 202) is kept as text, with a warning on its line.
    source_lines = path.read_text(encoding="utf-8").split("\n")
    line = source_lines.index("b Hội đồng trọng tài lao động;") + 1
    assert line in lines_of(result.warnings)
    clause_1 = by_number["202"]["clauses"][0]["value"]
    assert [p["value"]["letter"] for p in clause_1["points"]] == ["a", "c"]
    assert clause_1["points"][0]["value"]["text"].endswith("\nb Hội đồng trọng tài lao động;")


def test_closing_lines_of_the_law_are_paragraphs_not_part_of_the_last_article():
    path = CORPUS_DIR / "luat-dien-anh-2022.txt"
    result = parse_upload(path.read_bytes(), path.name)
    *_rest, last_article, p1, p2, p3 = result.body
    assert last_article["value"]["number"] == "50"
    assert "thông qua" not in body_text([last_article])
    assert [p1["type"], p2["type"], p3["type"]] == ["paragraph"] * 3
    assert p1["value"].startswith("Luật này được Quốc hội")
    assert [p2["value"], p3["value"]] == ["CHỦ TỊCH QUỐC HỘI", "Vương Đình Huệ"]


# --- Structure ------------------------------------------------------------------------------


def test_points_with_d_stroke_and_their_anchors():
    result = parse_text(
        "Điều 1. Giải thích\n1. Các trường hợp:\na) Một;\nb) Hai;\nc) Ba;\nd) Bốn;\n"
        "đ) Năm;\ne) Sáu.\n"
    )
    assert result.ok and not result.warnings
    letters = [
        p["value"]["letter"] for p in articles(result.body)[0]["clauses"][0]["value"]["points"]
    ]
    assert letters == ["a", "b", "c", "d", "đ", "e"]
    assert {"dieu-1-khoan-1-diem-dd", "dieu-1-khoan-1-diem-e"} <= anchors(result)


def test_inserted_article_and_inserted_point():
    result = parse_text(
        "Điều 5. Quy hoạch\n1. Nguyên tắc.\n2. Nội dung:\na) Định hướng;\na1) Điểm bổ sung;\n"
        "b) Tầm nhìn.\nĐiều 5a. Điều bổ sung\nNội dung điều bổ sung.\nĐiều 6. Tiếp theo\n"
    )
    assert result.ok and not result.warnings
    assert result.counts["articles"] == 3
    assert result.counts["points"] == 3
    assert [a["number"] for a in articles(result.body)] == ["5", "5a", "6"]
    assert {"dieu-5a", "dieu-5-khoan-2-diem-a1", "dieu-6"} <= anchors(result)


def test_article_heading_without_space_and_units_without_space():
    result = parse_text("Điều60. Hợp đồng\n1.Khoản một\n2.\na)Điểm a\n")
    article = articles(result.body)[0]
    assert article["number"] == "60" and article["title"] == "Hợp đồng"
    assert [c["value"]["number"] for c in article["clauses"]] == ["1", "2"]
    assert article["clauses"][0]["value"]["text"] == "Khoản một"
    assert article["clauses"][1]["value"]["text"] == ""
    assert article["clauses"][1]["value"]["points"][0]["value"] == {"letter": "a", "text": "Điểm a"}


def test_roman_numerals_in_any_case():
    result = parse_text("Chương iv\nQUY ĐỊNH\nĐiều 1. Một\nCHƯƠNG V. KHÁC\nĐiều 2. Hai\n")
    chapters = [b["value"] for b in result.body if b["type"] == "chapter"]
    assert chapters == [
        {"number": "iv", "title": "QUY ĐỊNH"},
        {"number": "V", "title": "KHÁC"},
    ]
    assert {"chuong-4", "chuong-5"} <= anchors(result)
    assert not result.warnings


def test_chapter_number_that_is_not_a_roman_numeral_is_a_warning():
    result = parse_text("Chương IIII\nA\nĐiều 1. Một\n")
    assert result.counts["chapters"] == 1
    assert lines_of(result.warnings) == [1]
    assert "Roman" in result.warnings[0].message


def test_chapter_title_on_following_lines_and_section_title_on_its_line():
    result = parse_text(
        "CHƯƠNG X\nNHỮNG QUY ĐỊNH RIÊNG\nĐỐI VỚI LAO ĐỘNG\nMục 1. LAO ĐỘNG CHƯA THÀNH NIÊN\n"
        "Điều 1. Một\n"
    )
    assert [b["value"] for b in result.body[:2]] == [
        {"number": "X", "title": "NHỮNG QUY ĐỊNH RIÊNG\nĐỐI VỚI LAO ĐỘNG"},
        {"number": "1", "title": "LAO ĐỘNG CHƯA THÀNH NIÊN"},
    ]
    assert "chuong-10-muc-1" in anchors(result)


def test_section_word_in_a_sentence_is_not_a_section():
    result = parse_text("Điều 1. Mục tiêu\nMục tiêu giáo dục nghề nghiệp là đào tạo.\n")
    assert result.counts["sections"] == 0
    assert articles(result.body)[0]["intro"] == "Mục tiêu giáo dục nghề nghiệp là đào tạo."


def test_subsection_counts_as_subsection_not_section():
    result = parse_text(
        "Mục 1\nQUY ĐỊNH CHUNG\nTiểu mục 1\nĐẤT NÔNG NGHIỆP\nĐiều 1. Một\n"
        "TIỂU MỤC 2. ĐẤT Ở\nĐiều 2. Hai\n"
    )
    assert result.counts["sections"] == 1
    assert result.counts["subsections"] == 2
    assert [b["type"] for b in result.body] == [
        "section", "subsection", "article", "subsection", "article",
    ]  # fmt: skip
    assert result.body[3]["value"] == {"number": "2", "title": "ĐẤT Ở"}


def test_parts_by_ordinal_word_or_numeral():
    result = parse_text(
        "Phần thứ nhất\nNHỮNG QUY ĐỊNH CHUNG\nChương I\nPHẠM VI\nĐiều 1. Một\n"
        "PHẦN THỨ HAI. QUYỀN SỞ HỮU\nChương I\nCHIẾM HỮU\nĐiều 2. Hai\n"
    )
    assert result.ok, result.errors  # the same chapter number in another part is fine
    parts = [b["value"] for b in result.body if b["type"] == "part"]
    assert parts == [
        {"number": "thứ nhất", "title": "NHỮNG QUY ĐỊNH CHUNG"},
        {"number": "THỨ HAI", "title": "QUYỀN SỞ HỮU"},
    ]
    assert result.counts["parts"] == 2
    assert {"phan-1", "phan-2"} <= anchors(result)


def test_preamble_lines_are_paragraphs_one_per_line():
    result = parse_text(
        "LUẬT\nĐIỆN ẢNH\nCăn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;\n"
        "Chương I\nNHỮNG QUY ĐỊNH CHUNG\nĐiều 1. Phạm vi\nNội dung.\n"
    )
    assert [b["type"] for b in result.body] == ["paragraph"] * 3 + ["chapter", "article"]
    assert result.counts["paragraphs"] == 3
    assert result.body[2]["value"].startswith("Căn cứ Hiến pháp")


def test_continuation_lines_go_to_the_latest_unit_in_reading_order():
    text = (
        "Điều 1. Một\nĐoạn mở đầu.\na) Điểm của điều;\nTiếp điểm a.\n1. Khoản một:\n"
        "Tiếp khoản một.\na) Điểm a;\nTiếp điểm a khoản 1.\n2. Khoản hai.\n192\nBảng\n"
    )
    result = parse_text(text)
    article = articles(result.body)[0]
    assert article["intro"] == "Đoạn mở đầu."
    assert article["points"][0]["value"]["text"] == "Điểm của điều;\nTiếp điểm a."
    clause_1, clause_2 = (c["value"] for c in article["clauses"])
    assert clause_1["text"] == "Khoản một:\nTiếp khoản một."
    assert clause_1["points"][0]["value"]["text"] == "Điểm a;\nTiếp điểm a khoản 1."
    assert clause_2["text"] == "Khoản hai.\n192\nBảng"
    assert body_text(result.body) == text.strip()


def test_quoted_lines_are_never_structural():
    result = parse_text(
        "Điều 1. Sửa đổi, bổ sung Điều 5 như sau:\n“Điều 5. Nguyên tắc\n"
        '“1. Khoản được sửa.\n“a) Điểm được sửa.”\n"Chương II\n‘Điều 1. Lặp lại trong ngoặc’\n'
        "Điều 2. Hiệu lực\n"
    )
    assert result.ok, result.errors
    assert result.counts["articles"] == 2
    assert result.counts["clauses"] == result.counts["points"] == result.counts["chapters"] == 0
    assert articles(result.body)[0]["intro"].startswith("“Điều 5. Nguyên tắc\n“1. Khoản")


def test_closing_formula_and_signature_become_paragraphs():
    result = parse_text(
        "Điều 1. Hiệu lực\nNghị định này có hiệu lực từ ngày ký.\nNơi nhận:\n- Như trên;\n"
        "TM. CHÍNH PHỦ\nTHỦ TƯỚNG\nNguyễn Văn A\n"
    )
    assert articles(result.body)[0]["intro"] == "Nghị định này có hiệu lực từ ngày ký."
    assert [b["value"] for b in result.body if b["type"] == "paragraph"] == [
        "Nơi nhận:", "- Như trên;", "TM. CHÍNH PHỦ", "THỦ TƯỚNG", "Nguyễn Văn A",
    ]  # fmt: skip


def test_clause_and_point_lines_outside_articles_are_paragraphs_with_a_warning():
    result = parse_text("Căn cứ:\n1. Hiến pháp;\na) Luật;\nĐiều 1. Một\n")
    assert result.counts["paragraphs"] == 3
    assert result.counts["clauses"] == result.counts["points"] == 0
    assert lines_of(result.warnings) == [2, 3]


def test_every_message_carries_line_and_text():
    message = ImportMessage(line=12, text="Điều 7. Tên", message="Article 7 follows Article 5.")
    assert str(message) == "Line 12 («Điều 7. Tên»): Article 7 follows Article 5."


# --- Numbering ------------------------------------------------------------------------------


def test_article_gap_is_a_warning_naming_the_line():
    result = parse_text("Điều 5. Năm\nNội dung.\n\nĐiều 7. Bảy\nNội dung.\n")
    assert result.ok
    [warning] = result.warnings
    assert warning.line == 4
    assert warning.text == "Điều 7. Bảy"
    assert "Article 6 is missing" in warning.message
    assert str(warning).startswith("Line 4 («Điều 7. Bảy»)")


def test_article_going_backwards_is_a_warning():
    result = parse_text("Điều 2. Hai\nA.\nĐiều 1. Một\nB.\n")
    assert result.ok
    assert lines_of(result.warnings) == [3]


def test_repeated_article_number_is_an_error_naming_both_lines():
    result = parse_text("Điều 1. Một\nA.\nĐiều 2. Hai\nB.\nĐiều 1. Lại một\nC.\n")
    assert not result.ok
    [error] = result.errors
    assert error.line == 5
    assert "line 1" in error.message
    assert "Line 5" in str(error)


def test_repeated_chapter_in_the_same_part_is_an_error():
    result = parse_text("Chương I\nA\nĐiều 1. Một\nChương II\nB\nĐiều 2. Hai\nChương i\nC\n")
    assert not result.ok
    assert lines_of(result.errors) == [7]
    assert "line 1" in result.errors[0].message


def test_chapter_gap_is_a_warning():
    result = parse_text("Chương I\nA\nĐiều 1. Một\nChương III\nB\nĐiều 2. Hai\n")
    assert result.ok
    assert lines_of(result.warnings) == [4]


def test_clause_restart_repeat_and_gap_are_warnings():
    result = parse_text("Điều 1. Một\n1. A\n2. B\n1. C\n1. D\n3. E\n")
    assert result.ok
    assert result.counts["clauses"] == 5
    assert lines_of(result.warnings) == [4, 5, 6]
    restart, repeat, gap = (w.message for w in result.warnings)
    assert "restarts at 1" in restart
    assert "twice" in repeat
    assert "clause 2 is missing" in gap


def test_points_out_of_order_skipped_or_repeated_are_warnings():
    result = parse_text("Điều 1. Một\n1. Khoản:\na) A;\nc) C;\nb) B;\nb) B lặp;\n")
    assert result.ok
    assert result.counts["points"] == 4
    assert lines_of(result.warnings) == [4, 5, 6]
    skipped, out_of_order, repeated = (w.message for w in result.warnings)
    assert "b) missing" in skipped
    assert "out of order" in out_of_order
    assert "repeated" in repeated


def test_vietnamese_point_order_has_no_f():
    result = parse_text("Điều 1. Một\na) A;\nb) B;\nc) C;\nd) D;\nđ) Đ;\ne) E;\ng) G;\nh) H;\n")
    assert not result.warnings


def test_point_missing_its_parenthesis_is_text_with_a_warning():
    result = parse_text("Điều 1. Một\n1. Gồm:\na) Hòa giải viên;\nb Hội đồng trọng tài lao động;\n")
    assert result.ok
    assert result.counts["points"] == 1
    [warning] = result.warnings
    assert warning.line == 4
    assert "b)" in warning.message
    assert "b Hội đồng trọng tài lao động;" in body_text(result.body)


def test_article_without_title_or_text_is_a_warning():
    result = parse_text("Điều 1.\nĐiều 2. Hai\nNội dung.\n")
    assert result.ok
    assert lines_of(result.warnings) == [1]


def test_document_without_articles_is_a_warning():
    result = parse_text("Tờ trình về dự án Luật\nKính gửi: Quốc hội\n")
    assert result.ok
    assert result.counts["paragraphs"] == 2
    assert len(result.warnings) == 1
    assert "No articles" in str(result.warnings[0])


# --- Reading files --------------------------------------------------------------------------


def test_read_source_numbers_physical_lines_and_normalises():
    decomposed = unicodedata.normalize("NFD", "Điều")
    data = f"\ufeff  Điều 1.   Phạm\tvi \r\n\r\n\u00a0\n{decomposed}\n".encode()
    assert read_source(data, "luat.txt") == [(1, "Điều 1. Phạm vi"), (4, "Điều")]


@pytest.mark.parametrize(
    "data",
    [b"", b"   \n\t\r\n  \n", "\u00a0\u3000\n".encode()],
    ids=["empty", "whitespace", "unicode-spaces"],
)
def test_empty_or_blank_file_is_refused(data):
    with pytest.raises(ImportFailed) as failure:
        parse_upload(data, "du-thao.txt")
    assert len(failure.value.errors) == 1
    assert "empty" in str(failure.value) or "blank" in str(failure.value)


def test_blank_text_is_refused_by_parse_text():
    with pytest.raises(ImportFailed):
        parse_text("\n  \n")


def test_binary_junk_is_refused():
    with pytest.raises(ImportFailed) as failure:
        parse_upload(bytes(range(256)) * 8, "du-thao.txt")
    assert "not text" in str(failure.value)


def test_docx_name_on_something_else_is_refused():
    with pytest.raises(ImportFailed) as failure:
        parse_upload("Điều 1. Phạm vi\n".encode(), "du-thao.docx")
    assert ".docx" in str(failure.value)


def test_zip_named_txt_is_refused():
    with pytest.raises(ImportFailed) as failure:
        parse_upload(make_docx(["Điều 1. Phạm vi"]), "du-thao.txt")
    assert "ZIP" in str(failure.value)


def test_file_over_the_limit_is_refused_naming_the_limit():
    with pytest.raises(ImportFailed) as failure:
        parse_upload(b"a" * (20 * 1024 * 1024), "du-thao.txt")
    assert "20 MB" in str(failure.value)
    assert "limit is 10 MB" in str(failure.value)
    with pytest.raises(ImportFailed, match="limit is 1 MB"):
        read_source(b"a" * (1024 * 1024 + 1), "du-thao.txt", max_bytes=1024 * 1024)


@pytest.mark.parametrize("encoding", ["cp1258", "latin-1"])
def test_text_not_in_utf8_is_refused_naming_the_line(encoding):
    data = b"LUAT\nCan cu Hien phap;\n" + "Điều 1. Hà Nội".encode(encoding, errors="replace")
    data += b"\nHet\n"
    with pytest.raises(ImportFailed) as failure:
        parse_upload(data, "du-thao.txt")
    [error] = failure.value.errors
    assert error.line == 3
    assert "UTF-8" in error.message
    assert str(error).startswith("Line 3 ")


# --- Word documents -------------------------------------------------------------------------


def make_docx(paragraphs: list[str], *, table: list[str] = (), numbered: int | None = None):
    """A .docx with the given paragraphs; `table` adds a one-column table after the second
    paragraph; `numbered` gives that paragraph (0-based) Word's automatic numbering."""
    document = docx.Document()
    for i, text in enumerate(paragraphs):
        paragraph = document.add_paragraph(text)
        if i == numbered:
            ppr = paragraph._p.get_or_add_pPr()
            num_pr = OxmlElement("w:numPr")
            for name, value in (("w:ilvl", "0"), ("w:numId", "1")):
                element = OxmlElement(name)
                element.set(qn("w:val"), value)
                num_pr.append(element)
            ppr.append(num_pr)
        if i == 1 and table:
            grid = document.add_table(rows=len(table), cols=1)
            for row, cell_text in zip(grid.rows, table, strict=True):
                row.cells[0].paragraphs[0].text = cell_text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_is_read_with_tables_in_document_order():
    data = make_docx(
        [
            "CHƯƠNG I",
            "NHỮNG QUY ĐỊNH CHUNG",
            "Điều 1. Phạm vi điều chỉnh",
            "1. Luật này quy định:",
            "a) Hoạt động điện ảnh;",
            "đ) Quản lý nhà nước.",
            "",
            "Điều 2. Đối tượng   áp dụng",
        ],
        table=["Mục 1. QUY ĐỊNH", "Điều 3. Trong bảng"],
    )
    lines = read_source(data, "Du thao.DOCX")
    assert lines[:4] == [
        (1, "CHƯƠNG I"),
        (2, "NHỮNG QUY ĐỊNH CHUNG"),
        (3, "Mục 1. QUY ĐỊNH"),
        (4, "Điều 3. Trong bảng"),
    ]
    assert lines[-1] == (10, "Điều 2. Đối tượng áp dụng")  # the empty paragraph 9 counts

    result = parse_upload(data, "du-thao.docx")
    assert result.ok, result.errors
    assert {k: v for k, v in result.counts.items() if v} == {
        "chapters": 1, "sections": 1, "articles": 3, "clauses": 1, "points": 2,
    }  # fmt: skip
    # Article 3 (in the table) comes before Article 1: a warning naming paragraph 5.
    assert [w.line for w in result.warnings] == [5, 8]


def test_docx_line_breaks_inside_a_paragraph_become_lines():
    document = docx.Document()
    paragraph = document.add_paragraph("Chương II")
    paragraph.add_run().add_break()
    paragraph.add_run("QUẢN LÝ")
    document.add_paragraph("Điều 1. Một")
    out = io.BytesIO()
    document.save(out)
    result = parse_upload(out.getvalue(), "x.docx")
    assert result.body[0]["value"] == {"number": "II", "title": "QUẢN LÝ"}


def test_docx_automatic_numbering_is_a_warning():
    data = make_docx(["Điều 1. Phạm vi", "Luật này quy định:", "Hoạt động điện ảnh;"], numbered=2)
    result = parse_upload(data, "du-thao.docx")
    assert result.ok
    [warning] = result.warnings
    assert warning.line == 3
    assert "automatic numbering" in warning.message


def test_damaged_docx_is_refused():
    data = make_docx(["Điều 1. Phạm vi"])
    with pytest.raises(ImportFailed, match="not a Word document"):
        parse_upload(data[: len(data) // 2], "du-thao.docx")


def test_parse_lines_accepts_lines_from_elsewhere():
    result = parse_lines([(3, "Điều 1. Một"), (7, "Điều 3. Ba")])
    assert lines_of(result.warnings) == [7]


def test_point_lettering_restart_is_a_warning():
    result = parse_text("Điều 1. Một\n1. Gồm:\na) A;\nb) B;\na) A;\nb) B;\n")
    assert result.ok
    [warning] = result.warnings
    assert warning.line == 5
    assert "restarts at a)" in warning.message


def test_docx_tracked_insertions_are_kept_and_deletions_dropped():
    document = docx.Document()
    paragraph = document.add_paragraph("Điều 1. ")
    inserted = OxmlElement("w:ins")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "Phạm vi"
    run.append(text)
    inserted.append(run)
    deleted = OxmlElement("w:del")
    old_run = OxmlElement("w:r")
    old_text = OxmlElement("w:delText")
    old_text.text = " cũ"
    old_run.append(old_text)
    deleted.append(old_run)
    paragraph._p.append(inserted)
    paragraph._p.append(deleted)
    out = io.BytesIO()
    document.save(out)
    assert read_source(out.getvalue(), "x.docx") == [(1, "Điều 1. Phạm vi")]


# --- Texts as they come: look-alike letters, numbering styles, spacing and case ------------


@pytest.mark.parametrize(
    "source",
    [
        "\u00d0iều 2. Phạm vi\n1. Nội dung.\n",  # Ð, U+00D0 (Icelandic eth)
        "\u00d0I\u1ec0U 2. Phạm vi\n1. Nội dung.\n",  # Ð in a heading in capitals
    ],
)
def test_article_heading_with_the_eth_look_alike_is_an_article(source):
    result = parse_text(source)
    assert result.ok and not result.warnings
    assert result.counts["articles"] == 1 and result.counts["clauses"] == 1
    assert articles(result.body)[0]["number"] == "2"
    assert articles(result.body)[0]["title"] == "Phạm vi"


def test_point_with_the_eth_look_alike_is_point_d_stroke():
    result = parse_text("Điều 1. Một\n1. Gồm:\na) A;\nb) B;\nc) C;\nd) D;\n\u00f0) Đ.\n")
    assert result.ok and not result.warnings
    letters = [
        p["value"]["letter"] for p in articles(result.body)[0]["clauses"][0]["value"]["points"]
    ]
    assert letters == ["a", "b", "c", "d", "đ"]
    assert "dieu-1-khoan-1-diem-dd" in anchors(result)


@pytest.mark.parametrize(
    "line",
    ["Chương 1.", "Chương 1", "CHƯƠNG 1. NHỮNG QUY ĐỊNH CHUNG", "Chương 1: NHỮNG QUY ĐỊNH CHUNG"],
)
def test_chapter_in_arabic_numerals_is_a_chapter_with_a_warning(line):
    result = parse_text(f"{line}\nNHỮNG QUY ĐỊNH CHUNG\nĐiều 1. Một\nA.\n")
    assert result.ok, result.errors
    assert result.counts["chapters"] == 1 and result.counts["articles"] == 1
    [chapter] = [b["value"] for b in result.body if b["type"] == "chapter"]
    assert chapter["number"] == "1"
    assert chapter["title"].startswith("NHỮNG QUY ĐỊNH CHUNG")
    assert "chuong-1" in anchors(result)
    [warning] = result.warnings
    assert warning.line == 1
    assert "Arabic" in warning.message and "Chương I" in warning.message


def test_chapters_in_arabic_numerals_are_checked_in_sequence():
    result = parse_text("Chương 1\nA\nĐiều 1. Một\nChương 3\nB\nĐiều 2. Hai\nChương I\nC\n")
    assert result.counts["chapters"] == 3
    assert lines_of(result.errors) == [7]  # Chương I is Chương 1 again
    gap = [w for w in result.warnings if w.line == 4 and "missing" in w.message]
    assert gap


@pytest.mark.parametrize(
    "line",
    ["Chương I:", "Chương I: NHỮNG QUY ĐỊNH CHUNG", "CHƯƠNG I.", "Chương I .", "Chương I - A"],
)
def test_chapter_numbering_punctuation_variants(line):
    result = parse_text(f"{line}\nĐiều 1. Một\nA.\n")
    assert result.ok and not result.warnings
    assert result.counts["chapters"] == 1
    assert result.body[0]["value"]["number"] == "I"
    assert "chuong-1" in anchors(result)


def test_section_in_roman_numerals_is_a_section_with_a_warning():
    result = parse_text("Chương I\nA\nMục II. HỢP ĐỒNG\nĐiều 1. Một\nB.\n")
    assert result.ok
    assert result.counts["sections"] == 1
    section = result.body[1]["value"]
    assert section == {"number": "II", "title": "HỢP ĐỒNG"}
    [warning] = result.warnings
    assert warning.line == 3 and "Roman" in warning.message


def test_a_line_starting_with_section_and_a_roman_numeral_is_a_section_with_a_warning():
    result = parse_text("Điều 1. Một\nMục II của Chương này quy định.\nMục tiêu là A.\n")
    # A line is structural by its start alone (the corpus rule): "Mục II của …" is read as a
    # section, and the warning names it for the drafter to check; "Mục tiêu" never is.
    assert result.counts["sections"] == 1
    assert lines_of(result.warnings) == [2]


@pytest.mark.parametrize(
    "heading", ["Điều 2 . Phạm vi", "Điều 2  . Phạm vi", "Điều 2 .Phạm vi", "Điều2 . Phạm vi"]
)
def test_article_heading_with_space_before_the_period(heading):
    result = parse_text(f"{heading}\nNội dung.\n")
    assert result.ok and not result.warnings
    article = articles(result.body)[0]
    assert (article["number"], article["title"], article["intro"]) == ("2", "Phạm vi", "Nội dung.")


def test_clause_and_point_with_space_before_their_mark():
    result = parse_text(
        "Điều 1. Một\n1 . Khoản một:\na ) Điểm a;\nb  ) Điểm b.\n2 .\n3 .5 tỷ đồng.\n"
    )
    assert result.ok and not result.warnings
    assert result.counts["clauses"] == 2 and result.counts["points"] == 2
    clauses = articles(result.body)[0]["clauses"]
    assert clauses[0]["value"]["text"] == "Khoản một:"
    assert [p["value"] for p in clauses[0]["value"]["points"]] == [
        {"letter": "a", "text": "Điểm a;"},
        {"letter": "b", "text": "Điểm b."},
    ]
    # "3 .5 tỷ" is a decimal number, not clause 3: it continues clause 2.
    assert clauses[1]["value"]["text"] == "3 .5 tỷ đồng."


def test_headings_with_space_before_the_period():
    result = parse_text("Phần thứ nhất . CHUNG\nChương I . PHẠM VI\nMục 1 . A\nTiểu mục 1 . B\n"
                        "Điều 1 . Một\n")  # fmt: skip
    assert result.ok and not result.warnings
    assert [(b["type"], b["value"].get("title")) for b in result.body] == [
        ("part", "CHUNG"), ("chapter", "PHẠM VI"), ("section", "A"), ("subsection", "B"),
        ("article", "Một"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "source", ["ĐIỀU 2. PHẠM VI\n", "Điều 2. Phạm vi\n", "CHƯƠNG I\nA\nMỤC 1\nB\nĐiều 2. X\n"]
)
def test_keywords_as_written_or_in_capitals_are_read_silently(source):
    result = parse_text(source)
    assert result.ok and not result.warnings
    assert result.counts["articles"] == 1


@pytest.mark.parametrize(
    ("line", "kind", "word"),
    [
        ("ĐIều 2. Phạm vi", "article", "ĐIều"),
        ("ĐiỀU 2. Phạm vi", "article", "ĐiỀU"),
        ("CHương II", "chapter", "CHương"),
        ("MụC 1. A", "section", "MụC"),
        ("Tiểu Mục 1. A", "subsection", "Tiểu Mục"),
        ("PHần thứ hai", "part", "PHần"),
    ],
)
def test_keyword_in_mixed_case_is_read_with_a_warning(line, kind, word):
    result = parse_text(f"Điều 1. Một\nA.\n{line}\nB.\n")
    assert result.ok
    assert [b["type"] for b in result.body][1] == kind
    [warning] = result.warnings
    assert warning.line == 3 and word in warning.message


@pytest.mark.parametrize(
    ("line", "proper"),
    [
        ("điều 5. Phạm vi", "Điều"),  # not the article that comes next (Điều 2)
        ("điều 2. các trường hợp", "Điều"),  # a sentence goes on in lower case
        ("chương II", "Chương"),
        ("mục 1. A", "Mục"),
    ],
)
def test_keyword_in_lower_case_is_text_with_a_warning(line, proper):
    # At the start of a line, "điều 5." is more often a sentence wrapped by hand ("… quy định
    # tại\nđiều 5. …") than a heading; the corpus counting rules count "Điều"/"ĐIỀU" only.
    result = parse_text(f"Điều 1. Một\n1. Theo quy định tại\n{line}\n")
    assert result.ok
    assert result.counts["articles"] == 1
    assert result.counts["chapters"] == result.counts["sections"] == 0
    assert articles(result.body)[0]["clauses"][0]["value"]["text"].endswith(line)
    [warning] = result.warnings
    assert warning.line == 3 and f"“{proper}”" in warning.message


@pytest.mark.parametrize(
    "source",
    ["Điều 1. Một\nA.\nđiều 2. Phạm vi\nB.\n", "điều 1. Một\nA.\nđiều 2. Phạm vi\nB.\n"],
)
def test_article_keyword_in_lower_case_is_an_article_where_it_comes_next(source):
    result = parse_text(source)
    assert result.ok
    assert [(a["number"], a["title"], a["intro"]) for a in articles(result.body)] == [
        ("1", "Một", "A."),
        ("2", "Phạm vi", "B."),
    ]
    lower_case = [line for line, text in enumerate(source.split("\n"), 1) if text.startswith("đ")]
    assert lines_of(result.warnings) == lower_case
    assert all("lower case" in w.message and "Article" in w.message for w in result.warnings)


def test_lower_case_keywords_in_words_are_not_warned():
    result = parse_text("Điều 1. Một\nmục tiêu 1 là A.\nchương trình 2 là B.\nđiều kiện 3. C\n")
    assert result.ok and not result.warnings


def test_other_spaces_around_numbers_are_read_as_one_space():
    # A non-breaking space (Word, web pages), a tab, a zero-width space between keyword,
    # number and mark.
    result = parse_text(
        "Chương\u00a0I\nA\nĐiều\u00a02\u00a0. Phạm vi\n1\t. Khoản;\na\u200b) Điểm.\n"
    )
    assert result.ok and not result.warnings
    assert result.counts == {**result.counts, "chapters": 1, "articles": 1, "clauses": 1,
                             "points": 1}  # fmt: skip
    assert articles(result.body)[0]["number"] == "2"


def test_docx_with_texts_as_they_come():
    data = make_docx(
        ["Chương 1", "CHUNG", "\u00d0iều 1 . Phạm vi", "1 . Khoản:", "a ) Điểm.", "điều 2. Hai"]
    )
    result = parse_upload(data, "du-thao.docx")
    assert result.ok, result.errors
    assert {k: result.counts[k] for k in ("chapters", "articles", "clauses", "points")} == {
        "chapters": 1, "articles": 2, "clauses": 1, "points": 1,
    }  # fmt: skip
    # Arabic chapter number; "điều 2." in lower case, read as the article that comes next.
    assert lines_of(result.warnings) == [1, 6]


@pytest.mark.parametrize(
    "heading",
    [
        "Điều 2: Phạm vi",
        "Điều 2 : Phạm vi",
        "Điều 2 - Phạm vi",
        "Điều 2 – Phạm vi",
        "Điều 2. - Phạm vi",
        "Điều 2.Phạm vi",
        "ĐIỀU 2: Phạm vi",
    ],
)
def test_article_heading_with_a_colon_or_a_dash_after_its_number(heading):
    result = parse_text(f"Điều 1. Một\nA.\n{heading}\nNội dung.\n")
    assert result.ok and not result.warnings
    article = articles(result.body)[1]
    assert (article["number"], article["title"], article["intro"]) == ("2", "Phạm vi", "Nội dung.")
    assert "dieu-2" in anchors(result)


def test_article_number_in_a_range_is_not_a_heading():
    result = parse_text("Điều 1. Một\nĐiều 2-5 của Luật này được bãi bỏ.\n")
    assert result.counts["articles"] == 1


# Cyrillic or Greek letters that look like Latin ones, as a keyboard or a converter puts them
# in a keyword: each is read as the structure it is, with a warning naming the word.
LOOKALIKE_LINES = [
    # (line, kind, number, what the warning says it was read as)
    ("Đi\u0435\u0302\u0300u 2. Phạm vi", "article", "2", "Điều"),  # Cyrillic е + marks
    ("Đ\u0399\u1ec0U 2. Phạm vi", "article", "2", "ĐIỀU"),  # Greek capital iota
    ("\u0421hương II", "chapter", "II", "Chương"),  # Cyrillic С
    ("Chương \u0406\u0406", "chapter", "II", "Chương II"),  # Cyrillic І as a Roman numeral
    ("\u039cục 2. A", "section", "2", "Mục"),  # Greek Μ
    ("\u0420hần thứ hai", "part", "thứ hai", "Phần"),  # Cyrillic Р
    ("Tiểu mụ\u0441 2", "subsection", "2", "Tiểu mục"),  # Cyrillic с in the second word
]


@pytest.mark.parametrize(("line", "kind", "number", "read"), LOOKALIKE_LINES)
def test_keyword_with_cyrillic_or_greek_look_alike_letters(line, kind, number, read):
    result = parse_text(f"Điều 1. Một\nA.\n{line}\nB.\n")
    assert result.ok, result.errors
    [block] = [b for b in result.body[1:] if b["type"] == kind]
    assert block["value"]["number"] == number
    [warning] = [w for w in result.warnings if w.line == 3]
    assert "Cyrillic or Greek" in warning.message and f"“{read}”" in warning.message


def test_point_letter_with_a_cyrillic_look_alike():
    result = parse_text("Điều 1. Một\n1. Gồm:\n\u0430) A;\nb) B.\n")
    assert result.counts["points"] == 2
    letters = [
        p["value"]["letter"] for p in articles(result.body)[0]["clauses"][0]["value"]["points"]
    ]
    assert letters == ["a", "b"]
    assert lines_of(result.warnings) == [3]


def test_look_alike_letters_in_ordinary_text_are_left_alone():
    source = "Điều 1. Một\n\u041c\u1ed9t câu bình thường.\n"  # "Một" with a Cyrillic М
    result = parse_text(source)
    assert result.ok and not result.warnings
    assert articles(result.body)[0]["intro"] == "\u041c\u1ed9t câu bình thường."


@pytest.mark.parametrize(
    ("lines", "anchor"),
    [
        (["Chương IV", "Chương 4", "CHƯƠNG IV", "Chương iv"], "chuong-4"),
        (["Phần I", "Phần 1", "PHẦN THỨ NHẤT", "Phần thứ nhất"], "phan-1"),
        (["Mục 2", "MỤC 2", "Mục II", "Mục 2."], "muc-2"),
    ],
)
def test_heading_numbering_styles_give_one_anchor(lines, anchor):
    for line in lines:
        result = parse_text(f"{line}\nTÊN\nĐiều 1. Một\nA.\n")
        assert result.ok, (line, result.errors)
        assert anchor in anchors(result), line


def test_section_anchor_in_roman_numerals_is_under_its_chapter():
    result = parse_text("Chương I\nA\nMục II. HỢP ĐỒNG\nĐiều 1. Một\nB.\n")
    assert "chuong-1-muc-2" in anchors(result)


def test_clauses_numbered_with_a_parenthesis_are_clauses_with_a_warning():
    result = parse_text("Điều 1. Một\n1) Khoản một;\n2 ) Khoản hai:\na) Điểm a.\n3) Khoản ba.\n")
    assert result.ok
    assert result.counts["clauses"] == 3 and result.counts["points"] == 1
    clauses = articles(result.body)[0]["clauses"]
    assert [(c["value"]["number"], c["value"]["text"]) for c in clauses] == [
        ("1", "Khoản một;"), ("2", "Khoản hai:"), ("3", "Khoản ba."),
    ]  # fmt: skip
    assert lines_of(result.warnings) == [2, 3, 5]
    assert "“1)”" in result.warnings[0].message
    assert "dieu-1-khoan-3" in anchors(result)


def test_items_numbered_with_a_parenthesis_inside_a_clause_stay_its_text():
    # "1)", "2)" listing items inside clause 1 (written "1."), not clauses.
    result = parse_text("Điều 1. Một\n1. Gồm:\n1) A;\n2) B.\n2. Hai.\n")
    assert result.ok and not result.warnings
    assert result.counts["clauses"] == 2
    assert articles(result.body)[0]["clauses"][0]["value"]["text"] == "Gồm:\n1) A;\n2) B."


@pytest.mark.parametrize(
    "marks", [(".", ".", "."), (" -", " -", " -"), (" .", " .", " ."), (" –", " –", " –")]
)
def test_points_lettered_with_a_period_or_a_dash_are_points_with_a_warning(marks):
    first, second, third = marks
    result = parse_text(f"Điều 1. Một\n1. Gồm:\na{first} A;\nb{second} B;\nc{third} C.\n")
    assert result.ok
    assert result.counts["points"] == 3
    points = articles(result.body)[0]["clauses"][0]["value"]["points"]
    assert [(p["value"]["letter"], p["value"]["text"]) for p in points] == [
        ("a", "A;"), ("b", "B;"), ("c", "C."),
    ]  # fmt: skip
    assert lines_of(result.warnings) == [3, 4, 5]


@pytest.mark.parametrize(
    ("source", "points"),
    [
        ("Điều 1. Một\n1. Gồm:\na) A;\nb. B;\n", 1),  # another style after "a)"
        ("Điều 1. Một\n1. Gồm:\nb. B;\n", 0),  # not the first letter
        ("Điều 1. Một\n1. Gồm:\na. A;\nc. C;\n", 1),  # not the next letter: "a." only
        ("Điều 1. Một\nv.v. và các trường hợp khác.\n", 0),  # an abbreviation
    ],
)
def test_doubtful_lettering_in_another_style_stays_text(source, points):
    result = parse_text(source)
    assert result.counts["points"] == points
    assert len(result.warnings) == (1 if "a. A" in source else 0)
    assert body_text(result.body) == source.strip().replace("a. A", "a) A")


# --- Alternatives ("Phương án") ---------------------------------------------------------------


def outline_of(source: str) -> dict:
    return {item.anchor: item for item in build_outline(parse_text(source).body)}


def test_article_level_alternatives_hold_their_own_clauses_and_points():
    source = (
        "Điều 35. Quyền đơn phương chấm dứt\nPhương án 1: Giữ như hiện hành\n1. Khoản một:\n"
        "a) Điểm a;\nb) Điểm b.\n2. Khoản hai.\nPhương án 2:\n1. Khoản một khác.\n"
        "Điều 36. Tiếp\n1. X.\n"
    )
    result = parse_text(source)
    assert result.ok and not result.warnings, result.warnings
    assert {k: result.counts[k] for k in ("articles", "clauses", "points", "alternatives")} == {
        "articles": 2, "clauses": 4, "points": 2, "alternatives": 2,
    }  # fmt: skip
    article = articles(result.body)[0]
    assert article["clauses"] == [] and article["points"] == []
    pa1, pa2 = (item["value"] for item in article["alternatives"])
    assert (pa1["number"], pa1["title"], pa1["text"]) == ("1", "Giữ như hiện hành", "")
    assert [c["value"]["number"] for c in pa1["clauses"]] == ["1", "2"]
    assert [c["value"]["number"] for c in pa2["clauses"]] == ["1"]
    outline = outline_of(source)
    assert [a for a in outline if a.startswith("dieu-35")] == [
        "dieu-35", "dieu-35-pa-1", "dieu-35-pa-1-khoan-1", "dieu-35-pa-1-khoan-1-diem-a",
        "dieu-35-pa-1-khoan-1-diem-b", "dieu-35-pa-1-khoan-2", "dieu-35-pa-2",
        "dieu-35-pa-2-khoan-1",
    ]  # fmt: skip
    item = outline["dieu-35-pa-2"]
    assert (item.kind, item.number, item.label, item.citation) == (
        "alternative", "2", "Phương án 2", "Phương án 2 Điều 35",
    )  # fmt: skip
    assert item.parent_key == outline["dieu-35"].key
    assert outline["dieu-35-pa-1-khoan-1-diem-b"].citation == "Điểm b khoản 1 Phương án 1 Điều 35"
    assert outline["dieu-36-khoan-1"].parent_key == outline["dieu-36"].key
    assert body_text(result.body) == source.replace("Phương án 2:", "Phương án 2").strip()


def test_clause_level_alternatives_with_a_note_and_their_text_on_the_line():
    source = (
        "Điều 84. Nghỉ\n1. A.\n2.\nPhương án 1:\nB.\nPhương án 2: Bỏ Khoản này.\n3. C.\n"
        "Điều 85. Tuổi nghỉ hưu\n1.\nPhương án 1 (hiện hành): Nam đủ 60 tuổi.\n"
        "Phương án 2 (tăng dần): Nam đủ 62 tuổi.\n2. Khoản hai.\n"
    )
    result = parse_text(source)
    assert result.ok and not result.warnings, result.warnings
    outline = outline_of(source)
    first = outline["dieu-85-khoan-1-pa-1"]
    assert (first.title, first.text) == ("(hiện hành)", "Nam đủ 60 tuổi.")
    assert first.citation == "Phương án 1 khoản 1 Điều 85"
    assert outline["dieu-85-khoan-2"].parent_key == outline["dieu-85"].key
    assert outline["dieu-84-khoan-2-pa-1"].text == "B."
    assert outline["dieu-84-khoan-2-pa-2"].text == "Bỏ Khoản này."
    assert outline["dieu-84-khoan-3"].parent_key == outline["dieu-84"].key
    assert result.counts["clauses"] == 5 and result.counts["alternatives"] == 4


def test_clause_level_alternatives_with_their_own_points():
    source = (
        "Điều 204. Giải quyết\n1.\nPhương án 1 (Nếu theo Phương án 1)\nCác bên:\na) A;\n"
        "b) B.\nPhương án 2 (Nếu theo Phương án 2)\nCác bên khác:\na) C;\nb) D.\n2. Hai.\n"
    )
    result = parse_text(source)
    assert result.ok and not result.warnings, result.warnings
    outline = outline_of(source)
    assert outline["dieu-204-khoan-1-pa-2"].text == "Các bên khác:"
    assert outline["dieu-204-khoan-1-pa-2-diem-b"].citation == "Điểm b Phương án 2 khoản 1 Điều 204"
    assert outline["dieu-204-khoan-1-pa-2-diem-b"].text == "D."
    assert outline["dieu-204-khoan-2"].parent_key == outline["dieu-204"].key
    assert body_text(result.body) == source.strip()


def test_point_level_alternatives():
    source = (
        "Điều 150. Thành lập\n2. Tổ chức:\na) A;\nb)\nPhương án 1\nĐăng ký theo X.\n"
        "Phương án 2\nĐăng ký theo Y.\nc) C.\n3. Ba.\n"
    )
    result = parse_text(source)
    assert result.ok
    outline = outline_of(source)
    pa1 = outline["dieu-150-khoan-2-diem-b-pa-1"]
    assert (pa1.kind, pa1.label, pa1.text) == ("alternative", "Phương án 1", "Đăng ký theo X.")
    assert pa1.citation == "Phương án 1 điểm b khoản 2 Điều 150"
    assert outline["dieu-150-khoan-2-diem-b"].text == ""
    assert outline["dieu-150-khoan-2-diem-c"].parent_key == outline["dieu-150-khoan-2"].key
    assert outline["dieu-150-khoan-3"].parent_key == outline["dieu-150"].key
    assert body_text(result.body) == source.strip()
    DraftBodyBlock().clean(DraftBodyBlock().to_python(result.body))


@pytest.mark.parametrize(
    ("source", "line", "words"),
    [
        ("Điều 1. Một\n1.\nPhương án 1: A.\nPhương án 3: C.\n", 4, "follows Phương án 1"),
        ("Điều 1. Một\n1.\nPhương án 2: B.\n", 3, "numbered 2, not 1"),
        ("Điều 1. Một\n1. Gồm:\na) A;\nPhương án 1: X.\n", 4, "point a)"),
        ("Điều 1. Một\n1. Gồm:\na)\nb) B.\nPhương án 1: X.\n", 5, "point b)"),
    ],
)
def test_doubtful_alternatives_are_read_with_a_warning(source, line, words):
    result = parse_text(source)
    assert result.ok
    assert result.counts["alternatives"] == source.count("Phương án")
    [warning] = result.warnings
    assert warning.line == line and words in warning.message


@pytest.mark.parametrize(
    "line",
    [
        "Phương án 1 được chọn khi đủ điều kiện.",
        "phương án 1: chữ thường.",
        "“Phương án 1: trích dẫn",
    ],
)
def test_alternative_words_in_a_sentence_are_text(line):
    result = parse_text(f"Điều 1. Một\n1. Khoản.\n{line}\n")
    assert result.counts["alternatives"] == 0
    assert articles(result.body)[0]["clauses"][0]["value"]["text"] == f"Khoản.\n{line}"


def test_alternative_outside_an_article_is_a_paragraph():
    result = parse_text("Phương án 1: Lời dẫn.\nĐiều 1. Một\n")
    assert result.counts["alternatives"] == 0 and result.counts["paragraphs"] == 1


def test_bodies_without_alternatives_keep_their_shape_and_stay_valid():
    result = parse_text("Điều 1. Một\n1. A:\na) B.\n")
    article = articles(result.body)[0]
    assert "alternatives" not in article
    assert article["clauses"][0]["value"] == {
        "number": "1", "text": "A:", "points": [
            {"type": "item", "id": article["clauses"][0]["value"]["points"][0]["id"],
             "value": {"letter": "a", "text": "B."}},
        ],
    }  # fmt: skip
    block = DraftBodyBlock()
    block.clean(block.to_python(result.body))


@pytest.mark.parametrize(
    ("anchor", "kind"),
    [
        ("dieu-35-pa-2", "alternative"),
        ("dieu-35-pa-2-khoan-1", "clause"),
        ("dieu-35-pa-2-khoan-1-diem-a", "point"),
        ("dieu-35-pa-2-diem-a", "point"),
        ("dieu-148-khoan-1-pa-2", "alternative"),
        ("dieu-204-khoan-1-pa-1-diem-b", "point"),
        ("dieu-150-khoan-2-diem-b-pa-1", "alternative"),
        ("dieu-35", "article"),
        ("dieu-35-khoan-1", "clause"),
        ("chuong-2-muc-2", "section"),
        ("phan-1", "part"),
    ],
)
def test_anchor_kind_reads_the_kind_of_every_anchor_the_outline_makes(anchor, kind):
    assert anchor_kind(anchor) == kind


def test_anchor_kind_agrees_with_the_outline_of_the_labour_code():
    path = CORPUS_DIR / "du-thao-2-bo-luat-lao-dong-sua-doi-2017.txt"
    outline = build_outline(parse_upload(path.read_bytes(), path.name).body)
    assert [anchor_kind(item.anchor) for item in outline] == [item.kind for item in outline]


def test_a_lettered_section_is_not_read_as_a_roman_numeral():
    assert heading_number_token("section", "C") == "c"
    assert heading_number_token("section", "IV") == "4"
    assert heading_number_token("chapter", "XIV") == "14"
