"""A draft's next text: imported over its last published version, aligned with it, reviewed by
the drafter, then published.

The drafting agency revises a draft in Word and imports the revised text (Law 64/2025 Art. 6(4)
makes public what became of each comment, so the new text must say which provision is which).
The importer gives every block a fresh UUID; before the text is saved, its outline is aligned
with the provisions of the last published version (drafts.alignment) and each block that is
the same provision takes that provision's key. A provision's key is its identity from one
version to the next: its comments, counts and answers follow it, and an unchanged re-import
changes nothing at all.

The alignment is a guess. The drafter reviews it on the alignment screen before publishing:
there, a pair is whatever shares a key between the last published version and the latest
revision, so what the screen shows is exactly what publishing will do. Breaking a pair gives
the new provision (and what it holds) fresh keys; re-pointing gives it the key of another
provision of the old version. Each change is saved as a new revision, like any edit.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from wagtail.models import Revision

from drafts.alignment import Status, align_outlines, longest_increasing, rekey_body
from drafts.comparison import word_diff
from drafts.models import DraftPage, DraftVersion, Provision
from drafts.outline import HEADING_KINDS, OutlineItem, build_outline

READ_FIELDS = [
    "key", "kind", "number", "label", "citation", "title", "text", "anchor", "path", "depth",
    "position",
]  # fmt: skip


class AlignmentRefused(ValueError):
    """A change to the alignment that cannot be made; its message says why, for the drafter."""


def last_published_version(page: DraftPage) -> DraftVersion | None:
    """The highest-numbered version of `page` that has been published, or None."""
    return DraftVersion.objects.filter(page=page).order_by("-number").first()


def version_outline(version: DraftVersion) -> list[OutlineItem]:
    """The live provisions of `version` as outline items in reading order (one query)."""
    rows = (
        Provision.objects.filter(version=version, withdrawn=False)
        .order_by("position")
        .values_list(*READ_FIELDS, "parent__key")
    )
    items = []
    for row in rows:
        values = dict(zip([*READ_FIELDS, "parent_key"], row, strict=True))
        values["key"] = str(values["key"])
        values["parent_key"] = str(values["parent_key"]) if values["parent_key"] else None
        items.append(OutlineItem(**values))
    return items


def revised_text_import(
    *,
    page: DraftPage,
    body: list[dict],
    user: AbstractBaseUser | None = None,
    next_version: bool = True,
) -> tuple[Revision, int]:
    """Put an imported body (raw StreamField JSON, fresh block ids) into `page` as a new
    unpublished revision, its provisions keyed as those of the last published version they
    align with.

    With `next_version` the revision is the next draft version (Dự thảo N+1 after the last
    published N); without, it replaces the text of version N in place. A draft never
    published keeps its number. Returns the revision and the number of provisions that kept
    the key of an earlier one.
    """
    base = last_published_version(page)
    kept = 0
    if base is not None:
        alignment = align_outlines(version_outline(base), build_outline(body))
        mapping = alignment.mapping()
        body = rekey_body(body, mapping)
        kept = len(mapping)
    draft = page.get_latest_revision_as_object()
    draft.body = body
    if base is not None:
        draft.version_number = base.number + 1 if next_version else base.number
    return draft.save_revision(user=user, log_action=True), kept


def removed_with_comments(page: DraftPage) -> list[Provision]:
    """The provisions of the last published version that carry published comments (their
    `feedback_count`, which counts the comments of every version with the key) and that the
    latest revision's text no longer has: publishing it leaves those comments on a provision
    that is no longer in the draft. In reading order; [] when nothing is pending."""
    base = last_published_version(page)
    latest = page.get_latest_revision()
    if base is None or latest is None or page.live_revision_id == latest.pk:
        return []
    keys = {item.key for item in build_outline(latest.as_object().body.raw_data)}
    commented = Provision.objects.filter(version=base, withdrawn=False, feedback_count__gt=0)
    return [row for row in commented.order_by("position") if str(row.key) not in keys]


@dataclass
class AlignedRow:
    """One line of the alignment screen: a provision of the old version, of the new text, or
    both (a pair). `status` is "unchanged", "renumbered", "changed", "moved", "new",
    "removed", "split" (a new provision split off an old one: `note` names it) or "merged"
    (an old provision merged into a new one: `note` names it); `diff` is the word diff of a
    changed pair (drafts.comparison.word_diff)."""

    old: OutlineItem | None
    new: OutlineItem | None
    status: str
    diff: list[tuple[str, str]] = field(default_factory=list)
    comments: int = 0  # published comments on the old provision (every version's, by key)
    note: str = ""  # "split" and "merged": the citation of the provision on the other side

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def kind(self) -> str:
        return (self.new or self.old).kind

    @property
    def key(self) -> str:
        return (self.new or self.old).key


STATUSES = ("changed", "renumbered", "moved", "split", "merged", "new", "removed", "unchanged")
STATUS_LABELS = {
    "changed": pgettext_lazy("alignment", "changed"),
    "renumbered": pgettext_lazy("alignment", "renumbered"),
    "moved": pgettext_lazy("alignment", "moved"),
    "split": pgettext_lazy("alignment", "split off"),
    "merged": pgettext_lazy("alignment", "merged"),
    "new": pgettext_lazy("alignment", "new"),
    "removed": pgettext_lazy("alignment", "removed"),
    "unchanged": pgettext_lazy("alignment", "unchanged"),
}


def alignment_review(page: DraftPage) -> dict:
    """What the alignment screen shows: the last published version against the latest
    revision, paired by key.

    Returns {"base": DraftVersion | None, "number": the revision's draft number, "rows":
    [AlignedRow] in the new text's reading order with each removed provision after the row of
    the provision that preceded it, "counts": {status: n}, "unpaired": {kind: [old items not
    paired]} (the targets a new provision can be re-pointed to), "pending": whether the latest
    revision is unpublished, "removed_comments" / "removed_commented": the comments on removed
    provisions and how many such provisions}.
    """
    base = last_published_version(page)
    latest = page.get_latest_revision()
    draft = latest.as_object() if latest else page
    new_items = build_outline(draft.body.raw_data)
    old_items = version_outline(base) if base is not None else []
    old_by_key = {item.key: item for item in old_items}
    new_keys = {item.key for item in new_items}

    moved = _moved_keys(old_items, new_items)
    # What the keys cannot say: a new provision split off an old one, an old one merged
    # into another (the aligner pairs the keys it is given first, then finds those).
    split_from, merged_into = _splits_and_merges(old_items, new_items) if base else ({}, {})
    rows: list[AlignedRow] = []
    for item in new_items:
        old = old_by_key.get(item.key)
        row = _row(old, item, moved)
        if row.status == "new" and item.key in split_from:
            row.status, row.note = "split", split_from[item.key]
        rows.append(row)

    # Removed provisions go after the row of the old provision just before them.
    removed_after: dict[str | None, list[AlignedRow]] = {}
    previous: str | None = None
    for item in old_items:
        if item.key not in new_keys:
            row = AlignedRow(item, None, "removed")
            if item.key in merged_into:
                row.status, row.note = "merged", merged_into[item.key]
            removed_after.setdefault(previous, []).append(row)
        else:
            previous = item.key
    ordered = removed_after.get(None, [])
    for row in rows:
        ordered.append(row)
        ordered.extend(removed_after.get(row.key, []))

    comments = dict(
        Provision.objects.filter(version=base, withdrawn=False, feedback_count__gt=0).values_list(
            "key", "feedback_count"
        )
        if base is not None
        else []
    )
    counts = dict.fromkeys(STATUSES, 0)
    removed_comments = 0
    for row in ordered:
        counts[row.status] += 1
        if row.old is not None:
            row.comments = comments.get(uuid.UUID(row.old.key), 0)
            if row.status in ("removed", "merged"):
                removed_comments += row.comments
    unpaired: dict[str, list[OutlineItem]] = {}
    for item in old_items:
        if item.key not in new_keys:
            unpaired.setdefault(item.kind, []).append(item)
    return {
        "base": base,
        "number": draft.version_number,
        "rows": ordered,
        "counts": counts,
        "unpaired": unpaired,
        "pending": bool(latest and page.live_revision_id != latest.pk),
        "removed_comments": removed_comments,
        "removed_commented": sum(
            1 for r in ordered if r.status in ("removed", "merged") and r.comments
        ),
    }


def _row(old: OutlineItem | None, new: OutlineItem, moved: set[str]) -> AlignedRow:
    if old is None:
        return AlignedRow(None, new, "new")
    if old.text != new.text or old.title != new.title:
        diff = word_diff(_whole(old), _whole(new))
        return AlignedRow(old, new, "changed", diff)
    if new.key in moved:
        return AlignedRow(old, new, "moved")
    if old.label != new.label:
        return AlignedRow(old, new, "renumbered")
    return AlignedRow(old, new, "unchanged")


def _splits_and_merges(
    old_items: list[OutlineItem], new_items: list[OutlineItem]
) -> tuple[dict[str, str], dict[str, str]]:
    """({new key: citation of the old provision it split off}, {old key: citation of the new
    provision it merged into}), for the pairs that keep no key (drafts.alignment)."""
    split_from: dict[str, str] = {}
    merged_into: dict[str, str] = {}
    for match in align_outlines(old_items, new_items).matches:
        if match.keeps_key or match.old is None or match.new is None:
            continue
        if match.status == Status.SPLIT:
            split_from[match.new.key] = match.old.citation
        elif match.status == Status.MERGED:
            merged_into[match.old.key] = match.new.citation
    return split_from, merged_into


def _whole(item: OutlineItem) -> str:
    return f"{item.title}\n{item.text}".strip() if item.title else item.text


def _moved_keys(old_items: list[OutlineItem], new_items: list[OutlineItem]) -> set[str]:
    """Keys of paired provisions whose order changed: those outside the longest run of pairs
    that keeps the old order (a longest increasing subsequence, O(n log n)), among siblings of
    the same kind under the same parent, so an insertion never counts as a move."""
    old_position = {item.key: n for n, item in enumerate(old_items)}
    groups: dict[tuple[str | None, str], list[str]] = {}
    for item in new_items:
        if item.key in old_position:
            groups.setdefault((item.parent_key, item.kind), []).append(item.key)
    moved: set[str] = set()
    for keys in groups.values():
        kept = longest_increasing([old_position[key] for key in keys])
        moved.update(key for n, key in enumerate(keys) if n not in kept)
    return moved


def body_blocks(raw) -> Iterator[dict]:
    """Every dict of a raw StreamField value that carries an "id": stream blocks and list
    items, at any depth."""
    if isinstance(raw, dict):
        if "id" in raw and "type" in raw:
            yield raw
        for value in raw.values():
            yield from body_blocks(value)
    elif isinstance(raw, list):
        for value in raw:
            yield from body_blocks(value)


def _pending_draft(page: DraftPage):
    latest = page.get_latest_revision()
    if latest is None or page.live_revision_id == latest.pk:
        raise AlignmentRefused(
            _("There is no unpublished text to review: import or edit the next text first.")
        )
    return latest.as_object()


def alignment_break(*, page: DraftPage, key: str, user: AbstractBaseUser | None = None) -> Revision:
    """Make the provision `key` of the unpublished text a new provision: it and everything it
    holds take fresh keys, so they no longer carry the comments of the old version.

    Raises AlignmentRefused when there is no unpublished text or no such provision in it.
    """
    with transaction.atomic():
        draft = _pending_draft(page)
        body = list(draft.body.raw_data)
        under = _subtree_keys(build_outline(body), key)
        if not under:
            raise AlignmentRefused(_("That provision is not in the unpublished text."))
        draft.body = rekey_body(body, {old: str(uuid.uuid4()) for old in under})
        return draft.save_revision(user=user, log_action=True)


def alignment_repoint(
    *, page: DraftPage, key: str, old_key: str, user: AbstractBaseUser | None = None
) -> Revision:
    """Pair the provision `key` of the unpublished text with the provision `old_key` of the
    last published version: it takes that key (and its comments). A provision of the new text
    that held `old_key` before becomes new (a fresh key).

    Raises AlignmentRefused when either is missing or they are not of the same kind (an
    article pairs with an article, a clause with a clause).
    """
    with transaction.atomic():
        draft = _pending_draft(page)
        base = last_published_version(page)
        old = (
            next((item for item in version_outline(base) if item.key == old_key), None)
            if (base is not None)
            else None
        )
        if old is None:
            raise AlignmentRefused(_("That provision is not in the last published version."))
        body = list(draft.body.raw_data)
        new = next((item for item in build_outline(body) if item.key == key), None)
        if new is None:
            raise AlignmentRefused(_("That provision is not in the unpublished text."))
        if new.kind != old.kind:
            raise AlignmentRefused(
                _("%(new)s cannot take the place of %(old)s: they are not of the same kind.")
                % {"new": new.citation, "old": old.citation}
            )
        # rekey_body gives any other block holding `old_key` a fresh key.
        draft.body = rekey_body(body, {key: old_key})
        return draft.save_revision(user=user, log_action=True)


def _subtree_keys(outline: list[OutlineItem], key: str) -> set[str]:
    """`key` and the clauses, points and alternatives it holds (a heading alone: its articles
    are provisions of their own)."""
    keys = {item.key for item in outline if item.key == key}
    if not keys:
        return keys
    for item in outline:  # reading order: a parent always comes before what it holds
        if item.parent_key in keys and item.kind not in (*HEADING_KINDS, "article", "paragraph"):
            keys.add(item.key)
    return keys
