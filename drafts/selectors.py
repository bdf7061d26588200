"""Reads on drafts, shaped for the pages that show them."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import Truncator

from drafts.models import Agency, DocumentType, DraftPage, DraftVersion, Provision
from drafts.outline import TITLED_KINDS, OutlineItem, anchor_kind, build_outline
from econsult.text import fold_words

READING_FIELDS = [
    "pk", "key", "kind", "number", "label", "citation", "title", "text", "anchor", "path",
    "depth", "position", "parent_id",
]  # fmt: skip


OUTLINE_NAMES = [name if name != "parent_id" else "parent_pk" for name in READING_FIELDS]

MOST_DISCUSSED = 10
FEEDBACK_FIGURES = [
    "feedback_count", "agree_count", "disagree_count", "change_count", "question_count",
]  # fmt: skip


def consultation_listing(
    *, index_page, agency_code: str = "", document_type: str = "", query: str = ""
) -> dict:
    """The home page's lists: open now, upcoming and closed, filtered."""
    drafts: QuerySet[DraftPage] = (
        DraftPage.objects.live().child_of(index_page).select_related("agency").defer_streamfields()
    )
    agencies = list(Agency.objects.filter(drafts__live=True).distinct().order_by("name"))
    if agency_code:
        drafts = drafts.filter(agency__code=agency_code)
    if document_type in DocumentType.values:
        drafts = drafts.filter(document_type=document_type)
    for word in fold_words(query).split()[:8]:
        drafts = drafts.filter(title_folded__contains=word)

    now = timezone.now()
    open_now = drafts.filter(opens_at__lte=now, closes_at__gt=now).order_by("closes_at")
    upcoming = drafts.filter(opens_at__gt=now).order_by("opens_at")
    closed = drafts.filter(closes_at__lte=now).order_by("-closes_at")
    return {
        "open_drafts": list(open_now),
        "upcoming_drafts": list(upcoming),
        "closed_drafts": list(closed[:50]),
        "agencies": agencies,
        "document_types": DocumentType.choices,
        "filters": {"agency": agency_code, "type": document_type, "q": query},
        "filtered": bool(agency_code or document_type or query),
    }


def current_version(page: DraftPage) -> DraftVersion | None:
    return (
        DraftVersion.objects.filter(page=page, number=page.version_number).first()
        if page.pk
        else None
    )


def _outline_from_rows(version: DraftVersion, *filters: Q) -> list[OutlineItem]:
    rows = (
        Provision.objects.filter(*filters, version=version, withdrawn=False)
        .order_by("position")
        .values_list(*READING_FIELDS)
    )
    return [OutlineItem(**dict(zip(OUTLINE_NAMES, row, strict=True))) for row in rows]


def _nest(outline: list[OutlineItem]) -> list[OutlineItem]:
    """Top-level reading items with clauses, points and alternatives hung under what holds
    them (an article, a clause, a point or an alternative).

    Rows read from the database nest by id; an outline walked from an unpublished body, by key.
    """
    by_id = {(item.pk or item.key): item for item in outline}
    top: list[OutlineItem] = []
    for item in outline:
        item.children = []
        parent = by_id.get(item.parent_pk or item.parent_key)
        if item.kind in ("clause", "point", "alternative") and parent is not None:
            parent.children.append(item)
        else:
            top.append(item)
    return top


