"""A word-level diff of a proposed wording against the provision's text, for readers.

Tokens are whole words (a Vietnamese syllable is one, its combining marks with it) or runs of
punctuation, each carrying the whitespace before it; they are compared without that
whitespace. So a marked segment never splits a syllable ("trung cấp", never "trungcấp"), the
spaces between words are kept, and both texts read back exactly from the segments:

    "".join(s.text for s in diff if s.op != "added") == original
    "".join(s.text for s in diff if s.op != "removed") == proposed

A word kept whose spacing changed ("a  b" → "a b") is marked as whitespace removed and added
(`Segment.is_space`), which a rendering may show as the proposal's spacing alone.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

SAME, REMOVED, ADDED = "same", "removed", "added"

# A word or a run of punctuation with the whitespace before it; or the whitespace ending the
# text. Every character of a text falls in exactly one token.
_TOKEN = re.compile(r"\s*(?:[\w\u0300-\u036f]+|[^\w\s]+)|\s+")


@dataclass(frozen=True)
class Segment:
    """A run of text: "same" in both texts, "removed" from the original or "added"."""

    op: str  # SAME, REMOVED or ADDED
    text: str

    @property
    def is_space(self) -> bool:
        """Whitespace only: a change of spacing, not of words."""
        return not self.text.strip()


def tokens(text: str) -> list[str]:
    """The tokens of `text` (each word or punctuation run with the whitespace before it, and
    the text's trailing whitespace); joined, they are `text` exactly."""
    return _TOKEN.findall(text or "")


def word_diff(original: str, proposed: str) -> list[Segment]:
    """Segments that read as the proposal with removed and added words marked: skipping
    "added", they are exactly `original`; skipping "removed", exactly `proposed`.

    Where words are replaced, the removed segment comes first and the whitespace both sides
    share before them is kept outside the marks ("độ <del>trung cấp</del><ins>cao
    đẳng</ins>"). Adjacent segments of one kind are merged; no segment is empty.
    """
    old, new = tokens(original), tokens(proposed)
    matcher = difflib.SequenceMatcher(
        a=[token.lstrip() for token in old], b=[token.lstrip() for token in new], autojunk=False
    )
    out: list[Segment] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for old_token, new_token in zip(old[i1:i2], new[j1:j2], strict=True):
                if old_token == new_token:
                    _push(out, SAME, old_token)
                    continue
                word = old_token.lstrip()
                _push(out, REMOVED, old_token[: len(old_token) - len(word)])
                _push(out, ADDED, new_token[: len(new_token) - len(word)])
                _push(out, SAME, word)
            continue
        removed, added = "".join(old[i1:i2]), "".join(new[j1:j2])
        if removed and added:
            shared = _shared_space(removed, added)
            _push(out, SAME, shared)
            removed, added = removed[len(shared) :], added[len(shared) :]
        _push(out, REMOVED, removed)
        _push(out, ADDED, added)
    return out


def _shared_space(a: str, b: str) -> str:
    """The whitespace both strings start with."""
    n = 0
    while n < len(a) and n < len(b) and a[n] == b[n] and a[n].isspace():
        n += 1
    return a[:n]


def _push(out: list[Segment], op: str, text: str) -> None:
    if not text:
        return
    if out and out[-1].op == op:
        out[-1] = Segment(op, out[-1].text + text)
    else:
        out.append(Segment(op, text))
