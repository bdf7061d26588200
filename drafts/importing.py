"""Reading Vietnamese legal text (.txt or .docx) into the body of a DraftPage.

Two steps, usable apart: `read_source` turns the uploaded bytes into numbered, normalised lines
(or refuses the file with a clear reason), and `parse_lines` recognises the structure — Phần,
Chương, Mục, Tiểu mục, Điều, khoản, điểm — and builds the raw StreamField JSON of
`drafts.blocks.DraftBodyBlock`. Recognition follows the counting rules of the corpus in
/work/shared/corpus (a line is structural only by its start), so the counts it reports are the
counts a reader of the text would make. Texts as they come are read as the structure they are:
the look-alike "Ð" for "Đ" (and, with a warning, Cyrillic or Greek look-alikes in a keyword or
a number), spaces before a number's "." or ")" ("Điều 2 . Tên", "a ) …"), "Điều 2: Tên" and
"Điều 2 - Tên", a chapter in Arabic numerals or a section in Roman ones, a keyword in mixed
case, "điều 2." in lower case where it is the article that comes next, a clause "1)" or a
point "a." / "a -" where it continues its numbering — with a warning where the reading is
doubtful; elsewhere a keyword in lower case ("điều 5.") stays text, with a warning.

Alternative wordings ("Phương án 1", "Phương án 2" …) of an article, a clause or a point are
read as alternatives of the unit they follow (see `_Parser.alternative`), each with its own
text, points and clauses, and counted apart ("alternatives"); the clauses and points inside
them are counted as clauses and points, as the corpus counts them.

Problems that would put comments on the wrong provision (an article number used twice) stop the
import; everything else a drafter may want to check (numbers that jump or restart, points out of
order, Word's automatic numbering) is reported as a warning and the import goes on. Every
message names the line (the paragraph, for a .docx) it is about.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePath

from django.conf import settings
from django.utils.translation import gettext as _

from drafts.outline import HEADING_KINDS, int_to_roman, roman_to_int
from econsult.text import clean_input, read_lookalikes

COUNT_KEYS = (
    "parts", "chapters", "sections", "subsections", "articles", "clauses", "points",
    "alternatives", "paragraphs",
)  # fmt: skip

# The letters of points in Vietnamese legal drafting, in order (no f, j, w, z).
POINT_LETTERS = tuple("abcdđeghiklmnopqrstuvxy")
POINT_INDEX = {letter: i for i, letter in enumerate(POINT_LETTERS)}

QUOTE_MARKS = "“”\"‘’'«»"

_ORDINAL_WORDS = "nhất|một|mốt|hai|ba|tư|bốn|năm|lăm|sáu|bảy|bẩy|tám|chín|mười|mươi"
# Each structural keyword is matched in any case (group "word"): "Điều" and "ĐIỀU" are the
# written forms; another spelling starting with a capital ("ĐIều") is read with a warning, one
# in lower case ("điều 5." — a hard-wrapped sentence, more likely) is kept as text with a
# warning (see `_keyword_kind`, `_odd_keyword`). Spaces before the "." or ")" after a number
# ("Điều 2 .", "1 .", "a )") are a typing slip, not another structure: read silently.
PART_RE = re.compile(
    rf"^(?P<word>(?i:Phần)) (?P<number>(?:thứ|THỨ|Thứ)(?:(?: (?i:{_ORDINAL_WORDS}))+"
    r"|(?: [^\s.:]+)?)|[IVXLCDM]+|\d+)(?=$|[ .:])(?P<rest>.*)$"
)
# Chapters are numbered in Roman numerals; Arabic ones ("Chương 1.") are read with a warning.
CHAPTER_RE = re.compile(
    r"^(?P<word>(?i:Chương)) (?P<number>[IVXLCDMivxlcdm]+|\d+)(?=$|[ .:])(?P<rest>.*)$"
)
# Sections are numbered in Arabic numerals; Roman ones ("Mục II") are read with a warning.
SECTION_RE = re.compile(r"^(?P<word>(?i:Mục)) (?P<number>\d+|[IVXLCDM]+)(?=$|[ .:])(?P<rest>.*)$")
SUBSECTION_RE = re.compile(r"^(?P<word>(?i:Tiểu mục)) (?P<number>\d+)(?=$|[ .:])(?P<rest>.*)$")
# "Điều 2. Tên", and as typed: "Điều 2 . Tên", "Điều 2.Tên", "Điều 2: Tên", "Điều 2 - Tên".
ARTICLE_RE = re.compile(
    r"^(?P<word>(?i:Điều)) ?(?P<number>\d+[a-z]?) *(?:[.:]|[-–—](?=\s|$))(?P<rest>.*)$"
)
CLAUSE_RE = re.compile(r"^(?P<number>\d+) *\.(?!\d)(?P<rest>.*)$")
POINT_RE = re.compile(r"^(?P<letter>[a-zđ]\d*) *\)(?P<rest>.*)$")
# Numbering in another style: a clause "1)", a point "a." or "a -". Read as such only where it
# continues the numbering in that style (see `_Parser.other_style`), with a warning.
CLAUSE_PAREN_RE = re.compile(r"^(?P<number>\d+) ?\)(?P<rest>.*)$")
POINT_DOT_RE = re.compile(r"^(?P<letter>[a-zđ])(?: ?\.(?=\s|$)| ?[-–—](?=\s))(?P<rest>.*)$")
# "Phương án 2", "Phương án 1:", "Phương án 1 (hiện hành): …": an alternative wording. Only
# when nothing but a note or a mark follows the number: "Phương án 1 được chọn …" is a sentence.
ALTERNATIVE_RE = re.compile(
    r"^(?P<word>(?i:Phương án)) (?P<number>\d+)(?=$|\s*[:.(\-–—])(?P<rest>.*)$"
)
# "b Hội đồng trọng tài lao động;": a point whose ")" was lost.
BARE_POINT_RE = re.compile(r"^(?P<letter>[a-zđ]) (?P<rest>\S.*)$")

HEADING_PATTERNS = (
    ("part", PART_RE),
    ("chapter", CHAPTER_RE),
    ("subsection", SUBSECTION_RE),
    ("section", SECTION_RE),
)
HEADING_COUNT_KEYS = {
    "part": "parts",
    "chapter": "chapters",
    "section": "sections",
    "subsection": "subsections",
}

# Lines that close a legal text after its last article: the adoption formula, the list of
# recipients and the signature block. Only looked for after the last article.
CLOSING_RE = re.compile(
    r"^(?:(?:Luật|Bộ luật|Pháp lệnh|Nghị quyết|Lệnh) này (?:đã )?được .*\bthông qua\b"
    r"|Nơi nhận\s*:"
    r"|(?:TM|KT|TL|TUQ|Q)\. ?\S)"
)
SIGNATURE_TITLES = (
    "CHỦ TỊCH", "PHÓ CHỦ TỊCH", "THỦ TƯỚNG", "PHÓ THỦ TƯỚNG", "BỘ TRƯỞNG", "THỨ TRƯỞNG",
    "CHÁNH ÁN", "VIỆN TRƯỞNG", "TỔNG KIỂM TOÁN", "CHỦ NHIỆM", "TỔNG THƯ KÝ", "GIÁM ĐỐC",
)  # fmt: skip

# Cyrillic and Greek letters that look like Latin ones: in a keyword or a number they are a
# slip of the keyboard or of a converter ("Điеu 2." with a Cyrillic "е"). Read as Latin there
# only, with a warning; the text itself is kept as written.
LOOKALIKE_LETTERS = str.maketrans(
    "АВЕКМНОРСТУХІЈЅаеорсуххіјѕԁһΑΒΕΖΗΙΚΜΝΟΡΤΥΧοιαν",
    "ABEKMHOPCTYXIJSaeopcyxxijsdhABEZHIKMNOPTYXoiav",
)
_LOOKALIKE = re.compile("[АВЕКМНОРСТУХІЈЅаеорсухіјѕԁһΑΒΕΖΗΙΚΜΝΟΡΤΥΧοιαν]")

MAX_DOCX_UNPACKED_FACTOR = 10
NUMBERING_WARNINGS_SHOWN = 10


# --- Messages -------------------------------------------------------------------------------


def _shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class ImportMessage:
    """A problem found on one line of the source (line 0: the file as a whole)."""

    line: int
    text: str
    message: str

    def __str__(self) -> str:
        if self.line <= 0:
            return self.message
        if not self.text:
            return _("Line %(line)d: %(message)s") % {"line": self.line, "message": self.message}
        return _("Line %(line)d («%(text)s»): %(message)s") % {
            "line": self.line,
            "text": self.text,
            "message": self.message,
        }


def _message(line: int, text: str, message: str) -> ImportMessage:
    return ImportMessage(line=line, text=_shorten(text), message=message)


class ImportFailed(Exception):
    """The source cannot be imported at all; `errors` says why, line by line."""

    def __init__(self, errors: list[ImportMessage]):
        self.errors = list(errors)
        super().__init__("\n".join(str(error) for error in self.errors))


@dataclass
class ParseResult:
    """What `parse_lines` read: `body`, the raw StreamField JSON of `DraftBodyBlock`; `counts`,
    one number per COUNT_KEYS key ("alternatives": the "Phương án" read; the clauses and
    points inside them are in "clauses" and "points"); the warnings and errors by line."""

    body: list[dict]
    counts: dict[str, int]
    warnings: list[ImportMessage] = field(default_factory=list)
    errors: list[ImportMessage] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


# --- Reading --------------------------------------------------------------------------------


def _max_bytes(max_bytes: int | None) -> int:
    return max_bytes if max_bytes is not None else settings.DRAFT_IMPORT_MAX_BYTES


def _megabytes(size: int) -> str:
    """Size in MB, rounded up to a tenth so that a file over a limit never shows as equal."""
    tenths = math.ceil(size * 10 / (1024 * 1024))
    return f"{tenths / 10:.1f}".removesuffix(".0")


def check_size(size: int, *, max_bytes: int | None = None) -> None:
    """Refuse a source larger than the import limit (before reading it, when size is known)."""
    limit = _max_bytes(max_bytes)
    if size > limit:
        raise ImportFailed(
            [
                _message(
                    0,
                    "",
                    _("The file is %(size)s MB; the import limit is %(limit)s MB.")
                    % {"size": _megabytes(size), "limit": _megabytes(limit)},
                )
            ]
        )


def _failed(message: str, line: int = 0, text: str = "") -> ImportFailed:
    return ImportFailed([_message(line, text, message)])


def _normalise(text: str) -> str:
    """One line as people meant it (econsult.text): NFC, no zero-width or bidirectional
    controls, the look-alikes Ð/ð read as Đ/đ (so "Ðiều 2." is an article), spaces collapsed."""
    return " ".join(read_lookalikes(clean_input(text)).split())


# What the importer reads; a name without an extension is read as text.
IMPORTABLE_SUFFIXES = frozenset({".docx", ".txt", ""})


def _is_docx_name(filename: str) -> bool:
    return PurePath(filename or "").suffix.lower() == ".docx"


def read_source(
    data: bytes, filename: str, *, max_bytes: int | None = None
) -> list[tuple[int, str]]:
    """The non-empty lines of a .txt (UTF-8) or .docx source, numbered and normalised.

    A .txt line keeps its physical line number (blank lines count); a .docx line carries the
    number of its paragraph (table cells included, in document order).
    """
    lines, _warnings = _read(data, filename, max_bytes=max_bytes)
    return lines


def _read(
    data: bytes, filename: str, *, max_bytes: int | None
) -> tuple[list[tuple[int, str]], list[ImportMessage]]:
    check_size(len(data), max_bytes=max_bytes)
    if not data.strip():
        raise _failed(_("The file is empty."))
    suffix = PurePath(filename or "").suffix.lower()
    if suffix not in IMPORTABLE_SUFFIXES or data.startswith(b"%PDF"):
        raise _failed(
            _(
                "Only a Word .docx or a plain-text .txt file can be imported (this one is "
                "%(kind)s). Save the draft from Word as .docx, or paste its text."
            )
            % {"kind": "PDF" if data.startswith(b"%PDF") else (suffix or _("without extension"))}
        )
    if _is_docx_name(filename):
        lines, warnings = _read_docx(data, max_bytes=_max_bytes(max_bytes))
    else:
        lines, warnings = _read_text(data), []
    if not lines:
        raise _failed(_("The file has no text: every line is blank."))
    return lines, warnings


def _read_text(data: bytes) -> list[tuple[int, str]]:
    if data.startswith(b"PK\x03\x04"):
        raise _failed(
            _(
                "The file is a ZIP archive (a Word .docx?) but its name does not end in .docx. "
                "Rename it to .docx, or save the text as UTF-8 plain text."
            )
        )
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _failed(
            _("The file is an old Word .doc document. Save it as .docx or as UTF-8 plain text.")
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _failed(_("The file is UTF-16 text. Save it as UTF-8 plain text."))
    if b"\x00" in data:
        raise _failed(
            _("The file is not text (it contains NUL bytes). Upload a .docx or a UTF-8 .txt file.")
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        start = data.rfind(b"\n", 0, exc.start) + 1
        end = data.find(b"\n", exc.start)
        shown = data[start : end if end >= 0 else len(data)].decode("utf-8", errors="replace")
        raise _failed(
            _(
                "The file is not UTF-8 text: byte %(offset)d (column %(column)d of this line) "
                "is not valid UTF-8. Save the file as UTF-8 (Unicode)."
            )
            % {"offset": exc.start, "column": exc.start - start + 1},
            line=line,
            text=_normalise(shown),
        ) from None
    lines = []
    for number, raw in enumerate(re.split(r"\r\n|\r|\n", text), start=1):
        line = _normalise(raw)
        if line:
            lines.append((number, line))
    return lines


# OOXML names, spelled out so that the walk below needs nothing beyond lxml.
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_P, _T, _TAB, _PTAB, _BR, _CR = (f"{_W}{n}" for n in ("p", "t", "tab", "ptab", "br", "cr"))
_NO_BREAK_HYPHEN = f"{_W}noBreakHyphen"
# Block containers whose paragraphs are part of the text: tables and content controls.
_BLOCK_CONTAINERS = {
    f"{_W}{n}" for n in ("tbl", "tr", "tc", "sdt", "sdtContent", "customXml", "ins", "moveTo")
}
# Inside a paragraph: properties, deleted text and text boxes are not part of its text.
_SKIPPED_IN_PARAGRAPH = {
    f"{_W}{n}" for n in ("pPr", "rPr", "del", "moveFrom", "txbxContent", "instrText")
} | {f"{_MC}Fallback"}


def _iter_paragraphs(container) -> Iterator:
    for child in container:
        if child.tag == _P:
            yield child
        elif child.tag in _BLOCK_CONTAINERS:
            yield from _iter_paragraphs(child)


def _paragraph_text(paragraph) -> str:
    """The text of a w:p: runs, hyperlinks, fields and tracked insertions, not deletions.

    Breaks inside the paragraph (Shift+Enter) become line ends.
    """
    out: list[str] = []

    def walk(element) -> None:
        for child in element:
            tag = child.tag
            if tag == _T:
                out.append(child.text or "")
            elif tag in (_TAB, _PTAB):
                out.append("\t")
            elif tag in (_BR, _CR):
                out.append("\n")
            elif tag == _NO_BREAK_HYPHEN:
                out.append("-")
            elif tag not in _SKIPPED_IN_PARAGRAPH and isinstance(tag, str):
                walk(child)

    walk(paragraph)
    return "".join(out)


def _numbering_id(ppr) -> str | None:
    if ppr is None:
        return None
    num_pr = ppr.find(f"{_W}numPr")
    if num_pr is None:
        return None
    num_id = num_pr.find(f"{_W}numId")
    return num_id.get(f"{_W}val") if num_id is not None else ""


class _StyleNumbering:
    """Whether a paragraph style (or a style it is based on) carries automatic numbering."""

    def __init__(self, document) -> None:
        try:
            styles = document.styles.element.findall(f"{_W}style")
        except Exception:  # a document without a styles part
            styles = []
        self.styles = {style.get(f"{_W}styleId"): style for style in styles}
        self.cache: dict[str, bool] = {}

    def numbered(self, style_id: str | None) -> bool:
        if not style_id:
            return False
        if style_id not in self.cache:
            seen, current, result = set(), style_id, False
            while current and current not in seen and current in self.styles:
                seen.add(current)
                style = self.styles[current]
                num_id = _numbering_id(style.find(f"{_W}pPr"))
                if num_id is not None:
                    result = num_id not in ("0", "")
                    break
                based_on = style.find(f"{_W}basedOn")
                current = based_on.get(f"{_W}val") if based_on is not None else None
            self.cache[style_id] = result
        return self.cache[style_id]


def _uses_automatic_numbering(paragraph, styles: _StyleNumbering) -> bool:
    ppr = paragraph.find(f"{_W}pPr")
    num_id = _numbering_id(ppr)
    if num_id is not None:
        return num_id not in ("0", "")
    style = ppr.find(f"{_W}pStyle") if ppr is not None else None
    return styles.numbered(style.get(f"{_W}val") if style is not None else None)


def _read_docx(data: bytes, *, max_bytes: int) -> tuple[list[tuple[int, str]], list[ImportMessage]]:
    import docx

    not_docx = _(
        "The file is named .docx but is not a Word document that can be read. Open it in Word "
        "and save it again as .docx, or upload the text as UTF-8 plain text (.txt)."
    )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise _failed(not_docx)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise _failed(not_docx) from None
    if unpacked > max_bytes * MAX_DOCX_UNPACKED_FACTOR:
        raise _failed(
            _("The document unpacks to %(size)s MB, more than %(limit)s MB.")
            % {
                "size": _megabytes(unpacked),
                "limit": _megabytes(max_bytes * MAX_DOCX_UNPACKED_FACTOR),
            }
        )
    try:
        document = docx.Document(io.BytesIO(data))
        body = document.element.body
    except Exception:  # python-docx raises many kinds on a damaged package
        raise _failed(not_docx) from None

    styles = _StyleNumbering(document)
    lines: list[tuple[int, str]] = []
    numbered: list[ImportMessage] = []
    for number, paragraph in enumerate(_iter_paragraphs(body), start=1):
        texts = [_normalise(part) for part in _paragraph_text(paragraph).split("\n")]
        texts = [text for text in texts if text]
        lines.extend((number, text) for text in texts)
        if texts and _uses_automatic_numbering(paragraph, styles):
            numbered.append(
                _message(
                    number,
                    texts[0],
                    _(
                        "This paragraph uses Word's automatic numbering: its number or letter "
                        "is not part of the text and was not imported. In Word, convert the "
                        "numbering to text and upload again, or add the numbers by hand."
                    ),
                )
            )
    warnings = numbered[:NUMBERING_WARNINGS_SHOWN]
    if len(numbered) > NUMBERING_WARNINGS_SHOWN:
        rest = numbered[NUMBERING_WARNINGS_SHOWN:]
        warnings.append(
            _message(
                rest[0].line,
                rest[0].text,
                _("%(count)d more paragraphs from here on use Word's automatic numbering.")
                % {"count": len(rest)},
            )
        )
    return lines, warnings


# --- Parsing --------------------------------------------------------------------------------


def _new_id() -> str:
    return str(uuid.uuid4())


def _classify(text: str) -> tuple[str, re.Match | None]:
    """What a line is by its start alone; whether it counts depends on where it stands."""
    if text[0] in QUOTE_MARKS:
        return "text", None
    if text[:4].lower() == "điều":
        match = ARTICLE_RE.match(text)
        if match:
            return _keyword_kind("article", match), match
    for kind, pattern in HEADING_PATTERNS:
        match = pattern.match(text)
        if match:
            return _keyword_kind(kind, match), match
    match = ALTERNATIVE_RE.match(text)
    if match:
        return ("text", None) if match["word"][0].islower() else ("alternative", match)
    match = CLAUSE_RE.match(text)
    if match:
        return "clause", match
    match = POINT_RE.match(text)
    if match:
        return "point", match
    match = CLAUSE_PAREN_RE.match(text)
    if match:
        return "clause_paren", match
    match = POINT_DOT_RE.match(text)
    if match and match["letter"] in POINT_INDEX:
        return "point_dot", match
    match = BARE_POINT_RE.match(text)
    if match and match["rest"][0].isupper():
        return "bare_point", match
    return "text", None


def _read_lookalike_letters(text: str) -> tuple[str, str, str] | None:
    """The line with Cyrillic or Greek look-alike letters in its first one to three words read
    as Latin, with those words as written and as read, when that makes it a structural line
    ("Điеu 2." → "Điều 2."); None otherwise. The rest of the line is kept as written."""
    words = text.split(" ")
    if not _LOOKALIKE.search(" ".join(words[:3])):
        return None
    for n in (1, 2, 3):
        head = " ".join(words[:n])
        read = unicodedata.normalize("NFC", head.translate(LOOKALIKE_LETTERS))
        if read == head:
            continue
        line = " ".join([read, *words[n:]])
        if _classify(line)[0] not in ("text", "bare_point"):
            return line, head, read
    return None


def _keyword_kind(kind: str, match: re.Match) -> str:
    """`kind`, or "lowercase" when the keyword starts in lower case ("điều 5. …"): at the start
    of a line that is far more often a sentence wrapped by hand than a heading."""
    return "lowercase" if match["word"][0].islower() else kind


def _odd_keyword(word: str) -> bool:
    """A keyword spelt neither as written ("Điều", "Tiểu mục") nor in capitals ("ĐIỀU")."""
    return word != word.capitalize() and not word.isupper()


def _is_closing(text: str) -> bool:
    if CLOSING_RE.match(text):
        return True
    return len(text) <= 80 and text.isupper() and text.startswith(SIGNATURE_TITLES)


def _heading_rest(rest: str) -> str:
    """The title on a heading's own line: what follows "N." (or "N:", "N -")."""
    return rest.strip().lstrip(".:-–—").strip()


