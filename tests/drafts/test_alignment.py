"""Aligning the provisions of Dự thảo 1 with those of Dự thảo 2: constructed pairs of texts,
through `align_outlines` and `rekey_body` only, as the import of a next version uses them."""

import copy
import unicodedata

from drafts.alignment import Alignment, Match, Status, align_outlines, rekey_body
from drafts.importing import parse_text
from drafts.outline import OutlineItem, build_outline

ARTICLES = {
    "Phạm vi điều chỉnh": [
        "Luật này quy định về hoạt động điện ảnh, quyền và nghĩa vụ của cơ quan, tổ chức, "
        "cá nhân tham gia hoạt động điện ảnh.",
    ],
    "Đối tượng áp dụng": [
        "1. Người lao động Việt Nam, người học nghề, tập nghề làm việc theo hợp đồng.",
        "2. Người sử dụng lao động là doanh nghiệp, hợp tác xã, hộ gia đình có thuê mướn.",
        "3. Người lao động nước ngoài làm việc tại Việt Nam theo giấy phép lao động.",
    ],
    "Giải thích từ ngữ": [
        "Trong Luật này, các từ ngữ dưới đây được hiểu như sau:",
        "1. Phim là tác phẩm nghe nhìn được tạo ra bằng hiệu ứng hình ảnh chuyển động.",
        "2. Phổ biến phim là việc giới thiệu, quảng bá, chiếu phim, phát sóng trên mạng.",
        "3. Cơ sở điện ảnh là doanh nghiệp, đơn vị sự nghiệp thực hiện hoạt động điện ảnh.",
    ],
    "Chính sách của Nhà nước về phát triển điện ảnh": [
        "1. Nhà nước đầu tư cho các hoạt động sau đây:",
        "a) Sản xuất phim phục vụ nhiệm vụ chính trị, phim cho thiếu nhi, phim dân tộc;",
        "b) Đào tạo nguồn nhân lực chất lượng cao cho ngành công nghiệp điện ảnh;",
        "c) Lưu trữ, bảo quản, phục hồi và số hóa phim có giá trị lịch sử;",
        "2. Ưu đãi thuế đối với cơ sở điện ảnh sản xuất phim tại các vùng có điều kiện khó khăn.",
    ],
    "Hợp tác quốc tế về điện ảnh": [
        "1. Tham gia các tổ chức quốc tế, liên hoan phim và chợ phim quốc tế lớn.",
        "2. Thu hút đầu tư nước ngoài vào sản xuất phim và xây dựng trường quay hiện đại.",
    ],
    "Các hành vi bị nghiêm cấm": [
        "1. Tuyên truyền chống phá Nhà nước, phá hoại khối đại đoàn kết toàn dân tộc.",
        "2. Kích động bạo lực, tuyên truyền chiến tranh xâm lược, gây hận thù giữa các dân tộc.",
        "3. Xuyên tạc sự thật lịch sử, phủ nhận thành tựu cách mạng, xúc phạm vĩ nhân.",
    ],
}

INSERTED = [
    "Kinh phí bảo tồn di sản phim",
    "1. Ngân sách nhà nước bảo đảm kinh phí sưu tầm, bảo tồn các bộ phim tài liệu quý hiếm.",
    "2. Khuyến khích quỹ tư nhân tài trợ việc phục chế phim nhựa thành bản kỹ thuật số.",
]


def draft_text(articles: list[tuple[str, list[str]]]) -> str:
    lines = ["Chương I", "NHỮNG QUY ĐỊNH CHUNG"]
    for number, (title, body) in enumerate(articles, start=1):
        lines.append(f"Điều {number}. {title}")
        lines.extend(body)
    return "\n".join(lines) + "\n"


def outline_of(articles: list[tuple[str, list[str]]]):
    return build_outline(parse_text(draft_text(articles)).body)


def base() -> list[tuple[str, list[str]]]:
    return [(title, list(body)) for title, body in ARTICLES.items()]


