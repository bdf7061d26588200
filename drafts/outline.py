"""The outline of a draft: its body walked into a flat list of provisions in reading order.

One function serves publishing (rows written from it) and preview (rendered from it), so an
anchor or a label is computed in one place only. It reads the StreamField's raw JSON, which is
cheap even for thousands of provisions.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from econsult.text import fold, read_lookalikes

# Vietnamese number words as they appear in "Phần thứ nhất", "Phần thứ mười một" …
NUMBER_WORDS = {
    "nhất": 1, "một": 1, "mốt": 1, "hai": 2, "ba": 3, "tư": 4, "bốn": 4, "năm": 5, "lăm": 5,
    "sáu": 6, "bảy": 7, "bẩy": 7, "tám": 8, "chín": 9,
}  # fmt: skip

ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}

HEADING_LABELS = {
    "part": "Phần",
    "chapter": "Chương",
    "section": "Mục",
    "subsection": "Tiểu mục",
}
HEADING_SLUGS = {"part": "phan", "chapter": "chuong", "section": "muc", "subsection": "tieu-muc"}
HEADING_RANK = {"part": 0, "chapter": 1, "section": 2, "subsection": 3}
HEADING_KINDS = frozenset(HEADING_RANK)
# The kinds that carry a title of their own ("Điều 1. Phạm vi điều chỉnh").
TITLED_KINDS = HEADING_KINDS | {"article"}


def roman_to_int(text: str) -> int | None:
    """Value of a Roman numeral in any case, or None when it is not a valid one."""
    text = text.strip().upper()
    if not text or any(ch not in ROMAN_VALUES for ch in text):
        return None
    total = 0
    for i, ch in enumerate(text):
        value = ROMAN_VALUES[ch]
        if i + 1 < len(text) and ROMAN_VALUES[text[i + 1]] > value:
            total -= value
        else:
            total += value
    return total if int_to_roman(total) == text else None


def int_to_roman(number: int) -> str:
    pairs = [
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ]  # fmt: skip
    out = []
    for value, numeral in pairs:
        while number >= value:
            out.append(numeral)
            number -= value
    return "".join(out)


def slug_token(text: str) -> str:
    """An ASCII anchor token for a number or letter: "5a" → "5a", "đ" → "dd", "a1" → "a1"."""
    text = fold(read_lookalikes(text.strip().lower()).replace("đ", "dd"))
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "x"


def ordinal_words_to_int(words: list[str]) -> int | None:
    """ "nhất" → 1, "mười một" → 11, "hai mươi mốt" → 21; None for anything else."""
    words = [word.lower() for word in words]
    if not words:
        return None
    if words[0] == "mười":
        tens, rest = 1, words[1:]
    elif len(words) >= 2 and words[1] == "mươi" and words[0] in NUMBER_WORDS:
        tens, rest = NUMBER_WORDS[words[0]], words[2:]
    else:
        tens, rest = 0, words
    if len(rest) > 1 or (rest and rest[0] not in NUMBER_WORDS):
        return None
    units = NUMBER_WORDS[rest[0]] if rest else 0
    if tens == 0 and rest and rest[0] in ("mốt", "lăm"):
        return None
    value = tens * 10 + units
    return value or None


def heading_number_token(kind: str, number: str) -> str:
    """The numeric token of a heading: Roman numerals and ordinal words become digits, so
    "Chương IV" and "Chương 4" are both "chuong-4", "Mục II" and "Mục 2" both "muc-2"."""
    raw = number.strip().rstrip(".")
    # A section's letter ("Mục C") is not read as a Roman numeral: only I, V and X are.
    roman = kind in ("part", "chapter") or set(raw.upper()) <= set("IVX")
    value = roman_to_int(raw) if roman else None
    if value is not None:
        return str(value)
    if kind in ("part", "chapter"):
        words = raw.lower().split()
        if words and words[0] == "thứ":
            words = words[1:]
        value = ordinal_words_to_int(words)
        if value is not None:
            return str(value)
    return slug_token(raw)


@dataclass
class OutlineItem:
    key: str
    kind: str
    number: str
    label: str
    citation: str
    title: str
    text: str
    anchor: str
    path: str
    depth: int
    position: int
    parent_key: str | None = None
    pk: int | None = None
    parent_pk: int | None = None
    children: list[OutlineItem] = field(default_factory=list, repr=False)


def _items(raw_list) -> Iterator[tuple[str | None, dict]]:
    """Items of a ListBlock's raw value, new format ({"type": "item", ...}) or old."""
    for item in raw_list or []:
        if isinstance(item, dict) and item.get("type") == "item" and "value" in item:
            yield item.get("id"), item["value"]
        else:
            yield None, item


