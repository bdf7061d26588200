"""Aligning two versions of a draft: which provision of the new text is which of the old.

A drafting agency revises its text (in Word, almost always) and imports it as the next version
("Dự thảo 2"). The provisions of the new text come with new keys; `align_outlines` finds, for
each of them, the provision of the previous version it continues, so that the comments made on
"Điều 5" of Dự thảo 1 follow it when it becomes "Điều 6" of Dự thảo 2 (Law 64/2025 Art. 6(4):
the agency makes public how it absorbed and explained the comments, which needs to know what
became of each commented provision).

It works on two outlines (`drafts.outline.build_outline` of each body, or read from provision
rows) and never touches the database. How it decides:

1. Kinds are never mixed: an article matches an article, a clause a clause.
2. Top-level provisions (headings, articles, free paragraphs) are aligned over the whole text:
   first the ones whose whole text (title, own text and everything under them) is identical,
   then by similarity — the Dice coefficient of the sets of syllable bigrams, with candidates
   taken from an inverted index of each provision's rarest bigrams, so a 689-article text aligns
   in well under a second — assigned greedily best-first; among equal scores the candidate
   nearest the place where the already aligned neighbours say it should be wins. Headings are
   aligned by number and title.
3. Clauses, points (and any other provision under an article, such as alternatives) are
   aligned within their aligned parent — or parents, when articles were split or merged — then,
   for the ones left over, over the whole text (a clause moved to another article).
   Between two aligned neighbours, a provision left unmatched on each side, in the same place
   and with enough syllables in common (or the same title, for an article), is the same
   provision rewritten ("Sa thải." → "Sa thải hoặc buộc thôi việc.").
4. A new provision left unmatched whose text is mostly contained in an old one that another
   new provision continues is a part of a split; an old one left unmatched whose text is mostly
   contained in a new one is merged into it.
5. Among the one-to-one pairs, the ones outside the longest increasing subsequence of old
   positions (per kind, per parent for clauses and points), or whose parent is not the aligned
   parent, are "moved".

Text is compared on syllables (Unicode word runs, lower-cased, diacritics kept: "năm" is not
"nam"); the status of a pair says whether the provision's OWN text changed (title and text,
not its number, not its clauses: those have their own pairs). Spacing and Unicode forms are not
changes; punctuation and case are.
"""

from __future__ import annotations

import copy
import gc
import re
import unicodedata
import uuid
from bisect import bisect_left
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import StrEnum

from drafts.outline import HEADING_KINDS, OutlineItem, heading_number_token


class Status(StrEnum):
    """What became of a provision from one version to the next."""

    UNCHANGED = "unchanged"
    CHANGED = "changed"
    NEW = "new"
    REMOVED = "removed"
    MOVED = "moved"
    SPLIT = "split"
    MERGED = "merged"


@dataclass(frozen=True)
class Match:
    """One pair of the alignment.

    `old` is None for a new provision, `new` None for a removed one. `similarity` (0..1) is
    the similarity of the two provisions' own text (title and text, syllable by syllable;
    1.0 when identical, 0.0 when one side is missing). `renumbered`: the same provision
    under another number or letter ("Điều 5" → "Điều 6"). `keeps_key`: the new provision
    takes the old one's key (one-to-one pairs; for a split, the part most like the old
    provision; for a merge, the source most like the new one), so its comments follow it.
    A moved, split or merged pair has that status whatever its text did; `similarity` tells
    whether its text changed too.
    """

    old: OutlineItem | None
    new: OutlineItem | None
    status: Status
    similarity: float
    renumbered: bool
    keeps_key: bool