def find(outline, label: str, in_article: str | None = None):
    """The item labelled `label` ("Điều 3", "Khoản 2", "Điểm a") of article `in_article`."""
    for item in outline:
        if in_article is None and item.citation == label:
            return item
        if item.label == label and item.citation.endswith(f" Điều {in_article}"):
            return item
    raise LookupError(label)


def match_of_new(alignment: Alignment, item) -> Match:
    return next(m for m in alignment.matches if m.new is item and (m.keeps_key or m.old is None))


def test_identical_text_keeps_every_key_and_reports_nothing():
    old, new = outline_of(base()), outline_of(base())

    alignment = align_outlines(old, new)

    assert {m.status for m in alignment.matches} == {Status.UNCHANGED}
    assert all(m.keeps_key and not m.renumbered and m.similarity == 1.0 for m in alignment.matches)
    assert alignment.mapping() == {n.key: o.key for o, n in zip(old, new, strict=True)}
    assert alignment.counts()["unchanged"] == len(old)
    assert sum(alignment.counts().values()) == len(old)


def test_inserted_article_renumbers_the_following_ones_which_keep_their_keys():
    articles = base()
    old = outline_of(articles)
    articles.insert(2, (INSERTED[0], INSERTED[1:]))
    new = outline_of(articles)

    alignment = align_outlines(old, new)
    mapping = alignment.mapping()

    inserted = find(new, "Điều 3")
    assert match_of_new(alignment, inserted).status == Status.NEW
    assert inserted.key not in mapping
    for number in range(3, 7):
        was, now = find(old, f"Điều {number}"), find(new, f"Điều {number + 1}")
        assert mapping[now.key] == was.key
        match = match_of_new(alignment, now)
        assert match.renumbered
        assert match.status == Status.UNCHANGED
    # Their clauses follow them (same clause number, no renumbering of their own).
    assert mapping[find(new, "Khoản 2", "7").key] == find(old, "Khoản 2", "6").key
    assert alignment.counts()["new"] == 3  # the article and its two clauses
    assert alignment.counts()["renumbered"] == 4
    # The new provision stands where it is in the new text.
    positions = [m.new.position for m in alignment.matches]
    assert positions == sorted(positions)


def test_edited_clause_is_changed_and_keeps_its_key():
    articles = base()
    old = outline_of(articles)
    articles[1][1][1] = (
        "2. Người sử dụng lao động là doanh nghiệp, cơ quan, tổ chức, hợp tác xã, hộ gia đình "
        "có thuê mướn."
    )
    new = outline_of(articles)

    alignment = align_outlines(old, new)

    clause = find(new, "Khoản 2", "2")
    match = match_of_new(alignment, clause)
    assert match.status == Status.CHANGED
    assert match.keeps_key and match.old.key == find(old, "Khoản 2", "2").key
    assert 0.7 < match.similarity < 1.0
    counts = alignment.counts()
    assert counts["changed"] == 1
    assert counts["unchanged"] == len(old) - 1


def test_edited_article_title_is_changed():
    articles = base()
    old = outline_of(articles)
    articles[4] = ("Hợp tác quốc tế trong lĩnh vực điện ảnh", articles[4][1])
    new = outline_of(articles)

    match = match_of_new(align_outlines(old, new), find(new, "Điều 5"))

    assert match.status == Status.CHANGED and match.keeps_key and not match.renumbered
    assert match.old.key == find(old, "Điều 5").key


def test_deleted_article_is_removed_after_its_predecessor_and_the_rest_renumbered():
    articles = base()
    old = outline_of(articles)
    del articles[1]
    new = outline_of(articles)

    alignment = align_outlines(old, new)

    removed = [m for m in alignment.matches if m.status == Status.REMOVED]
    assert [m.old.citation for m in removed] == [
        "Điều 2", "Khoản 1 Điều 2", "Khoản 2 Điều 2", "Khoản 3 Điều 2",
    ]  # fmt: skip
    assert all(m.new is None and not m.keeps_key for m in removed)
    # Placed after the match of Điều 1, the provision that preceded them.
    at = alignment.matches.index(removed[0])
    assert alignment.matches[at - 1].old.citation == "Điều 1"
    mapping = alignment.mapping()
    assert mapping[find(new, "Điều 2").key] == find(old, "Điều 3").key
    assert set(mapping.values()).isdisjoint(m.old.key for m in removed)