class _Keys:
    """Block UUIDs as provision keys. A block without one (old-format data) or with one already
    taken gets a key derived from its anchor, so it stays the same from one publish to the next.
    """

    def __init__(self) -> None:
        self.used: set[str] = set()

    def claim(self, key: str | None, anchor: str) -> str:
        if not key or key in self.used:
            key = str(uuid.uuid5(uuid.NAMESPACE_URL, f"econsult:provision:{anchor}"))
        self.used.add(key)
        return key


class _Anchors:
    def __init__(self) -> None:
        self.used: set[str] = set()

    def claim(self, anchor: str) -> str:
        candidate, n = anchor, 1
        while candidate in self.used:
            n += 1
            candidate = f"{anchor}-{n}"
        self.used.add(candidate)
        return candidate


def build_outline(raw_body: Iterable[dict]) -> list[OutlineItem]:
    """Walk a DraftPage body (raw StreamField JSON) into provisions in reading order.

    Anchors: "chuong-2", "chuong-2-muc-1", "dieu-5", "dieu-5-khoan-2", "dieu-5-khoan-2-diem-a";
    an alternative adds "-pa-N" to what it rewords ("dieu-35-pa-2", "dieu-148-khoan-1-pa-2",
    "dieu-150-khoan-2-diem-b-pa-1") and what it holds hangs under it ("dieu-35-pa-2-khoan-1").
    Citations read from the smallest unit: "Điểm a khoản 1 Phương án 2 Điều 35", "Phương án 2
    khoản 1 Điều 148". Within a unit: its points, its clauses, then its alternatives.
    """
    anchors, keys = _Anchors(), _Keys()
    items: list[OutlineItem] = []
    headings: dict[str, OutlineItem | None] = dict.fromkeys(HEADING_RANK)
    paragraph_count = 0

    def add(item: OutlineItem) -> OutlineItem:
        item.key = keys.claim(item.key, item.anchor)
        item.position = len(items)
        items.append(item)
        return item

    def innermost_heading() -> OutlineItem | None:
        for kind in ("subsection", "section", "chapter", "part"):
            if headings[kind] is not None:
                return headings[kind]
        return None

    for block in raw_body:
        kind, value, key = block.get("type"), block.get("value"), block.get("id") or ""
        if kind in HEADING_RANK:
            number = str(value.get("number", "")).strip()
            rank = HEADING_RANK[kind]
            for other, other_rank in HEADING_RANK.items():
                if other_rank >= rank:
                    headings[other] = None
            parent = innermost_heading()
            token = f"{HEADING_SLUGS[kind]}-{heading_number_token(kind, number)}"
            if kind in ("section", "subsection") and parent is not None:
                anchor = f"{parent.anchor}-{token}"
            else:
                anchor = token
            anchor = anchors.claim(anchor)
            shown_number = number.upper() if kind == "chapter" else number
            label = f"{HEADING_LABELS[kind]} {shown_number}".strip()
            heading = add(
                OutlineItem(
                    key=key, kind=kind, number=number, label=label, citation=label,
                    title=str(value.get("title") or "").strip(), text="", anchor=anchor,
                    path=f"{parent.path}/{anchor}" if parent else anchor,
                    depth=(parent.depth + 1) if parent else 0, position=0,
                    parent_key=parent.key if parent else None,
                )
            )  # fmt: skip
            headings[kind] = heading
        elif kind == "article":
            parent = innermost_heading()
            number = str(value.get("number", "")).strip()
            anchor = anchors.claim(f"dieu-{slug_token(number)}")
            label = f"Điều {number}"
            article = add(
                OutlineItem(
                    key=key, kind="article", number=number, label=label, citation=label,
                    title=str(value.get("title") or "").strip(),
                    text=str(value.get("intro") or "").strip(), anchor=anchor,
                    path=f"{parent.path}/{anchor}" if parent else anchor,
                    depth=(parent.depth + 1) if parent else 0, position=0,
                    parent_key=parent.key if parent else None,
                )
            )  # fmt: skip
            _add_units(add, anchors, article, value, label)
        elif kind == "paragraph":
            paragraph_count += 1
            anchor = anchors.claim(f"doan-{paragraph_count}")
            add(
                OutlineItem(
                    key=key, kind="paragraph", number=str(paragraph_count),
                    label=f"Đoạn {paragraph_count}", citation=f"Đoạn {paragraph_count}",
                    title="", text=str(value or "").strip(), anchor=anchor, path=anchor,
                    depth=0, position=0,
                )
            )  # fmt: skip
    return items