@dataclass
class Alignment:
    """The matches of `align_outlines`, in the new text's reading order; a removed provision
    comes right after the match of the provision that preceded it in the old text (or first).
    A provision split in two appears in two matches (one per part), two provisions merged
    into one as two matches (one per source)."""

    matches: list[Match]

    def mapping(self) -> dict[str, str]:
        """New key → old key for the matches where the new provision keeps the old key.
        Injective: no old key is given to two new provisions."""
        return {m.new.key: m.old.key for m in self.matches if m.keeps_key}

    def successors(self) -> dict[str, list[str]]:
        """Old key → the keys of the new provisions that continue it (all pairs, split and
        merged ones included, keeper first); a removed provision maps to []."""
        out: dict[str, list[str]] = {}
        for m in self.matches:
            if m.old is None:
                continue
            keys = out.setdefault(m.old.key, [])
            if m.new is not None:
                if m.keeps_key:
                    keys.insert(0, m.new.key)
                else:
                    keys.append(m.new.key)
        return out

    def counts(self) -> dict[str, int]:
        """Number of matches per `Status` value, plus "renumbered" (matches whose provision
        changed number). A split counts one match per part, a merge one per source."""
        out = dict.fromkeys((status.value for status in Status), 0)
        out["renumbered"] = 0
        for m in self.matches:
            out[m.status.value] += 1
            out["renumbered"] += m.renumbered
        return out


# --- Text -----------------------------------------------------------------------------------

_WORD = re.compile(r"\w+")


def _clean(text: str) -> str:
    """NFC, with the look-alike Ð/ð read as Đ/đ (as `econsult.text.read_lookalikes`)."""
    return unicodedata.normalize("NFC", text).replace("Ð", "Đ").replace("ð", "đ")


def syllables(text: str) -> list[str]:
    """The syllables of Vietnamese text for comparison: runs of letters and digits, in NFC,
    lower case, look-alike Ð/ð read as Đ/đ, diacritics kept; punctuation dropped."""
    return _WORD.findall(_clean(text).lower())


def _normal(text: str) -> str:
    return " ".join(_clean(text).split())


Shingle = tuple[str, str] | str


def _shingles(tokens: list[str]) -> frozenset[Shingle]:
    """The set of syllable bigrams (the syllable itself for a one-syllable text)."""
    if len(tokens) < 2:
        return frozenset(tokens)
    return frozenset(zip(tokens, tokens[1:], strict=False))


def _dice(a: frozenset, b: frozenset) -> float:
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    return 2.0 * len(a & b) / (len(a) + len(b))


def text_similarity(old_text: str, new_text: str) -> float:
    """Similarity 0..1 of two texts, syllable by syllable: difflib's ratio on syllables;
    1.0 when they differ only in spacing, on characters (below 1.0) when they have the same
    syllables but other punctuation or case."""
    return _ratio(_normal(old_text), _normal(new_text), syllables(old_text), syllables(new_text))


def _ratio(old_norm: str, new_norm: str, old_tokens: list[str], new_tokens: list[str]) -> float:
    """1.0 when the texts differ at most in spacing; below 1.0 when only punctuation or case
    changed (a comma can change what a provision says); else difflib's ratio on syllables."""
    if old_norm == new_norm or old_norm.replace(" ", "") == new_norm.replace(" ", ""):
        return 1.0
    if old_tokens == new_tokens:
        return min(0.999, SequenceMatcher(None, old_norm, new_norm, autojunk=False).ratio())
    return SequenceMatcher(None, old_tokens, new_tokens, autojunk=False).ratio()


# --- Nodes ----------------------------------------------------------------------------------

TOP_KINDS = HEADING_KINDS | {"article", "paragraph"}