def _split_note(rest: str) -> tuple[str, str]:
    """What follows "Phương án N": a note in brackets, "(hiện hành)", and the rest of the line
    after it and its ":" (a clause's or point's text, an article's alternative's title)."""
    rest = rest.strip()
    note = ""
    if rest.startswith("("):
        depth = 0
        for i, char in enumerate(rest):
            depth += {"(": 1, ")": -1}.get(char, 0)
            if depth == 0:
                note, rest = rest[: i + 1], rest[i + 1 :].strip()
                break
        if rest == ".":  # "Phương án 1 (Ngay sau khi … phù hợp)." ends with its note
            note, rest = note + rest, ""
    return note, rest.strip().lstrip(".:-–—").strip()


def _article_key(number: str) -> tuple[int, str]:
    digits = number.rstrip("abcdefghijklmnopqrstuvwxyz")
    return int(digits), number[len(digits) :]


def _point_key(letter: str) -> tuple[int, int] | None:
    base, suffix = letter[0], letter[1:]
    if base not in POINT_INDEX:
        return None
    return POINT_INDEX[base], int(suffix) if suffix else 0


def _gap(before: int, now: int) -> str:
    """The numbers missing between two: "6", or "6–8"."""
    return str(before + 1) if now == before + 2 else f"{before + 1}–{now - 1}"