def _child(parent: OutlineItem, anchor: str, **fields) -> OutlineItem:
    return OutlineItem(
        anchor=anchor, path=f"{parent.path}/{anchor}", depth=parent.depth + 1, position=0,
        parent_key=parent.key, title="", **fields,
    )  # fmt: skip


def _add_units(add, anchors: _Anchors, parent: OutlineItem, value: dict, cited_in: str) -> None:
    """The points, clauses and alternatives of an article or of an article's alternative.

    `cited_in` is how a unit inside `parent` names it: "Điều 35", "Phương án 2 Điều 35".
    """
    _add_points(add, anchors, parent, value.get("points"), cited_in)
    for clause_key, clause in _items(value.get("clauses")):
        number = str(clause.get("number", "")).strip()
        clause_item = add(
            _child(
                parent, anchors.claim(f"{parent.anchor}-khoan-{slug_token(number)}"),
                key=clause_key or "", kind="clause", number=number, label=f"Khoản {number}",
                citation=f"Khoản {number} {cited_in}", text=str(clause.get("text") or "").strip(),
            )
        )  # fmt: skip
        clause_cited_in = f"khoản {number} {cited_in}"
        _add_points(add, anchors, clause_item, clause.get("points"), clause_cited_in)
        _add_alternatives(add, anchors, clause_item, clause.get("alternatives"), clause_cited_in)
    _add_alternatives(add, anchors, parent, value.get("alternatives"), cited_in)


def _add_points(add, anchors: _Anchors, parent: OutlineItem, raw_points, cited_in: str) -> None:
    for point_key, point in _items(raw_points):
        letter = str(point.get("letter", "")).strip().rstrip(")")
        point_item = add(
            _child(
                parent, anchors.claim(f"{parent.anchor}-diem-{slug_token(letter)}"),
                key=point_key or "", kind="point", number=letter, label=f"Điểm {letter}",
                citation=f"Điểm {letter} {cited_in}", text=str(point.get("text") or "").strip(),
            )
        )  # fmt: skip
        point_cited_in = f"điểm {letter} {cited_in}"
        _add_alternatives(add, anchors, point_item, point.get("alternatives"), point_cited_in)


def _add_alternatives(
    add, anchors: _Anchors, parent: OutlineItem, raw_alternatives, cited_in: str
) -> None:
    """Alternatives ("Phương án N") of an article, clause or point: provisions of kind
    "alternative" under it, anchored "<parent anchor>-pa-N" ("dieu-148-khoan-1-pa-2"); an
    article's alternative holds its own points and clauses, a clause's its own points."""
    for alternative_key, alternative in _items(raw_alternatives):
        number = str(alternative.get("number", "")).strip()
        label = f"Phương án {number}"
        item = add(
            _child(
                parent, anchors.claim(f"{parent.anchor}-pa-{slug_token(number)}"),
                key=alternative_key or "", kind="alternative", number=number, label=label,
                citation=f"{label} {cited_in}", text=str(alternative.get("text") or "").strip(),
            )
        )  # fmt: skip
        item.title = str(alternative.get("title") or "").strip()
        _add_units(add, anchors, item, alternative, f"{label} {cited_in}")


def anchor_kind(anchor: str) -> str:
    """The kind of provision an anchor of build_outline() names, read from its shape."""
    last = anchor
    if re.search(r"-pa-[^-]+$", last):
        return "alternative"
    if "-diem-" in last:
        return "point"
    if "-khoan-" in last:
        return "clause"
    if last.startswith("dieu-"):
        return "article"
    if "tieu-muc-" in last:
        return "subsection"
    if last.startswith("muc-") or "-muc-" in last:
        return "section"
    if last.startswith("chuong-"):
        return "chapter"
    if last.startswith("phan-"):
        return "part"
    return "paragraph"