class _Node:
    """An outline item with what the alignment needs to know about it."""

    __slots__ = (
        "item", "index", "parent", "children", "level", "own", "own_norm", "exact", "number",
        "partner", "links", "status", "moved", "is_new", "hparent",
        "_tokens", "_shingles", "_size", "_words", "_counts",
    )  # fmt: skip

    def __init__(self, item: OutlineItem, index: int, is_new: bool) -> None:
        self.item = item
        self.index = index
        self.is_new = is_new
        self.parent: _Node | None = None
        self.hparent: _Node | None = None  # the enclosing heading of a heading
        self.children: list[_Node] = []
        self.level = 0
        title = item.title or ""
        own = _clean(f"{title}\n{item.text or ''}" if item.kind not in HEADING_KINDS else title)
        self.own = own
        self.own_norm = " ".join(own.split())
        self.exact = 0  # a hash of the whole text, everything under it included
        number = _clean(item.number or "").strip().rstrip(".)").lower()
        if item.kind in HEADING_KINDS:
            number = heading_number_token(item.kind, number)
        self.number = number
        self.partner: _Node | None = None  # the one-to-one (key-keeping) counterpart
        self.links: list[_Node] = []  # every counterpart (split / merged ones too)
        self.status: Status | None = None
        self.moved = False
        # Computed when first needed: most provisions are paired by `exact` alone.
        self._tokens: list[str] | None = None
        self._shingles: frozenset[Shingle] | None = None
        self._size: int | None = None
        self._words: frozenset[str] | None = None
        self._counts: Counter[Shingle] | None = None

    @property
    def own_tokens(self) -> list[str]:
        """The syllables of the provision's own text."""
        if self._tokens is None:
            self._tokens = _WORD.findall(self.own.lower())
        return self._tokens

    @property
    def shingles(self) -> frozenset[Shingle]:
        """The syllable bigrams of the provision and everything under it."""
        if self._shingles is None:
            self._shingles = _shingles(self.own_tokens).union(
                *(child.shingles for child in self.children)
            )
        return self._shingles

    @property
    def counts(self) -> Counter[Shingle]:
        """The syllable bigrams of the provision and everything under it, with how often each
        occurs (legal text repeats its phrases: a set would not tell two copies from one)."""
        if self._counts is None:
            tokens = self.own_tokens
            counts = Counter(zip(tokens, tokens[1:], strict=False) if len(tokens) > 1 else tokens)
            for child in self.children:
                counts.update(child.counts)
            self._counts = counts
        return self._counts

    @property
    def size(self) -> int:
        """The number of syllables of the provision and everything under it."""
        if self._size is None:
            self._size = len(self.own_tokens) + sum(child.size for child in self.children)
        return self._size

    @property
    def words(self) -> frozenset[str]:
        """The set of syllables of the provision and everything under it."""
        if self._words is None:
            self._words = frozenset(self.own_tokens).union(*(c.words for c in self.children))
        return self._words

    @property
    def same_as_partner(self) -> bool:
        return self.partner is not None and self.partner.exact == self.exact


def _nodes(items: Sequence[OutlineItem], *, is_new: bool) -> list[_Node]:
    nodes = [_Node(item, i, is_new) for i, item in enumerate(items)]
    by_key = {node.item.key: node for node in nodes}
    for node in nodes:
        parent = by_key.get(node.item.parent_key) if node.item.parent_key else None
        if parent is None or parent is node:
            continue
        if node.item.kind not in TOP_KINDS:
            node.parent = parent
            parent.children.append(node)
        elif node.item.kind in HEADING_KINDS and parent.item.kind in HEADING_KINDS:
            node.hparent = parent
    for node in nodes:  # reading order: a parent comes before its children
        if node.parent is not None:
            node.level = node.parent.level + 1
    for node in reversed(nodes):  # children first
        node.exact = hash(
            (node.item.kind, node.own_norm, *(child.exact for child in node.children))
        )
    return nodes


# --- Assignment -----------------------------------------------------------------------------

ALL_PAIRS_LIMIT = 2500  # below this many pairs, score them all rather than index
RARE_SHINGLES = 8  # candidates: the old provisions sharing one of a new one's rarest bigrams
POSTING_CAP = 64


def _pair(old: _Node, new: _Node) -> None:
    old.partner, new.partner = new, old
    old.links.append(new)
    new.links.append(old)


def _unpair(old: _Node, new: _Node) -> None:
    old.partner = new.partner = None
    old.links.remove(new)
    new.links.remove(old)


def _candidates(olds: list[_Node], news: list[_Node]) -> Callable[[_Node], Iterable[_Node]]:
    """For a node of `news`, the nodes of `olds` worth scoring: all of them when there are
    few, else the ones sharing one of its rarest bigrams."""
    if len(olds) * len(news) <= ALL_PAIRS_LIMIT:
        return lambda new: olds
    wanted = frozenset().union(*(new.shingles for new in news))
    postings: dict[Shingle, list[_Node]] = defaultdict(list)
    for old in olds:
        for shingle in old.shingles & wanted:
            postings[shingle].append(old)

    def candidates(new: _Node) -> Iterable[_Node]:
        found = [postings[s] for s in new.shingles if s in postings]
        found.sort(key=len)
        seen: dict[int, _Node] = {}
        for posting in found[:RARE_SHINGLES]:
            for old in posting[:POSTING_CAP]:
                seen[id(old)] = old
        return seen.values()

    return candidates