def test_moved_article_is_moved_and_the_others_are_not():
    articles = base()
    old = outline_of(articles)
    articles.insert(0, articles.pop(4))  # "Hợp tác quốc tế" first
    new = outline_of(articles)

    alignment = align_outlines(old, new)

    moved = [m for m in alignment.matches if m.status == Status.MOVED]
    assert [(m.old.label, m.new.label) for m in moved] == [("Điều 5", "Điều 1")]
    assert moved[0].keeps_key and moved[0].renumbered
    assert alignment.counts()["moved"] == 1
    # Its clauses moved with it: not moved themselves.
    clause = match_of_new(alignment, find(new, "Khoản 1", "1"))
    assert clause.status == Status.UNCHANGED and clause.old.citation == "Khoản 1 Điều 5"


def test_clause_moved_to_another_article_follows_it():
    articles = base()
    old = outline_of(articles)
    clause = articles[5][1].pop(2)  # Khoản 3 of Điều 6 …
    articles[4][1].append(clause)  # … becomes Khoản 3 of Điều 5
    new = outline_of(articles)

    alignment = align_outlines(old, new)

    match = match_of_new(alignment, find(new, "Khoản 3", "5"))
    assert match.status == Status.MOVED and match.keeps_key
    assert match.old.key == find(old, "Khoản 3", "6").key


def test_clause_inserted_renumbers_the_following_clauses():
    articles = base()
    old = outline_of(articles)
    body = articles[1][1]
    body.insert(0, "1. Công dân Việt Nam hành nghề tự do trong lĩnh vực biểu diễn nghệ thuật.")
    renumbered = [f"{i}. {line.split('. ', 1)[1]}" for i, line in enumerate(body, start=1)]
    articles[1] = (articles[1][0], renumbered)
    new = outline_of(articles)

    alignment = align_outlines(old, new)
    mapping = alignment.mapping()

    assert match_of_new(alignment, find(new, "Khoản 1", "2")).status == Status.NEW
    for number in (1, 2, 3):
        now = find(new, f"Khoản {number + 1}", "2")
        match = match_of_new(alignment, now)
        assert mapping[now.key] == find(old, f"Khoản {number}", "2").key
        assert match.renumbered and match.status == Status.UNCHANGED


def test_point_edited_and_point_removed():
    articles = base()
    old = outline_of(articles)
    clauses = articles[3][1]
    clauses[1] = (
        "a) Sản xuất phim phục vụ nhiệm vụ chính trị, phim cho thiếu nhi và người cao tuổi;"
    )
    del clauses[2]  # point b
    clauses[2] = "b) Lưu trữ, bảo quản, phục hồi và số hóa phim có giá trị lịch sử;"
    new = outline_of(articles)

    alignment = align_outlines(old, new)

    a = match_of_new(alignment, find(new, "Điểm a", "4"))
    assert a.status == Status.CHANGED and a.old.key == find(old, "Điểm a", "4").key
    b = match_of_new(alignment, find(new, "Điểm b", "4"))
    assert b.old.key == find(old, "Điểm c", "4").key and b.renumbered
    removed = [m.old.key for m in alignment.matches if m.status == Status.REMOVED]
    assert removed == [find(old, "Điểm b", "4").key]


def test_article_split_in_two():
    articles = base()
    old = outline_of(articles)
    title, body = articles[2]
    articles[2:3] = [(title, body[:3]), ("Cơ sở điện ảnh", [body[3].replace("3. ", "", 1)])]
    new = outline_of(articles)

    alignment = align_outlines(old, new)

    was = find(old, "Điều 3")
    splits = [m for m in alignment.matches if m.status == Status.SPLIT and m.old is was]
    assert [m.new.label for m in splits] == ["Điều 3", "Điều 4"]
    assert [m.keeps_key for m in splits] == [True, False]
    assert alignment.mapping()[find(new, "Điều 3").key] == was.key
    assert alignment.successors()[was.key] == [find(new, "Điều 3").key, find(new, "Điều 4").key]
    # The following articles are renumbered, not new.
    assert alignment.mapping()[find(new, "Điều 5").key] == find(old, "Điều 4").key
    assert alignment.counts()["new"] == 0


