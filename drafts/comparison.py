"""Two versions of a draft side by side: what the public reads on the comparison page.

Provisions are paired by key (the block UUID, which a provision keeps from one version to the
next): a key in both versions is the same provision, whatever its number now; a key only in
the older version is a provision removed, only in the newer one a new provision. The text of a
pair is compared word by word (`word_diff`), with whole Vietnamese syllables as tokens and the
spaces kept, so "trung cấp" never reads "trungcấp".
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from django.db.models import CharField
from django.db.models.functions import Cast

from drafts.models import DraftPage, DraftVersion, Provision

EQUAL, DELETE, INSERT = "equal", "delete", "insert"

# A word (a syllable, a number) or a run of punctuation, with the whitespace after it.
# Combining marks belong to the word, should a text arrive decomposed (NFD).
_TOKEN = re.compile(r"([\w\u0300-\u036f]+|[^\w\s]+)(\s*)")

COMPARE_FIELDS = [
    "pk", "key", "kind", "number", "label", "citation", "title", "text", "anchor", "depth",
    "parent_id",
]  # fmt: skip

SAME, CHANGED, NEW, REMOVED = "same", "changed", "new", "removed"
NESTED_KINDS = frozenset({"clause", "point"})


def word_diff(old_text: str, new_text: str) -> list[tuple[str, str]]:
    """The new text against the old, as `[(op, text), …]` with op "equal", "delete" or
    "insert": read in order, skipping "insert", it is the old text; skipping "delete", the new.

    Tokens are whole words (a Vietnamese syllable is one) and runs of punctuation, compared
    without their spacing; the spaces are kept in the output, outside the changed segments,
    so a segment never glues two words together, and before punctuation the spacing is that
    of the text that has the punctuation. Where the two texts space a place differently a
    reading may hold a doubled space (collapsed in HTML), or, at worst, a space before
    punctuation. Adjacent segments of one kind are merged.
    """
    old_tokens = _TOKEN.findall(old_text or "")
    new_tokens = _TOKEN.findall(new_text or "")
    matcher = difflib.SequenceMatcher(
        a=[word for word, _ in old_tokens], b=[word for word, _ in new_tokens], autojunk=False
    )
    out: list[tuple[str, str]] = []
    opcodes = matcher.get_opcodes()
    space_before = ""  # the spacing the last equal run ended with, before a change
    for n, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            run = new_tokens[j1:j2]
            last_word, last_space = run[-1]
            text = "".join(w + s for w, s in run[:-1]) + last_word
            following = opcodes[n + 1] if n + 1 < len(opcodes) else None
            space_before = _space_before(
                following, old_tokens, new_tokens, old_tokens[i2 - 1][1], last_space
            )
            _push(out, EQUAL, text + space_before)
            continue
        removed = "".join(w + s for w, s in old_tokens[i1:i2])
        added = "".join(w + s for w, s in new_tokens[j1:j2])
        removed_core, added_core = removed.rstrip(), added.rstrip()
        removed_space, added_space = removed[len(removed_core) :], added[len(added_core) :]
        # The new text's spacing before the change, where the equal run could not give it.
        new_space = new_tokens[j1 - 1][1] if j1 else ""
        old_space = old_tokens[i1 - 1][1] if i1 else ""
        if _is_word(removed_core) and old_space and not space_before:
            removed_core = old_space + removed_core  # cf. _space_before
        _push(out, DELETE, removed_core)
        if _is_word(added_core) and (
            _is_word(removed_core[-1:]) or (removed_core and new_space and not space_before)
        ):
            _push(out, EQUAL, " ")  # words replaced by words stand apart, never "độngđông"
        _push(out, INSERT, added_core)
        if added_core:
            _push(out, EQUAL, added_space)
        else:
            _push(out, EQUAL, removed_space or ("" if space_before else new_space))
    return out


def _is_word(text: str) -> bool:
    """Whether `text` starts with a word (a syllable, a number), not with punctuation."""
    return bool(text) and (text[0].isalnum() or text[0] == "_")


def _space_before(following, old_tokens, new_tokens, old_space: str, new_space: str) -> str:
    """The spacing an equal run ends with, before the change that `following` (an opcode, or
    None at the end) describes. Before punctuation, the spacing of the text that has it:
    "này<ins>,</ins> người", "bằng<del>, văn minh</del> và", never "này ," nor "bằng ,".
    Before words replaced by punctuation ("trước<del> khi</del><ins>:</ins>"), the new
    text's: the removed words then carry the old text's space.
    Otherwise a space if either text has one, so the change never glues to the run."""
    if following is None:
        return new_space
    _tag, i1, i2, j1, j2 = following
    if i2 > i1 and _is_word(old_tokens[i1][0]):
        replaced_by_punctuation = j2 > j1 and not _is_word(new_tokens[j1][0])
        return new_space if replaced_by_punctuation else new_space or old_space
    first = old_tokens[i1][0] if i2 > i1 else new_tokens[j1][0]
    if not _is_word(first):
        return old_space if i2 > i1 else new_space
    return new_space or old_space


def _push(out: list[tuple[str, str]], op: str, text: str) -> None:
    if not text:
        return
    if out and out[-1][0] == op:
        out[-1] = (op, out[-1][1] + text)
    else:
        out.append((op, text))


@dataclass(slots=True)
class ComparedProvision:
    """One provision in the comparison: its row in each version (a dict of COMPARE_FIELDS, the
    key as 32 hex digits; None where it does not exist), what happened to it and the diffs."""

    old: dict | None
    new: dict | None
    status: str  # SAME, CHANGED, NEW or REMOVED
    renumbered: bool = False
    moved_from: str = ""  # the old citation, when its article or clause changed
    title_diff: list[tuple[str, str]] = field(default_factory=list)
    text_diff: list[tuple[str, str]] = field(default_factory=list)

    @property
    def row(self) -> dict:
        return self.new if self.new is not None else self.old

    @property
    def key(self) -> str:
        """32 hex digits (`key_hex`)."""
        return self.row["key"]

    @property
    def kind(self) -> str:
        return self.row["kind"]

    @property
    def anchor(self) -> str:
        return self.row["anchor"]

    @property
    def label(self) -> str:
        return self.row["label"]

    @property
    def number(self) -> str:
        return self.row["number"]

    @property
    def citation(self) -> str:
        return self.row["citation"]

    @property
    def old_label(self) -> str:
        return self.old["label"] if self.old else ""

    @property
    def shows_change(self) -> bool:
        """Shown when only changes are asked for."""
        return self.status != SAME or self.renumbered or bool(self.moved_from)


@dataclass(slots=True)
class ComparedGroup:
    """A heading, an article (with its clauses and points) or a paragraph."""

    head: ComparedProvision
    members: list[ComparedProvision] = field(default_factory=list)

    @property
    def provisions(self) -> list[ComparedProvision]:
        return [self.head, *self.members]

    @property
    def changed(self) -> bool:
        return any(item.shows_change for item in self.provisions)

    @property
    def renumbered_only(self) -> bool:
        """Only its number changed ("Điều 5 → Điều 6", its text and its clauses as they
        were): an article after one inserted or removed."""
        head = self.head
        return (
            head.renumbered
            and head.status == SAME
            and not head.moved_from
            and not any(item.shows_change for item in self.members)
        )

    @property
    def changed_members(self) -> list[ComparedProvision]:
        return [item for item in self.members if item.shows_change]

    @property
    def unchanged_count(self) -> int:
        return sum(1 for item in self.members if not item.shows_change)


def _rows(version: DraftVersion) -> list[dict]:
    """The version's live rows in reading order, each key as 32 hex digits (`key_hex`): read
    as text, not converted to UUID objects row by row, which cost more than the query."""
    fields = [name for name in COMPARE_FIELDS if name != "key"]
    rows = (
        Provision.objects.filter(version=version, withdrawn=False)
        .order_by("position")
        .annotate(key_text=Cast("key", output_field=CharField()))
        .values_list("key_text", *fields)
    )
    names = ["key", *fields]
    out = []
    for row in rows:
        values = dict(zip(names, row, strict=True))
        values["key"] = key_hex(values["key"])
        out.append(values)
    return out


def key_hex(key) -> str:
    """A provision key as the comparison names it: 32 lowercase hex digits, whether it comes
    as a UUID, its dashed form or the database's text."""
    return str(key).replace("-", "").lower()