def _assign(
    olds: list[_Node],
    news: list[_Node],
    *,
    threshold: float,
    exact_keys: Sequence[Callable[[_Node], object]] = (),
    number_bonus: float = 0.0,
    title_bonus: float = 0.0,
) -> None:
    """Pair the free nodes of `olds` and `news` (each in reading order) one to one: exact
    keys first, in order, then best-first by bigram Dice (plus `number_bonus` when the
    numbers are equal, `title_bonus` when the titles are) at or above `threshold`, ties
    going to the old node nearest where the pairs already made place it."""
    all_olds, all_news = olds, news
    olds = [o for o in olds if not o.links]
    news = [n for n in news if not n.links]
    if not olds or not news:
        return
    for key in exact_keys:
        buckets: dict[object, deque[_Node]] = defaultdict(deque)
        for old in olds:
            if not old.links:
                k = key(old)
                if k is not None:
                    buckets[k].append(old)
        for new in news:
            if not new.links:
                k = key(new)
                bucket = buckets.get(k) if k is not None else None
                while bucket:
                    old = bucket.popleft()
                    if not old.links:
                        _pair(old, new)
                        break
    old_index = {id(o): i for i, o in enumerate(all_olds)}
    free_olds = [o for o in olds if not o.links]
    free_news = [n for n in news if not n.links]
    if not free_olds or not free_news:
        return
    candidates = _candidates(free_olds, free_news)
    scored: list[tuple[float, int, int, _Node, _Node]] = []
    anchor: tuple[int, int] | None = None
    for i, new in enumerate(all_news):
        if new.links:
            if new.partner is not None and id(new.partner) in old_index:
                anchor = (i, old_index[id(new.partner)])
            continue
        expected = anchor[1] + (i - anchor[0]) if anchor else i
        for old in candidates(new):
            if old.links:
                continue
            score = _dice(old.shingles, new.shingles)
            if number_bonus and old.number and old.number == new.number:
                score += number_bonus
            if title_bonus and old.item.title and old.item.title == new.item.title:
                score += title_bonus
            if score >= threshold:
                distance = abs(old_index[id(old)] - expected)
                scored.append((round(score, 6), -distance, -i, old, new))
    scored.sort(key=lambda t: t[:3], reverse=True)
    for _, _, _, old, new in scored:
        if not old.links and not new.links:
            _pair(old, new)


def _fill_gaps(olds: list[_Node], news: list[_Node], *, rewritten: Callable[[_Node, _Node], bool]):
    """Pair what is left in the same place: between two aligned neighbours, an unmatched new
    provision and an unmatched old one (of one kind, one parent) that `rewritten` accepts are
    the same provision rewritten — in order when the two runs are as long, else only those of
    the same number."""
    old_at = {id(o): i for i, o in enumerate(olds)}
    before, run = -1, []
    for new in [*news, None]:
        if new is not None:
            if not new.links and new.status is None:
                run.append(new)
                continue
            if new.partner is None or id(new.partner) not in old_at:
                continue  # paired elsewhere: not a neighbour to go by
        after = old_at[id(new.partner)] if new is not None else len(olds)
        if run and after > before:
            gap = [o for o in olds[before + 1 : after] if not o.links and o.status is None]
            if len(gap) == len(run):
                for old, fresh in zip(gap, run, strict=True):
                    if rewritten(old, fresh):
                        _pair(old, fresh)
            else:
                for fresh in run:
                    for old in gap:
                        if not old.links and old.number == fresh.number and rewritten(old, fresh):
                            _pair(old, fresh)
                            break
        run = []
        before = max(before, after)


def _child_rewritten(old: _Node, new: _Node) -> bool:
    similarity = _dice(old.words, new.words)
    return similarity >= 0.5 or (similarity >= 0.3 and old.number == new.number)


def _article_rewritten(old: _Node, new: _Node) -> bool:
    same_title = bool(old.own_tokens) and old.item.title.strip() == new.item.title.strip()
    return (same_title and bool(old.item.title.strip())) or _dice(old.words, new.words) >= 0.6


def _containment(part: frozenset[str], whole: frozenset[str]) -> float:
    return len(part & whole) / len(part) if part else 0.0


SPLIT_CONTAINMENT = 0.6
SPLIT_COVERAGE = 0.6
SPLIT_MIN_SHINGLES = 4


