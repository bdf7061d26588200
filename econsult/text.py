"""Text as people type it, and Vietnamese folded for matching: the two helpers every app uses.

`clean_input` is applied to every text stored from a person (comments, proposed wording,
names, organisations, answers' reasons, report introductions, imported drafts…): the same
words typed on different keyboards, pasted from a PDF or a web page, are stored as the same
characters. Precomposed letters (NFC): "ộ" typed as "o" + U+0302 + U+0323 (NFD, as macOS and
some Vietnamese input methods send it) becomes the one character "ộ", so a word-by-word diff,
a search and a LIKE see one word, not three characters. Invisible characters that carry no
text are dropped: zero-width spaces and joiners (U+200B, U+200C, U+200D, U+2060, U+FEFF) and
the bidirectional controls (U+200E, U+200F, U+202A…U+202E, U+2066…U+2069, U+061C), which can
make a comment display differently from what it says ("Trojan Source"). A zero-width joiner
inside an emoji sequence (👨‍👩‍👧) is part of that emoji and is kept.

`fold` is the one folding of the project: lower case, no diacritics, đ → d, and the look-alike
Ð/ð (U+00D0/U+00F0, Icelandic eth, which some fonts and converters produce for Đ/đ) → d, so
"Ðiện ảnh", "Điện ảnh" and "dien anh" fold alike. The home page search, the admin's page
search, feedback search (both engines) and the importer all use it.
"""

from __future__ import annotations

import unicodedata

import regex

ZWJ = "\u200d"
# Zero-width characters and bidirectional controls, the ZWJ aside (it is handled in context).
_INVISIBLE = regex.compile("[\u200b\u200c\u2060\ufeff\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]")
# A ZWJ joins two pictographs, the first possibly with its variation selector or skin tone.
_EMOJI_ZWJ = regex.compile(
    r"(?<=\p{Extended_Pictographic}[\N{VARIATION SELECTOR-16}\p{Emoji_Modifier}]?)"
    + ZWJ
    + r"(?=\p{Extended_Pictographic})"
)
_KEPT_ZWJ = "\uf8ff"  # a private-use stand-in while the other joiners are dropped
# The combining diacritics of Latin script (what NFC leaves uncomposed, e.g. a mark no
# precomposed letter carries); the marks of other scripts are letters' parts and stay.
_COMBINING = regex.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def clean_input(text: str | None) -> str:
    """`text` in NFC with zero-width and bidirectional control characters removed, a ZWJ
    inside an emoji sequence kept. Idempotent; None gives ""."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text)
    if text.isascii():
        return text
    text = _INVISIBLE.sub("", text)
    if ZWJ in text:
        text = _EMOJI_ZWJ.sub(_KEPT_ZWJ, text).replace(ZWJ, "").replace(_KEPT_ZWJ, ZWJ)
    return text


def _fold_table() -> dict[int, str]:
    """Every precomposed Latin letter to its base letter, lower case: one char for one char;
    đ, Đ and their look-alikes ð, Ð to d."""
    table = {}
    for start, end in ((0x00C0, 0x0250), (0x1E00, 0x1F00)):
        for code in range(start, end):
            char = chr(code)
            base = "".join(
                c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c)
            ).lower()
            if len(base) == 1 and base != char:
                table[code] = base
    table.update({ord("đ"): "d", ord("Đ"): "d", ord("ð"): "d", ord("Ð"): "d"})
    return table


_FOLD = _fold_table()
# Letters that look like Vietnamese ones but are not: read as what the writer meant.
LOOKALIKES = {ord("Ð"): "Đ", ord("ð"): "đ"}


def read_lookalikes(text: str) -> str:
    """`text` with the look-alike letters Ð/ð (U+00D0/U+00F0) written as Đ/đ (U+0110/U+0111),
    for Vietnamese text read from files, where they only ever stand for Đ/đ."""
    return text.translate(LOOKALIKES)


def fold(text: str | None) -> str:
    """Lower case without diacritics: "Ðiện  Ảnh" → "dien  anh", whatever the normal form
    of the input. Whitespace is kept as it is (see `fold_words`)."""
    folded = unicodedata.normalize("NFC", text or "").lower().translate(_FOLD)
    if folded.isascii():
        return folded
    return _COMBINING.sub("", folded)


def fold_words(text: str | None) -> str:
    """The folded text with runs of whitespace collapsed to one space, trimmed: what a
    folded title is stored as and a page search compares."""
    return " ".join(fold(text).split())