def _parent_keys(rows: list[dict]) -> dict[str, str | None]:
    key_of = {row["pk"]: row["key"] for row in rows}
    return {row["key"]: key_of.get(row["parent_id"]) for row in rows}


def _merged_order(old_rows: list[dict], new_rows: list[dict]) -> list[tuple[dict | None, dict]]:
    """(old, new) row pairs in the newer version's order; a removed provision, (old, None),
    comes right after the provision that preceded it in the older version."""
    new_keys = {row["key"] for row in new_rows}
    old_by_key = {row["key"]: row for row in old_rows}
    after: dict[str | None, list[dict]] = {}
    previous: str | None = None
    for row in old_rows:
        key = row["key"]
        if key not in new_keys:
            after.setdefault(previous, []).append(row)
        previous = key
    pairs: list[tuple[dict | None, dict | None]] = []

    def removed_after(key: str | None) -> None:
        # Depth first, with a stack rather than recursion: a run of removed provisions
        # chains one after the other, and a version that drops a whole text (thousands of
        # provisions) would exceed Python's recursion limit.
        stack = [iter(after.pop(key, []))]
        while stack:
            row = next(stack[-1], None)
            if row is None:
                stack.pop()
                continue
            pairs.append((row, None))
            stack.append(iter(after.pop(row["key"], [])))

    removed_after(None)
    for row in new_rows:
        key = row["key"]
        pairs.append((old_by_key.get(key), row))
        removed_after(key)
    for rows in after.values():  # whatever is left (defensive: all were placed above)
        pairs.extend((row, None) for row in rows)
    return pairs