def _split_and_merge(olds: list[_Node], news: list[_Node]) -> None:
    """Among nodes of one kind (one group), recognise splits and merges (see module doc)."""
    for a_side, b_side, status in ((news, olds, Status.SPLIT), (olds, news, Status.MERGED)):
        # a: the side with the leftover parts; b: the side of the provision they came from
        # (split) or went into (merged).
        leftovers = [a for a in a_side if not a.links and len(a.shingles) >= SPLIT_MIN_SHINGLES]
        if not leftovers:
            continue
        # A whole paired with an identical provision lost nothing to a part, gained nothing.
        wholes_open = [b for b in b_side if b.status is None and not b.same_as_partner]
        if not wholes_open:
            continue
        candidates = _candidates(wholes_open, leftovers)
        parts: dict[int, list[_Node]] = defaultdict(list)
        wholes: dict[int, _Node] = {}
        for a in leftovers:
            best, best_score = None, SPLIT_CONTAINMENT
            for b in candidates(a):
                if b.status is not None:  # already split or merged the other way
                    continue
                score = _containment(a.shingles, b.shingles)
                if score >= best_score:
                    best, best_score = b, score
            if best is not None:
                parts[id(best)].append(a)
                wholes[id(best)] = best
        for whole_id, found in parts.items():
            whole = wholes[whole_id]
            group = ([whole.partner] if whole.partner is not None else []) + found
            kept = [a for a in group if a is whole.partner or _brings_its_own(a, group, whole)]
            union = frozenset().union(*(g.shingles for g in kept))
            if _containment(whole.shingles, union) < SPLIT_COVERAGE and len(kept) > 1:
                continue
            if len(kept) == 1:
                if whole.partner is None:  # the whole shrank (or grew): a plain pair
                    _pair(whole, kept[0])
                continue
            # The part (source) the pairing chose keeps the key, unless another one kept the
            # whole's title and it did not; without a pair, the most like the whole.
            keeper = max(
                kept,
                key=lambda a: (
                    _same_title(a, whole),
                    a is whole.partner,
                    a.number == whole.number,
                    _dice(a.shingles, whole.shingles),
                ),
            )
            if whole.partner is not keeper:
                if whole.partner is not None:
                    _unpair(whole, whole.partner)
                _pair(whole, keeper)
            whole.status = status
            for a in kept:
                a.status = status
                if a is not keeper:
                    a.links.append(whole)
                    whole.links.append(a)


def _brings_its_own(part: _Node, group: list[_Node], whole: _Node) -> bool:
    """Whether `part` carries text of `whole` that the others of `group` do not (a part of a
    split, a source of a merge), rather than repeating theirs (a copy)."""
    rest = whole.counts.copy()
    for other in group:
        if other is not part:
            rest -= other.counts
    own = (part.counts & rest).total()
    return own >= 2 and own * 4 >= (part.counts & whole.counts).total()


def _same_title(a: _Node, b: _Node) -> bool:
    title = " ".join(a.item.title.split()).casefold()
    return bool(title) and title == " ".join(b.item.title.split()).casefold()


# --- Moves ----------------------------------------------------------------------------------


def longest_increasing(values: list[int]) -> set[int]:
    """Indexes (into `values`) of one longest strictly increasing subsequence, in
    O(n log n): the items that keep their order; the others moved."""
    tails: list[int] = []
    tail_at: list[int] = []
    previous = [-1] * len(values)
    for i, value in enumerate(values):
        j = bisect_left(tails, value)
        if j == len(tails):
            tails.append(value)
            tail_at.append(i)
        else:
            tails[j] = value
            tail_at[j] = i
        previous[i] = tail_at[j - 1] if j else -1
    out: set[int] = set()
    i = tail_at[-1] if tail_at else -1
    while i >= 0:
        out.add(i)
        i = previous[i]
    return out


def _mark_moves(news: list[_Node]) -> None:
    """Mark as moved the one-to-one pairs of `news` (one kind, one parent, reading order)
    that break the old order."""
    paired = [n for n in news if n.partner is not None]
    keep = longest_increasing([n.partner.index for n in paired])
    for i, new in enumerate(paired):
        if i not in keep:
            new.moved = True


# --- The alignment --------------------------------------------------------------------------


def _heading_title(node: _Node) -> str | None:
    return node.own_norm.casefold() or None