def test_two_articles_merged_into_one():
    articles = base()
    old = outline_of(articles)
    (title, first), (_, second) = articles[4], articles[5]
    merged = first + [f"{i}. {line.split('. ', 1)[1]}" for i, line in enumerate(second, start=3)]
    articles[4:6] = [(title, merged)]
    new = outline_of(articles)

    alignment = align_outlines(old, new)

    into = find(new, "Điều 5")
    merges = [m for m in alignment.matches if m.status == Status.MERGED and m.new is into]
    assert [m.old.label for m in merges] == ["Điều 5", "Điều 6"]
    assert [m.keeps_key for m in merges] == [True, False]
    assert alignment.counts()["removed"] == 0
    # The clauses of the merged article follow into it.
    assert alignment.mapping()[find(new, "Khoản 4", "5").key] == find(old, "Khoản 2", "6").key


def test_new_article_unrelated_to_any_is_new_not_a_split():
    articles = base()
    old = outline_of(articles)
    articles.append((INSERTED[0], INSERTED[1:]))
    new = outline_of(articles)

    counts = align_outlines(old, new).counts()

    assert counts["new"] == 3
    assert counts["split"] == counts["merged"] == counts["moved"] == 0


def test_rekey_body_gives_new_blocks_the_old_keys_at_every_depth():
    articles = base()
    old_body = parse_text(draft_text(articles)).body
    articles.insert(0, (INSERTED[0], INSERTED[1:]))
    new_body = parse_text(draft_text(articles)).body
    # A nested list of the same item shape, as alternatives will be.
    clause = new_body[4]["value"]["clauses"][0]
    clause["value"]["alternatives"] = [
        {"type": "item", "id": "alt-1", "value": {"text": "Phương án 1"}},
    ]
    before = copy.deepcopy(new_body)
    old, new = build_outline(old_body), build_outline(new_body)
    mapping = align_outlines(old, new).mapping() | {"alt-1": "alt-old"}

    rekeyed = rekey_body(new_body, mapping)

    assert new_body == before  # not changed in place
    assert [item.key for item in build_outline(rekeyed)] == [
        mapping.get(item.key, item.key) for item in new
    ]
    assert rekeyed[4]["value"]["clauses"][0]["value"]["alternatives"][0]["id"] == "alt-old"
    # Every old provision still present has its old key back.
    old_keys = {item.key for item in old}
    assert {item.key for item in build_outline(rekeyed)} >= old_keys


def test_rekey_body_never_duplicates_a_key():
    body = [
        {"type": "paragraph", "id": "k-old", "value": "Đoạn một"},
        {"type": "paragraph", "id": "k-new", "value": "Đoạn hai"},
    ]

    rekeyed = rekey_body(body, {"k-new": "k-old"})

    assert rekeyed[1]["id"] == "k-old"
    assert rekeyed[0]["id"] not in ("k-old", "k-new")


def chaptered_text(chapters: list[tuple[str, list[tuple[str, list[str]]]]]) -> str:
    roman = ["I", "II", "III", "IV"]
    lines, number = [], 0
    for n, (title, articles) in enumerate(chapters):
        lines += [f"Chương {roman[n]}", title]
        for article_title, body in articles:
            number += 1
            lines.append(f"Điều {number}. {article_title}")
            lines.extend(body)
    return "\n".join(lines) + "\n"


