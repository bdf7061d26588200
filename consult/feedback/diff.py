"""A word-level diff of proposed wording against the provision's text, for readers: the
comparison's `drafts.comparison.word_diff` (whole syllables, spaces kept, punctuation spaced as
the text that has it), in the conversation page's terms."""

from dataclasses import dataclass

from drafts.comparison import DELETE, INSERT
from drafts.comparison import word_diff as _word_diff

_OPS = {DELETE: "removed", INSERT: "added"}


@dataclass(frozen=True)
class Segment:
    op: str  # "same", "removed" or "added"
    text: str


def word_diff(original: str, proposed: str) -> list[Segment]:
    """Segments that read as the proposal, with removed and added words marked: skipping
    "added", they read as `original`; skipping "removed", as `proposed`."""
    return [Segment(_OPS.get(op, "same"), text) for op, text in _word_diff(original, proposed)]
