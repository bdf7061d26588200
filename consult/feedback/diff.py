"""A word-level diff of proposed wording against the provision's text, for readers."""

import difflib
import re
from dataclasses import dataclass

_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")


@dataclass(frozen=True)
class Segment:
    op: str  # "same", "removed" or "added"
    text: str


def word_diff(original: str, proposed: str) -> list[Segment]:
    """Segments that read as the proposal, with removed and added words marked."""
    before, after = _TOKENS.findall(original or ""), _TOKENS.findall(proposed or "")
    segments: list[Segment] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(Segment("same", "".join(before[a1:a2])))
            continue
        if op in ("replace", "delete"):
            segments.append(Segment("removed", "".join(before[a1:a2])))
        if op in ("replace", "insert"):
            segments.append(Segment("added", "".join(after[b1:b2])))
    return [s for s in segments if s.text]