@dataclass
class _Unit:
    """An article, clause, point or alternative ("Phương án N") being read: its number (a
    point's letter), its own lines and the units it holds, in reading order."""

    kind: str
    number: str
    line: int
    lines: list[str] = field(default_factory=list)
    title: str = ""
    # The line the unit starts on, as written (for messages).
    source: str = ""
    # The mark after its number or letter: "." for a clause, ")" for a point, as is usual;
    # another when written in another style ("1)", "a.", "a -").
    mark: str = ""
    # The kind an alternative rewords: "article", "clause" or "point".
    rewords: str = ""
    points: list[_Unit] = field(default_factory=list)
    clauses: list[_Unit] = field(default_factory=list)
    alternatives: list[_Unit] = field(default_factory=list)

    @property
    def letter(self) -> str:
        return self.number

    @property
    def level(self) -> str:
        """What the unit is, for what it may hold: an alternative holds what it rewords."""
        return self.rewords if self.kind == "alternative" else self.kind

    def holds_points(self) -> bool:
        return self.level in ("article", "clause")

    def holds_clauses(self) -> bool:
        return self.level == "article"

    def holds_alternatives(self) -> bool:
        return self.kind != "alternative"

    def items(self) -> dict:
        """The list blocks of the unit's value (StreamField JSON): `alternatives` only when
        there are some, so the bodies of drafts without any keep their shape."""
        value = {}
        if self.holds_points():
            value["points"] = _items_json(self.points)
        if self.holds_clauses():
            value["clauses"] = _items_json(self.clauses)
        if self.alternatives:
            value["alternatives"] = _items_json(self.alternatives)
        return value

    def value(self) -> dict:
        text = "\n".join(self.lines)
        if self.kind == "point":
            return {"letter": self.number, "text": text, **self.items()}
        if self.kind == "clause":
            return {"number": self.number, "text": text, **self.items()}
        return {"number": self.number, "title": self.title, "text": text, **self.items()}