class DraftText:
    """The text of a draft as the page lays it out, read only when the page needs it.

    The published page keeps its rendered text in the cache until the next publish, so on a
    cache hit the provision rows are not read at all.
    """

    def __init__(self, page: DraftPage, version: DraftVersion | None) -> None:
        self.page, self.version = page, version

    @cached_property
    def outline(self) -> list[OutlineItem]:
        if self.version is not None:
            return _outline_from_rows(self.version)
        return build_outline(self.page.body.raw_data)

    @cached_property
    def provisions(self) -> list[OutlineItem]:
        return _nest(self.outline)

    @cached_property
    def toc(self) -> list[OutlineItem]:
        return [
            item for item in self.outline if item.kind in ("part", "chapter", "section", "article")
        ]

    @cached_property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(("article", "clause", "point"), 0)
        for item in self.outline:
            if item.kind in counts:
                counts[item.kind] += 1
        return {f"{kind}s": n for kind, n in counts.items()}

    @property
    def cache_key(self) -> str | None:
        """Changes with every publish; None for a preview, which is never cached. The feedback
        figures are not part of the cached text: they are filled in on every request."""
        if self.version is None:
            return None
        return f"{self.version.pk}.{self.version.last_published_at.timestamp()}"

    @cached_property
    def commented(self) -> list[dict]:
        """The provisions that have published feedback, with their figures: one query."""
        if self.version is None:
            return []
        return list(
            Provision.objects.filter(version=self.version, withdrawn=False, feedback_count__gt=0)
            .order_by("position")
            .values("anchor", "citation", "path", *FEEDBACK_FIGURES)
        )

    @cached_property
    def most_discussed(self) -> list[dict]:
        ranked = sorted(self.commented, key=lambda row: -row["feedback_count"])
        return ranked[:MOST_DISCUSSED]

    @cached_property
    def heat(self) -> dict[str, int]:
        """0–4 for every heading and article with feedback under it, relative to the busiest
        of its kind: the strip beside the table of contents."""
        totals: dict[str, int] = {}
        for row in self.commented:
            for anchor in row["path"].split("/"):
                totals[anchor] = totals.get(anchor, 0) + row["feedback_count"]
        peaks: dict[str, int] = {}
        for anchor, total in totals.items():
            kind = anchor_kind(anchor)
            peaks[kind] = max(peaks.get(kind, 0), total)
        return {
            anchor: min(4, 1 + (3 * total) // peaks[anchor_kind(anchor)])
            for anchor, total in totals.items()
        }

    @property
    def whole_draft_count(self) -> int:
        return self.version.whole_feedback_count if self.version else 0


def draft_reading(*, page: DraftPage, preview: bool = False) -> dict:
    """Everything the public draft page shows, in a fixed number of queries.

    The published page reads the provision rows of its current version (one query, skipped
    when the rendered text is cached); a preview walks the unpublished body instead, so the
    drafter sees exactly what will be published.
    """
    version = None if preview else current_version(page)
    return {
        "version": version,
        "text": DraftText(page, version),
        "draft_versions": [] if preview else draft_versions(page),
        "draft_text_cache_seconds": settings.DRAFT_TEXT_CACHE_SECONDS,
        "documents": list(page.documents.select_related("document")),
    }


def draft_versions(page: DraftPage) -> list[dict]:
    """The page's published versions, oldest first: [{"number", "first_published_at"}, …]
    (one query); the version switcher shows them when there are two or more."""
    if not page.pk:
        return []
    return list(
        DraftVersion.objects.filter(page=page)
        .order_by("number")
        .values("number", "first_published_at")
    )


def version_reading(*, page: DraftPage, number: int) -> dict | None:
    """An earlier version's text (Dự thảo `number`) as the page lays it out, read from that
    version's provision rows like the current one (`draft_reading`); None if the page has no
    such version."""
    version = DraftVersion.objects.filter(page=page, number=number).first()
    if version is None:
        return None
    return {
        "version": version,
        "text": DraftText(page, version),
        "earlier_version": True,
        "draft_versions": draft_versions(page),
    }


def draft_article(*, page: DraftPage, anchor: str) -> dict | None:
    """One article with its clauses and points, for the print view."""
    version = current_version(page)
    if version is None:
        return None
    article = provision_lookup(page, anchor=anchor).filter(kind="article").only("path").first()
    if article is None:
        return None
    nested = _nest(_outline_from_rows(version, provision_subtree_filter(article.path)))
    return {"article": nested[0] if nested else None}


def provision_subtree_filter(path: str, prefix: str = "") -> Q:
    """The provision at `path` and everything under it (not "dieu-5a" for "dieu-5"), for
    counts and filters; `prefix` reaches it from another model ("provision__")."""
    return Q(**{f"{prefix}path": path}) | Q(**{f"{prefix}path__startswith": f"{path}/"})


def provision_lookup(
    draft: DraftPage, *, anchor: str = "", path: str = "", any_version: bool = False
) -> QuerySet[Provision]:
    """The provision of `draft` that an anchor ("dieu-5-khoan-2-diem-a") or, when given, a
    path ("chuong-2/dieu-5") names: the live one of the current version; with `any_version`,
    that of every version, the current version's live one first."""
    named = Q(path=path) if path else Q(anchor=anchor)
    if any_version:
        rows = Provision.objects.filter(named, version__page=draft)
        return rows.order_by("withdrawn", "-version__number")
    return Provision.objects.filter(
        named, version__page=draft, version__number=draft.version_number, withdrawn=False
    )


def provision_choices(
    draft: DraftPage,
    *,
    kinds: Iterable[str] | None = None,
    indent: str = "\u00a0" * 3,
    title_chars: int | None = None,
    cite: bool = False,
    by_article: bool = False,
) -> list:
    """Choices for a provision <select>: the current version's live provisions (of `kinds`,
    all if None) in reading order, headings and articles with their titles (cut to
    `title_chars`), each indented by its depth; with `cite`, a clause or point shows its full
    citation ("Khoản 1 Điều 3") rather than its label alone ("Khoản 1"), so an option reads on
    its own. With `by_article` (and `cite`), each article is a group of options (<optgroup>
    "Điều 3. Title": the article itself, then its clauses and points), headings stay options of
    their own. Values are anchors, which stay the same from one version to the next. One
    query."""
    rows = Provision.objects.filter(
        version__page=draft, version__number=draft.version_number, withdrawn=False
    )
    if kinds is not None:
        rows = rows.filter(kind__in=list(kinds))
    choices: list = []
    group: list | None = None
    for anchor, kind, label, citation, title, depth in rows.order_by("position").values_list(
        "anchor", "kind", "label", "citation", "title", "depth"
    ):
        text = citation if cite and kind not in TITLED_KINDS and citation else label
        if title and kind in TITLED_KINDS:
            if title_chars is not None:
                title = Truncator(title).chars(title_chars)
            text = f"{label}. {title}"
        if by_article:
            if kind == "article":
                group = [(anchor, citation or label)]
                choices.append((text, group))
                continue
            if kind in TITLED_KINDS:  # a heading: the article's group ends
                group = None
                choices.append((anchor, text))
                continue
            if group is not None:
                group.append((anchor, text))
                continue
        choices.append((anchor, indent * depth + text))
    return choices


def later_provision_choices(
    draft: DraftPage, *, after: int, title_chars: int | None = 60
) -> list[tuple[int, list[tuple[int, str]]]]:
    """The live provisions of the draft's versions numbered above `after`, for a grouped
    <select>: [(version number, [(provision id, indented label), …]), …], versions in order,
    provisions in reading order. A clause or point shows its full citation ("Khoản 2 Điều 6"),
    a heading or article its label and title cut to `title_chars`, so an option reads on its
    own among thousands. Values are ids: the same anchor names a provision in every version.
    One query; [] when the draft has no version after `after`."""
    rows = (
        Provision.objects.filter(version__page=draft, version__number__gt=after, withdrawn=False)
        .order_by("version__number", "position")
        .values_list("pk", "version__number", "kind", "label", "citation", "title", "depth")
    )
    groups: dict[int, list[tuple[int, str]]] = {}
    for pk, number, kind, label, citation, title, depth in rows.iterator(chunk_size=2000):
        if kind in TITLED_KINDS:
            text = label
            if title:
                text = f"{label}. {Truncator(title).chars(title_chars) if title_chars else title}"
        else:
            text = citation
        groups.setdefault(number, []).append((pk, "\u00a0" * 3 * depth + text))
    return list(groups.items())