def _compare(old: dict | None, new: dict | None, old_parents, new_parents) -> ComparedProvision:
    if old is None:
        return ComparedProvision(old=None, new=new, status=NEW)
    if new is None:
        return ComparedProvision(old=old, new=None, status=REMOVED)
    key = new["key"]
    changed = old["text"] != new["text"] or old["title"] != new["title"]
    item = ComparedProvision(
        old=old,
        new=new,
        status=CHANGED if changed else SAME,
        renumbered=old["label"] != new["label"],
    )
    if old_parents.get(key) != new_parents.get(key):
        item.moved_from = old["citation"]
    if old["text"] != new["text"]:
        item.text_diff = word_diff(old["text"], new["text"])
    if old["title"] != new["title"]:
        item.title_diff = word_diff(old["title"], new["title"])
    return item


def compared_versions(
    page: DraftPage, old_number: int, new_number: int
) -> tuple[DraftVersion, DraftVersion] | None:
    """The two `DraftVersion`s of `page` numbered so (one query), or None if either is
    missing."""
    versions = {
        version.number: version
        for version in DraftVersion.objects.filter(page=page, number__in=[old_number, new_number])
    }
    if old_number not in versions or new_number not in versions:
        return None
    return versions[old_number], versions[new_number]


def version_comparison(
    page: DraftPage,
    old_number: int,
    new_number: int,
    *,
    versions: tuple[DraftVersion, DraftVersion] | None = None,
) -> dict | None:
    """Versions `old_number` and `new_number` of `page` compared provision by provision.

    Returns None when either version does not exist, else a dict:
    - `old`, `new`: the two `DraftVersion`s;
    - `groups`: `ComparedGroup`s in the newer order (removed provisions where they stood),
      each a heading, an article or a paragraph with its clauses and points;
    - `counts`: {"changed", "new", "removed", "renumbered", "moved", "unchanged"}: provisions
      of every kind (a provision both renumbered and reworded counts in both);
    - `cache_key`: changes whenever either version is published again.

    `versions`, when the caller has them already (`compared_versions`), saves their query.
    Two queries for the rows (`values_list`), whatever the size; only pairs whose text differs
    are diffed.
    """
    versions = versions or compared_versions(page, old_number, new_number)
    if versions is None:
        return None
    old, new = versions
    old_rows, new_rows = _rows(old), _rows(new)
    old_parents, new_parents = _parent_keys(old_rows), _parent_keys(new_rows)

    groups: list[ComparedGroup] = []
    counts = dict.fromkeys((CHANGED, NEW, REMOVED, "renumbered", "moved", "unchanged"), 0)
    for old_row, new_row in _merged_order(old_rows, new_rows):
        item = _compare(old_row, new_row, old_parents, new_parents)
        if item.status == SAME and not item.renumbered and not item.moved_from:
            counts["unchanged"] += 1
        if item.status != SAME:
            counts[item.status] += 1
        counts["renumbered"] += item.renumbered
        counts["moved"] += bool(item.moved_from)
        if item.kind in NESTED_KINDS and groups and groups[-1].head.kind == "article":
            groups[-1].members.append(item)
        else:
            groups.append(ComparedGroup(head=item))
    return {
        "old": old,
        "new": new,
        "groups": groups,
        "counts": counts,
        "cache_key": comparison_cache_key(old, new),
    }


def comparison_cache_key(old: DraftVersion, new: DraftVersion) -> str:
    """Changes with every publish of either version (cf. `DraftText.cache_key`)."""
    return (
        f"{old.pk}.{old.last_published_at.timestamp()}-{new.pk}.{new.last_published_at.timestamp()}"
    )