def _heading_place(node: _Node) -> object:
    """The enclosing heading, as an old node on both sides (None at the top)."""
    if node.hparent is None:
        return None
    if not node.is_new:
        return id(node.hparent)
    partner = node.hparent.partner
    return id(partner) if partner is not None else ("unaligned", id(node))


HEADING_EXACT_KEYS = (
    lambda x: (_heading_place(x), x.number, _heading_title(x)),
    lambda x: (x.number, _heading_title(x)),
    _heading_title,
)
TOP_ORDER = ("part", "chapter", "section", "subsection", "article", "paragraph")


def align_outlines(
    old: Sequence[OutlineItem], new: Sequence[OutlineItem], *, trust_keys: bool = True
) -> Alignment:
    """Align the provisions of two versions of a draft (outlines in reading order, as
    `drafts.outline.build_outline` gives them) and return every pair, new and removed
    provision, as an `Alignment`. Identical outlines give only UNCHANGED pairs that keep
    their keys. Pure: neither outline is changed; under a second for two 689-article
    versions on a slow machine.

    With `trust_keys` (the default), provisions of the same kind that already share a key —
    a version edited in the Wagtail editor keeps its blocks' ids, a body passed through
    `rekey_body` has the old keys — are paired first, whatever their text; keys derived from
    anchors for blocks without an id (UUID version 5, see `drafts.outline._Keys`) are not
    trusted. A re-imported text has new keys only, so the flag changes nothing for it."""
    # Thousands of small objects are made and all stay alive until the end: the cyclic
    # garbage collector would scan them again and again for nothing (a third of the time).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _align(old, new, trust_keys=trust_keys)
    finally:
        if collecting:
            gc.enable()


def _align(old: Sequence[OutlineItem], new: Sequence[OutlineItem], *, trust_keys: bool):
    olds, news = _nodes(old, is_new=False), _nodes(new, is_new=True)
    if trust_keys:
        old_by_key = {node.item.key: node for node in olds if _block_id(node.item.key)}
        for node in news:
            was = old_by_key.get(node.item.key)
            if was is not None and was.item.kind == node.item.kind and not was.links:
                _pair(was, node)

    old_top: dict[str, list[_Node]] = defaultdict(list)
    new_top: dict[str, list[_Node]] = defaultdict(list)
    for nodes, top in ((olds, old_top), (news, new_top)):
        for node in nodes:
            if node.level == 0:
                top[node.item.kind].append(node)
    kinds = sorted(
        set(old_top) & set(new_top),
        key=lambda k: (TOP_ORDER.index(k) if k in TOP_ORDER else len(TOP_ORDER), k),
    )
    for kind in kinds:
        o, n = old_top[kind], new_top[kind]
        if kind in HEADING_KINDS:
            _assign(o, n, threshold=0.5, number_bonus=0.3, exact_keys=HEADING_EXACT_KEYS)
        else:
            _assign(o, n, threshold=0.4, title_bonus=0.15, exact_keys=(lambda x: x.exact,))
            _fill_gaps(o, n, rewritten=_article_rewritten)
            _split_and_merge(o, n)
    max_level = max((node.level for node in (*olds, *news)), default=0)
    for level in range(1, max_level + 1):
        _align_level(olds, news, level)

    for kind_nodes in new_top.values():
        _mark_moves(kind_nodes)
    for node in news:
        if node.children:
            siblings: dict[str, list[_Node]] = defaultdict(list)
            for child in node.children:
                if child.partner is not None and child.partner.parent in node.links:
                    siblings[child.item.kind].append(child)
            for group in siblings.values():
                _mark_moves(group)
    return Alignment(_matches(olds, news))