def _items_json(units: list[_Unit]) -> list[dict]:
    return [{"type": "item", "id": _new_id(), "value": unit.value()} for unit in units]


class _Parser:
    def __init__(self) -> None:
        self.body: list[dict] = []
        self.counts = dict.fromkeys(COUNT_KEYS, 0)
        self.warnings: list[ImportMessage] = []
        self.errors: list[ImportMessage] = []
        # The units open in the current article, outermost (the article) first.
        self.units: list[_Unit] = []
        # The title of the latest heading while it is being collected: its block value and lines.
        self.titled: dict | None = None
        self.title_lines: list[str] | None = None
        self.articles_seen: dict[str, int] = {}
        self.previous_article: _Unit | None = None
        self.chapters_in_part: dict[object, int] = {}
        self.previous_chapter: tuple[str, int | None] | None = None

    def warn(self, line: int, text: str, message: str) -> None:
        self.warnings.append(_message(line, text, message))

    def error(self, line: int, text: str, message: str) -> None:
        self.errors.append(_message(line, text, message))

    # Blocks

    def paragraph(self, text: str) -> None:
        self.body.append({"type": "paragraph", "id": _new_id(), "value": text})
        self.counts["paragraphs"] += 1

    def heading(self, kind: str, match: re.Match, line: int, text: str) -> None:
        self.close_article()
        number = match["number"]
        if kind == "part":
            self.chapters_in_part = {}
            self.previous_chapter = None
        elif kind == "chapter":
            self.check_chapter(number, line, text)
        elif kind == "section" and not number.isdigit():
            self.warn(
                line,
                text,
                _(
                    "Section %(number)s is numbered in Roman numerals; sections are usually "
                    "numbered in Arabic ones (Mục 1, Mục 2…). Check that this line is a "
                    "section heading."
                )
                % {"number": number},
            )
        title = _heading_rest(match["rest"])
        self.titled = {"number": number, "title": title}
        self.title_lines = [title] if title else []
        self.body.append({"type": kind, "id": _new_id(), "value": self.titled})
        self.counts[HEADING_COUNT_KEYS[kind]] += 1

    def close_title(self) -> None:
        if self.titled is not None:
            self.titled["title"] = "\n".join(self.title_lines)
            self.titled = self.title_lines = None

    def open_article(self, match: re.Match, line: int, text: str) -> None:
        self.close_article()
        self.close_title()
        number = match["number"]
        article = _Unit("article", number, line, title=_heading_rest(match["rest"]), source=text)
        self.units = [article]
        self.check_article_number(article)
        self.counts["articles"] += 1

    def close_article(self) -> None:
        if not self.units:
            return
        article = self.units[0]
        self.units = []
        if not (
            article.title
            or article.lines
            or article.points
            or article.clauses
            or article.alternatives
        ):
            self.warn(
                article.line,
                article.source,
                _("Article %(number)s has neither a title nor any text.")
                % {"number": article.number},
            )
        value = {
            "number": article.number,
            "title": article.title,
            "intro": "\n".join(article.lines),
            **article.items(),
        }
        self.body.append({"type": "article", "id": _new_id(), "value": value})

    # Numbering checks

    def check_article_number(self, article: _Unit) -> None:
        number = article.number
        first_line = self.articles_seen.get(number)
        if first_line is not None:
            self.error(
                article.line,
                article.source,
                _(
                    "Article %(number)s appears twice: first on line %(first)d, again here. "
                    "Each article needs its own number, or comments would land on the wrong one."
                )
                % {"number": number, "first": first_line},
            )
        else:
            self.articles_seen[number] = article.line
        previous = self.previous_article
        self.previous_article = article
        if previous is None or first_line is not None:
            return
        before, now = _article_key(previous.number), _article_key(number)
        if now < before:
            self.warn(
                article.line,
                article.source,
                _("Article %(number)s follows Article %(previous)s: the numbers go backwards.")
                % {"number": number, "previous": previous.number},
            )
        elif not now[1] and now[0] > before[0] + 1:
            self.warn(
                article.line,
                article.source,
                _(
                    "Article %(number)s follows Article %(previous)s: "
                    "Article %(missing)s is missing."
                )
                % {
                    "number": number,
                    "previous": previous.number,
                    "missing": _gap(before[0], now[0]),
                },
            )

    def check_chapter(self, number: str, line: int, text: str) -> None:
        value = int(number) if number.isdigit() else roman_to_int(number)
        if number.isdigit():
            self.warn(
                line,
                text,
                _(
                    "Chapter %(number)s is numbered in Arabic numerals; chapters are usually "
                    "numbered in Roman ones (Chương %(roman)s). Check that this line is a "
                    "chapter heading."
                )
                % {"number": number, "roman": int_to_roman(value) if value else number},
            )
        elif value is None:
            self.warn(
                line,
                text,
                _("“%(number)s” is not a valid Roman numeral.") % {"number": number},
            )
        key = value if value is not None else number.upper()
        first_line = self.chapters_in_part.get(key)
        if first_line is not None:
            self.error(
                line,
                text,
                _("Chapter %(number)s appears twice in the same part: first on line %(first)d.")
                % {"number": number, "first": first_line},
            )
        else:
            self.chapters_in_part[key] = line
        previous = self.previous_chapter
        self.previous_chapter = (number, value)
        if previous is None or previous[1] is None or value is None or first_line is not None:
            return
        if value < previous[1]:
            self.warn(
                line,
                text,
                _("Chapter %(number)s follows Chapter %(previous)s: the numbers go backwards.")
                % {"number": number, "previous": previous[0]},
            )
        elif value > previous[1] + 1:
            self.warn(
                line,
                text,
                _("Chapter %(number)s follows Chapter %(previous)s: %(count)d chapter(s) missing.")
                % {"number": number, "previous": previous[0], "count": value - previous[1] - 1},
            )

    def check_clause(self, container: _Unit, clause: _Unit, text: str) -> None:
        """Clause numbers within what holds them: an article, or an article's alternative
        (whose clauses are numbered from 1 again)."""
        article = self.units[0]
        now = int(clause.number)
        if not container.clauses:
            if now != 1:
                self.warn(
                    clause.line,
                    text,
                    _("The first clause of Article %(article)s is numbered %(number)d, not 1.")
                    % {"article": article.number, "number": now},
                )
            return
        before = int(container.clauses[-1].number)
        values = {"article": article.number, "number": now, "previous": before}
        if now == before:
            self.warn(
                clause.line,
                text,
                _("Clause %(number)d appears twice in a row in Article %(article)s.") % values,
            )
        elif now < before and now == 1:
            self.warn(
                clause.line,
                text,
                _(
                    "Clause numbering restarts at 1 after clause %(previous)d in Article "
                    "%(article)s (an alternative wording, “Phương án”?)."
                )
                % values,
            )
        elif now < before:
            self.warn(
                clause.line,
                text,
                _(
                    "Clause %(number)d follows clause %(previous)d in Article %(article)s: "
                    "the numbers go backwards."
                )
                % values,
            )
        elif now > before + 1:
            self.warn(
                clause.line,
                text,
                _("Clause %(number)d follows clause %(previous)d: clause %(missing)s is missing.")
                % {**values, "missing": _gap(before, now)},
            )

    def check_point(self, siblings: list[_Unit], point: _Unit, text: str) -> None:
        letter = point.letter
        key = _point_key(letter)
        if key is None:
            self.warn(
                point.line,
                text,
                _("Point %(letter)s) uses a letter that Vietnamese point lettering skips.")
                % {"letter": letter},
            )
            return
        previous = next(
            (
                (sibling.letter, _point_key(sibling.letter))
                for sibling in reversed(siblings)
                if _point_key(sibling.letter) is not None
            ),
            None,
        )
        if previous is None:
            if key != (0, 0):
                self.warn(
                    point.line,
                    text,
                    _("The first point here is %(letter)s), not a).") % {"letter": letter},
                )
            return
        before_letter, before = previous
        values = {"letter": letter, "previous": before_letter}
        if key == before:
            self.warn(point.line, text, _("Point %(letter)s) is repeated.") % values)
        elif key == (0, 0):
            self.warn(
                point.line,
                text,
                _(
                    "Point lettering restarts at a) after point %(previous)s) (an alternative "
                    "wording, “Phương án”?)."
                )
                % values,
            )
        elif key < before:
            self.warn(
                point.line,
                text,
                _("Point %(letter)s) comes after point %(previous)s): letters out of order.")
                % values,
            )
        elif key[1] == 0 and key[0] > before[0] + 1:
            missing = ", ".join(f"{x})" for x in POINT_LETTERS[before[0] + 1 : key[0]])
            self.warn(
                point.line,
                text,
                _("Point %(letter)s) follows point %(previous)s): %(missing)s missing.")
                % {**values, "missing": missing},
            )

    # Lines inside an article

    def clause(self, match: re.Match, line: int, text: str) -> None:
        while not self.units[-1].holds_clauses():
            self.units.pop()
        container = self.units[-1]
        clause = _Unit("clause", match["number"], line, source=text)
        rest = match["rest"].strip()
        if rest:
            clause.lines.append(rest)
        self.check_clause(container, clause, text)
        container.clauses.append(clause)
        self.units.append(clause)
        self.counts["clauses"] += 1

    def point(self, match: re.Match, line: int, text: str) -> None:
        while not self.units[-1].holds_points():
            self.units.pop()
        container = self.units[-1]
        point = _Unit("point", match["letter"], line, source=text)
        rest = match["rest"].strip()
        if rest:
            point.lines.append(rest)
        self.check_point(container.points, point, text)
        container.points.append(point)
        self.units.append(point)
        self.counts["points"] += 1

    def other_style(self, kind: str, match: re.Match, line: int, text: str) -> bool:
        """Read a clause written "1)" or a point written "a." or "a -" as one, with a warning,
        where that is not in doubt: it continues the numbering (the first, or the next after
        one in the same style) of what would hold it. Otherwise (e.g. "1)", "2)" listing
        items inside a clause numbered "1.") the line stays text. True when read."""
        if kind == "clause_paren":
            holder = next(unit for unit in reversed(self.units) if unit.holds_clauses())
            siblings, wanted = holder.clauses, match["number"]
            expected = str(int(siblings[-1].number) + 1) if siblings else "1"
            written, proper = f"{wanted})", f"{wanted}."
        else:
            holder = next(unit for unit in reversed(self.units) if unit.holds_points())
            siblings, wanted = holder.points, match["letter"]
            key = _point_key(siblings[-1].letter) if siblings else (-1, 0)
            expected = POINT_LETTERS[key[0] + 1] if key and key[0] + 1 < len(POINT_LETTERS) else ""
            written, proper = text[: match.start("rest")].strip(), f"{wanted})"
        if wanted != expected or (siblings and siblings[-1].mark != written[-1]):
            return False
        self.warn(
            line,
            text,
            _("“%(written)s” was read as %(proper)s, numbered in another style. Check it.")
            % {"written": written, "proper": proper},
        )
        if kind == "clause_paren":
            self.clause(match, line, text)
        else:
            self.point(match, line, text)
        holder_units = holder.clauses if kind == "clause_paren" else holder.points
        holder_units[-1].mark = written[-1]
        return True

    def alternative(self, match: re.Match, line: int, text: str) -> None:
        """A "Phương án N" line: an alternative wording of the unit it follows.

        "Phương án 1" rewords the latest unit: the article when no clause or point has come
        yet (Điều 35: the alternatives hold their own clauses), else the latest clause ("2."
        alone, then its alternatives) or point ("b)" alone). "Phương án 2" and later are
        siblings of the open alternative numbered one less (or of the latest open one).
        """
        number = int(match["number"])
        open_at = [i for i, unit in enumerate(self.units) if unit.kind == "alternative"]
        top = self.units[-1]
        if open_at and (number != 1 or not top.holds_alternatives()):
            at = next(
                (i for i in reversed(open_at) if int(self.units[i].number) == number - 1),
                open_at[-1],
            )
            previous = self.units[at]
            del self.units[at:]
            owner = self.units[-1]
            if int(previous.number) != number - 1:
                self.warn(
                    line,
                    text,
                    _("Phương án %(number)d follows Phương án %(previous)s.")
                    % {"number": number, "previous": previous.number},
                )
        else:
            owner = top
            if number != 1:
                self.warn(
                    line,
                    text,
                    _("The first alternative here is numbered %(number)d, not 1 (Phương án 1).")
                    % {"number": number},
                )
            if owner.kind == "point" and owner.lines:
                self.warn(
                    line,
                    text,
                    _(
                        "Read as an alternative wording of point %(letter)s), which already has "
                        "text. Check that it is not meant for the clause."
                    )
                    % {"letter": owner.letter},
                )
            elif owner.kind == "clause" and owner.points:
                self.warn(
                    line,
                    text,
                    _(
                        "Read as an alternative wording of clause %(number)s, after its points. "
                        "Check that it is not meant for its last point."
                    )
                    % {"number": owner.number},
                )
        alternative = _Unit("alternative", str(number), line, source=text, rewords=owner.kind)
        note, rest = _split_note(match["rest"])
        if note or owner.kind != "article":
            alternative.title = note
            if rest:
                alternative.lines.append(rest)
        else:
            alternative.title = rest
        owner.alternatives.append(alternative)
        self.units.append(alternative)
        self.counts["alternatives"] += 1

    # The walk

    def run(self, lines: list[tuple[int, str]]) -> ParseResult:
        if not lines:
            self.error(0, "", _("The document is empty."))
            return self.result()
        classified = [(number, text, *self.classify(number, text)) for number, text in lines]
        last_article = max(
            (i for i, (_n, _t, kind, _m) in enumerate(classified) if kind == "article"),
            default=None,
        )
        closing = None
        if last_article is not None:
            closing = next(
                (
                    i
                    for i in range(last_article + 1, len(classified))
                    if _is_closing(classified[i][1])
                ),
                None,
            )

        for i, (number, text, kind, match) in enumerate(classified):
            if closing is not None and i >= closing:
                self.close_article()
                self.close_title()
                self.paragraph(text)
            elif kind == "lowercase" and self.lowercase_article(match):
                self.warn(
                    number,
                    text,
                    _(
                        "“%(word)s” is written in lower case; the line was read as Article "
                        "%(number)s, which comes next. Write “Điều” if it is one, or check the "
                        "line if it is part of a sentence."
                    )
                    % {"word": match["word"], "number": match["number"]},
                )
                self.open_article(match, number, text)
            elif kind == "lowercase":
                self.warn(
                    number,
                    text,
                    _(
                        "This line starts like a heading or an article but in lower case "
                        "(“%(word)s”); it was kept as text. Write “%(proper)s” if it is one."
                    )
                    % {"word": match["word"], "proper": match["word"].capitalize()},
                )
                self.text_line("text", None, number, text)
            elif kind == "article":
                self.check_keyword(match, number, text)
                self.open_article(match, number, text)
            elif kind in HEADING_KINDS:
                self.check_keyword(match, number, text)
                self.close_title()
                self.heading(kind, match, number, text)
            else:
                self.text_line(kind, match, number, text)
        self.close_article()
        self.close_title()
        if not self.counts["articles"]:
            self.warn(
                0,
                "",
                _("No articles found (no line starts with “Điều <number>.”): the text was "
                  "imported as headings and paragraphs."),
            )  # fmt: skip
        return self.result()

    def classify(self, line: int, text: str) -> tuple[str, re.Match | None]:
        """`_classify`, reading look-alike letters of other alphabets in the first words."""
        kind, match = _classify(text)
        if kind in ("text", "bare_point"):
            read = _read_lookalike_letters(text)
            if read is not None:
                self.warn(
                    line,
                    text,
                    _(
                        "“%(written)s” contains Cyrillic or Greek letters that look like Latin "
                        "ones; it was read as “%(read)s”."
                    )
                    % {"written": read[1], "read": read[2]},
                )
                return _classify(read[0])
        return kind, match

    def lowercase_article(self, match: re.Match) -> bool:
        """Whether "điều N." in lower case is read as an article: when N is the number that
        comes next (1 for the first) and a title in capitals, or none, follows. Elsewhere it
        is more likely a sentence wrapped by hand ("… quy định tại\nđiều 2. …")."""
        if match.re is not ARTICLE_RE:
            return False
        rest = _heading_rest(match["rest"])
        if rest and not rest[0].isupper():
            return False
        previous = self.previous_article
        expected = _article_key(previous.number)[0] + 1 if previous is not None else 1
        return match["number"] == str(expected)

    def check_keyword(self, match: re.Match, line: int, text: str) -> None:
        word = match["word"]
        if _odd_keyword(word):
            self.warn(
                line,
                text,
                _("“%(word)s” is written in mixed case; it was read as “%(proper)s”.")
                % {"word": word, "proper": word.capitalize()},
            )

    def text_line(self, kind: str, match: re.Match | None, number: int, text: str) -> None:
        """A line that is neither an article heading nor a heading: a unit of the open article,
        part of a heading's title, or a paragraph."""
        if self.units:
            self.article_line(kind, match, number, text)
        elif kind == "alternative":
            self.text_line("text", None, number, text)
        elif kind in ("clause", "point"):
            self.close_title()
            self.warn(
                number,
                text,
                _("A numbered clause or lettered point outside any article: kept as a "
                  "paragraph."),
            )  # fmt: skip
            self.paragraph(text)
        elif self.title_lines is not None:
            self.title_lines.append(text)
        else:
            self.paragraph(text)

    def article_line(self, kind: str, match: re.Match | None, number: int, text: str) -> None:
        if kind == "clause":
            self.clause(match, number, text)
        elif kind == "point":
            self.point(match, number, text)
        elif kind == "alternative":
            self.alternative(match, number, text)
        elif kind in ("clause_paren", "point_dot") and self.other_style(kind, match, number, text):
            return
        else:
            if kind == "bare_point":
                self.warn(
                    number,
                    text,
                    _(
                        "This looks like point %(letter)s) without its “)”; it was kept as "
                        "text. Add the “)” if it is a point."
                    )
                    % {"letter": match["letter"]},
                )
            self.units[-1].lines.append(text)

    def result(self) -> ParseResult:
        self.warnings.sort(key=lambda message: message.line)
        self.errors.sort(key=lambda message: message.line)
        return ParseResult(
            body=self.body, counts=self.counts, warnings=self.warnings, errors=self.errors
        )


