"""Vietnamese text as search sees it: folding, tokens, the query string, highlighted snippets.

Folding (econsult.text.fold, the project's one) lower-cases, strips every diacritic and maps
đ (and its look-alike ð) to d, so "dat dai", "Đất đai" and
"đất đai" written with combining marks (NFD, as some keyboards and PDFs produce) all become
"dat dai". Tokens are runs of letters and digits of the NFC text. Both engines tokenise the
query string here, so a word and a phrase mean the same thing whichever engine answers.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.html import escape

from econsult.text import fold, read_lookalikes

MAX_QUERY_TERMS = 32
SNIPPET_LENGTH = 240

_TOKEN = re.compile(r"[^\W_]+")
# Straight and typographic double quotes delimit phrases.
_PHRASE = re.compile(r"[\"“”„«»]([^\"“”„«»]*)(?:[\"“”„«»]|$)")


def normalize(text: str) -> str:
    """The NFC form: "ấ" as one character whatever the input, so offsets and tokens agree."""
    return unicodedata.normalize("NFC", text or "")


def tokens(text: str) -> list[str]:
    """The folded words of `text`, in order."""
    return _TOKEN.findall(fold(text))


def exact_tokens(text: str) -> list[str]:
    """The lower-case words of `text` with their diacritics, in order (NFC)."""
    return _TOKEN.findall(normalize(text).lower())


def folded_text(text: str) -> str:
    """The folded words joined by single spaces and framed by spaces: " dat dai ", so a word
    or a phrase matches as a substring " w " exactly at word boundaries."""
    words = tokens(text)
    return f" {' '.join(words)} " if words else ""


@dataclass(frozen=True)
class Term:
    """One word of a query: as typed (lower case, NFC) and folded."""

    exact: str
    folded: str

    @property
    def has_diacritics(self) -> bool:
        return self.exact != self.folded


@dataclass(frozen=True)
class ParsedQuery:
    """The words and the "quoted phrases" of a query string."""

    words: tuple[Term, ...] = ()
    phrases: tuple[tuple[Term, ...], ...] = field(default=())

    def __bool__(self) -> bool:
        return bool(self.words or self.phrases)

    @property
    def folded_words(self) -> set[str]:
        """Every folded word, of the phrases too: what a highlight marks."""
        words = {term.folded for term in self.words}
        for phrase in self.phrases:
            words.update(term.folded for term in phrase)
        return words

    @property
    def text(self) -> str:
        """The words and phrases as one plain string (for engines that analyse it again)."""
        return " ".join(term.exact for term in self.words)


def _terms(text: str) -> list[Term]:
    return [Term(exact=read_lookalikes(word), folded=fold(word)) for word in exact_tokens(text)]


def parse_query(text: str) -> ParsedQuery:
    """Split a query string into words and quoted phrases.

    A phrase of one word is a word; a quote left open runs to the end; a word given twice
    counts once. At most MAX_QUERY_TERMS words are kept, phrases' words included.
    """
    text = normalize(text)
    phrases: list[tuple[Term, ...]] = []
    words: list[Term] = []
    for match in _PHRASE.finditer(text):
        phrase = _terms(match.group(1))
        if len(phrase) > 1:
            phrases.append(tuple(phrase))
        else:
            words.extend(phrase)
    words.extend(_terms(_PHRASE.sub(" ", text)))
    budget = MAX_QUERY_TERMS
    kept_phrases = []
    for phrase in phrases:
        if len(phrase) <= budget:
            kept_phrases.append(phrase)
            budget -= len(phrase)
    unique = list(dict.fromkeys(words))[: max(budget, 0)]
    return ParsedQuery(words=tuple(unique), phrases=tuple(dict.fromkeys(kept_phrases)))


# Highlighting


def _marked_spans(text: str, query: ParsedQuery) -> list[tuple[int, int]]:
    """(start, end) of every word of `text` the query matches: its words anywhere, its
    phrases' words where the whole phrase stands in sequence."""
    found = [(fold(m.group()), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    words = {term.folded for term in query.words}
    marked = [False] * len(found)
    for i, (word, _start, _end) in enumerate(found):
        if word in words:
            marked[i] = True
    for phrase in query.phrases:
        folded = [term.folded for term in phrase]
        size = len(folded)
        for i in range(len(found) - size + 1):
            if all(found[i + j][0] == folded[j] for j in range(size)):
                for j in range(size):
                    marked[i + j] = True
    return [(start, end) for (_w, start, end), hit in zip(found, marked, strict=True) if hit]


def highlight(text: str, query: ParsedQuery, *, length: int = SNIPPET_LENGTH) -> str:
    """An HTML-safe snippet of the original `text` (diacritics kept) with <mark> around the
    words the query matches, cut to about `length` characters around the first match."""
    text = normalize(text)
    spans = _marked_spans(text, query) if query else []
    start, end = 0, len(text)
    if len(text) > length:
        first = spans[0][0] if spans else 0
        start = max(0, first - length // 4)
        if start:
            space = text.rfind(" ", 0, start + 1)
            start = space + 1 if space > start - 20 else start
        end = min(len(text), start + length)
        if end < len(text):
            space = text.rfind(" ", start, end)
            end = space if space > end - 20 else end
    parts = ["…" if start else ""]
    position = start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        parts.append(escape(text[position:span_start]))
        parts.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        position = span_end
    parts.append(escape(text[position:end]))
    if end < len(text):
        parts.append("…")
    return "".join(parts).replace("</mark> <mark>", " ")


def matched_highlight(text: str, query: ParsedQuery, *, length: int = SNIPPET_LENGTH) -> str:
    """`highlight(text, query)` if a word of `text` matches the query (accents aside, as
    searches match), else "": what a hit shows of a field to say why it was found."""
    if not query or not _marked_spans(normalize(text), query):
        return ""
    return highlight(text, query, length=length)