def _align_level(olds: list[_Node], news: list[_Node], level: int) -> None:
    # Parents linked by any pair (split and merged ones too) form one group.
    group_of: dict[int, int] = {}

    def find(x: int) -> int:
        while group_of.setdefault(x, x) != x:
            group_of[x] = group_of[group_of[x]]
            x = group_of[x]
        return x

    for node in olds:
        if node.level == level - 1:
            for other in node.links:
                group_of[find(id(node))] = find(id(other))
    groups: dict[tuple[int, str], tuple[list[_Node], list[_Node]]] = defaultdict(lambda: ([], []))
    for side, nodes in ((0, olds), (1, news)):
        for node in nodes:
            if node.level == level and node.parent is not None and node.parent.links:
                groups[(find(id(node.parent)), node.item.kind)][side].append(node)
    for o, n in groups.values():
        _assign(
            o, n, threshold=0.35, number_bonus=0.15,
            exact_keys=(lambda x: x.exact,),
        )  # fmt: skip
        _fill_gaps(o, n, rewritten=_child_rewritten)
        _split_and_merge(o, n)
    # Moved to another provision: between provisions that both survive.
    leftover: dict[str, tuple[list[_Node], list[_Node]]] = defaultdict(lambda: ([], []))
    for side, nodes in ((0, olds), (1, news)):
        for node in nodes:
            if (
                node.level == level
                and not node.links
                and node.parent is not None
                and node.parent.links
                and node.size >= 3
            ):
                leftover[node.item.kind][side].append(node)
    for o, n in leftover.values():
        _assign(o, n, threshold=0.6, exact_keys=(lambda x: x.exact,))
        for node in n:
            if node.partner is not None:
                node.moved = True


def _block_id(key: str) -> bool:
    """Whether `key` is a block's own id rather than one derived from an anchor (uuid5)."""
    try:
        return uuid.UUID(key).version != 5
    except (ValueError, AttributeError, TypeError):
        return bool(key)


def _similarity(old: _Node, new: _Node) -> float:
    return round(_ratio(old.own_norm, new.own_norm, old.own_tokens, new.own_tokens), 4)


def _match(old: _Node, new: _Node, *, keeps_key: bool) -> Match:
    similarity = _similarity(old, new)
    status = new.status or old.status
    if status is None:
        if new.moved or (new.parent is not None and old.parent not in new.parent.links):
            status = Status.MOVED
        elif similarity == 1.0:
            status = Status.UNCHANGED
        else:
            status = Status.CHANGED
    return Match(
        old=old.item,
        new=new.item,
        status=status,
        similarity=similarity,
        renumbered=keeps_key and old.number != new.number,
        keeps_key=keeps_key,
    )


def _matches(olds: list[_Node], news: list[_Node]) -> list[Match]:
    out: list[Match] = []
    last_of_old: dict[int, int] = {}  # old index -> position in `out` of its last match
    for new in news:
        emitted = False
        if new.partner is not None:
            last_of_old[new.partner.index] = len(out)
            out.append(_match(new.partner, new, keeps_key=True))
            emitted = True
        for old in new.links:
            if old is new.partner:
                continue
            last_of_old[old.index] = len(out)
            out.append(_match(old, new, keeps_key=False))
            emitted = True
        if not emitted:
            out.append(Match(None, new.item, Status.NEW, 0.0, False, False))
    # Removed provisions, after the match of their old predecessor.
    after: dict[int, list[Match]] = defaultdict(list)
    anchor = -1
    for old in olds:
        if old.links:
            anchor = last_of_old.get(old.index, anchor)
        else:
            after[anchor].append(Match(old.item, None, Status.REMOVED, 0.0, False, False))
    if not after:
        return out
    result = list(after.get(-1, []))
    for i, match in enumerate(out):
        result.append(match)
        result.extend(after.get(i, []))
    return result


# --- Keys in a body -------------------------------------------------------------------------


def rekey_body(raw_body: list[dict], mapping: dict[str, str]) -> list[dict]:
    """A deep copy of a DraftPage body (raw StreamField JSON) whose block ids are replaced by
    `mapping` (new key → old key, as `Alignment.mapping()` gives it): stream blocks, clause
    and point items, and any nested list item — every dict with an "id" in `mapping`. An id
    not in `mapping` that equals one of its old keys (a block copied in the editor) gets a
    fresh UUID, so no two blocks end up with the same key. The input is not changed."""
    targets = set(mapping.values())

    def walk(value):
        if isinstance(value, dict):
            out = {k: walk(v) for k, v in value.items()}
            ident = out.get("id")
            if isinstance(ident, str):
                if ident in mapping:
                    out["id"] = mapping[ident]
                elif ident in targets:
                    out["id"] = str(uuid.uuid4())
            return out
        if isinstance(value, list):
            return [walk(v) for v in value]
        return copy.deepcopy(value)

    return [walk(block) for block in raw_body]