def parse_lines(lines: list[tuple[int, str]]) -> ParseResult:
    """Recognise the structure of numbered lines (from `read_source`) and build the body."""
    return _Parser().run(lines)


def parse_text(text: str) -> ParseResult:
    """Parse text given as a string (tests, the shell); blank text raises ImportFailed."""
    return parse_lines(read_source(text.encode("utf-8"), "x.txt"))


def parse_upload(data: bytes, filename: str, *, max_bytes: int | None = None) -> ParseResult:
    """Read and parse an uploaded file; ImportFailed when the file itself cannot be read."""
    lines, read_warnings = _read(data, filename, max_bytes=max_bytes)
    result = parse_lines(lines)
    if read_warnings:
        result.warnings = sorted([*read_warnings, *result.warnings], key=lambda m: m.line)
    return result


# --- Back to text ---------------------------------------------------------------------------

_HEADING_WORDS = {"part": "Phần", "chapter": "Chương", "section": "Mục", "subsection": "Tiểu mục"}


def _list_values(raw) -> Iterator[dict]:
    for item in raw or []:
        if isinstance(item, dict) and item.get("type") == "item" and "value" in item:
            yield item["value"]
        else:
            yield item


def _with_text(head: str, text: str) -> list[str]:
    lines = (text or "").split("\n")
    return [f"{head} {lines[0]}".rstrip(), *lines[1:]]