def test_inserted_chapter_renumbers_the_following_chapter_which_keeps_its_key():
    articles = base()
    chapters = [("NHỮNG QUY ĐỊNH CHUNG", articles[:3]), ("PHÁT TRIỂN ĐIỆN ẢNH", articles[3:])]
    old = build_outline(parse_text(chaptered_text(chapters)).body)
    chapters.insert(1, ("BẢO TỒN DI SẢN PHIM", [(INSERTED[0], INSERTED[1:])]))
    new = build_outline(parse_text(chaptered_text(chapters)).body)

    alignment = align_outlines(old, new)

    assert match_of_new(alignment, find(new, "Chương II")).status == Status.NEW
    moved_on = match_of_new(alignment, find(new, "Chương III"))
    assert moved_on.old.key == find(old, "Chương II").key
    assert moved_on.renumbered and moved_on.status == Status.UNCHANGED
    assert alignment.mapping()[find(new, "Điều 5").key] == find(old, "Điều 4").key
    assert alignment.counts()["new"] == 4  # chapter, article, two clauses
    assert alignment.counts()["moved"] == 0


def test_punctuation_is_a_change_spacing_and_lookalike_letters_are_not():
    articles = base()
    old = outline_of(articles)
    articles[1][1][0] = articles[1][1][0].replace("nghề, tập", "nghề tập")  # a comma dropped
    spaced = articles[1][1][1].replace("động là", "động  là ")  # spacing only …
    nfd = unicodedata.normalize("NFD", "doanh nghiệp")
    articles[1][1][1] = spaced.replace("doanh nghiệp", nfd)  # … and decomposed letters
    articles[1][1][2] = articles[1][1][2].replace("Việt Nam", "Viêt Nam")
    articles[2] = ("Giải thích từ ngữ", articles[2][1])
    articles[4] = ("Hợp tác quốc tế về điện ảnh", articles[4][1])
    text = draft_text(articles).replace("Điều 5. Hợp tác", "Ðiều 5. Hợp tác")  # Ð (U+00D0)
    new = build_outline(parse_text(text).body)

    alignment = align_outlines(old, new)

    comma = match_of_new(alignment, find(new, "Khoản 1", "2"))
    assert comma.status == Status.CHANGED and 0.9 < comma.similarity < 1.0
    spacing = match_of_new(alignment, find(new, "Khoản 2", "2"))
    assert spacing.status == Status.UNCHANGED and spacing.similarity == 1.0
    accent = match_of_new(alignment, find(new, "Khoản 3", "2"))  # "Viêt": a syllable changed
    assert accent.status == Status.CHANGED
    assert match_of_new(alignment, find(new, "Điều 5")).status == Status.UNCHANGED
    assert alignment.counts()["changed"] == 2


def test_kinds_below_points_align_within_their_parent_generically():
    """Provisions of a kind the aligner does not know ("alternative", "Phương án 1/2" of a
    clause) align like clauses: within their aligned parent, by text, keeping their keys."""
    old, new = outline_of(base()), outline_of(base())

    def with_alternatives(outline, texts, prefix):
        clause = find(outline, "Khoản 2", "4")
        extra = [
            OutlineItem(
                key=f"{prefix}-{i}", kind="alternative", number=str(i), label=f"Phương án {i}",
                citation=f"Phương án {i} khoản 2 Điều 4", title="", text=text, anchor="",
                path="", depth=clause.depth + 1, position=0, parent_key=clause.key,
            )
            for i, text in enumerate(texts, start=1)
        ]  # fmt: skip
        at = outline.index(clause) + 1
        return outline[:at] + extra + outline[at:]

    first = "Miễn thuế thu nhập doanh nghiệp trong bốn năm đầu cho cơ sở sản xuất phim mới."
    second = "Giảm năm mươi phần trăm thuế thu nhập doanh nghiệp trong chín năm tiếp theo."
    old = with_alternatives(old, [first, second], "old")
    new = with_alternatives(new, [second, first], "new")

    alignment = align_outlines(old, new)

    assert alignment.mapping()["new-1"] == "old-2"
    assert alignment.mapping()["new-2"] == "old-1"
    statuses = {m.new.key: m.status for m in alignment.matches if m.new.kind == "alternative"}
    assert Status.MOVED in statuses.values()
    assert alignment.counts()["new"] == alignment.counts()["removed"] == 0