def _alternative_heading(value: dict) -> str:
    """ "Phương án 2", "Phương án 1 (hiện hành)", "Phương án 1: Giữ như hiện hành"."""
    head, title = f"Phương án {value.get('number', '')}".rstrip(), value.get("title") or ""
    if not title:
        return head
    return f"{head} {title}" if title.startswith("(") else f"{head}: {title}"


def body_text(body: list[dict]) -> str:
    """The plain text of a body, in reading order, one line per source line.

    Headings come back as "Chương I" with the title on the following line(s); articles as
    "Điều 5. Title", clauses as "1. …" and points as "a) …"; an alternative as its heading
    ("Phương án 1 (hiện hành)", "Phương án 2: title") with its text on the following line(s),
    after the text, points and clauses of what it rewords.
    """
    out: list[str] = []

    def alternatives(raw) -> None:
        for alternative in _list_values(raw):
            out.append(_alternative_heading(alternative))
            if alternative.get("text"):
                out.extend(alternative["text"].split("\n"))
            units(alternative)

    def points(raw) -> None:
        for point in _list_values(raw):
            out.extend(_with_text(f"{point.get('letter', '')})", point.get("text", "")))
            alternatives(point.get("alternatives"))

    def units(value: dict) -> None:
        points(value.get("points"))
        for clause in _list_values(value.get("clauses")):
            out.extend(_with_text(f"{clause.get('number', '')}.", clause.get("text", "")))
            points(clause.get("points"))
            alternatives(clause.get("alternatives"))
        alternatives(value.get("alternatives"))

    for block in body:
        kind, value = block.get("type"), block.get("value")
        if kind == "paragraph":
            out.extend(str(value or "").split("\n"))
        elif kind in _HEADING_WORDS:
            out.append(f"{_HEADING_WORDS[kind]} {value.get('number', '')}".rstrip())
            if value.get("title"):
                out.extend(value["title"].split("\n"))
        elif kind == "article":
            out.append(f"Điều {value.get('number', '')}. {value.get('title') or ''}".rstrip())
            if value.get("intro"):
                out.extend(value["intro"].split("\n"))
            units(value)
    return "\n".join(out)
