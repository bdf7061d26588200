"""Reads on drafts, shaped for the pages that show them."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from drafts.models import Agency, DocumentType, DraftPage, DraftVersion, Provision
from drafts.outline import OutlineItem, build_outline
from drafts.text import fold

READING_FIELDS = [
    "key", "kind", "number", "label", "citation", "title", "text", "anchor", "path", "depth",
    "position", "parent__key",
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
    for word in fold(query).split()[:8]:
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
    return [
        OutlineItem(
            key=str(key), kind=kind, number=number, label=label, citation=citation, title=title,
            text=text, anchor=anchor, path=path, depth=depth, position=position,
            parent_key=str(parent_key) if parent_key else None,
        )
        for (key, kind, number, label, citation, title, text, anchor, path, depth, position,
             parent_key) in rows
    ]  # fmt: skip


def _nest(outline: list[OutlineItem]) -> list[OutlineItem]:
    """Top-level reading items with clauses and points hung under their article or clause."""
    by_key = {item.key: item for item in outline}
    top: list[OutlineItem] = []
    for item in outline:
        item.children = []
        if item.kind in ("clause", "point") and item.parent_key in by_key:
            by_key[item.parent_key].children.append(item)
        else:
            top.append(item)
    return top


def draft_reading(*, page: DraftPage, preview: bool = False) -> dict:
    """Everything the public draft page shows, in a fixed number of queries.

    The published page reads the provision rows of its current version (one query); a preview
    walks the unpublished body instead, so the drafter sees exactly what will be published.
    """
    version = None if preview else current_version(page)
    outline = _outline_from_rows(version) if version else build_outline(page.body.raw_data)
    toc = [item for item in outline if item.kind in ("part", "chapter", "section", "article")]
    counts = {"articles": 0, "clauses": 0, "points": 0}
    for item in outline:
        if item.kind in ("article", "clause", "point"):
            counts[f"{item.kind}s"] += 1
    return {
        "version": version,
        "provisions": _nest(outline),
        "toc": toc,
        "outline_counts": counts,
        "documents": list(page.documents.select_related("document")),
    }


def draft_article(*, page: DraftPage, anchor: str) -> dict | None:
    """One article with its clauses and points, for the print view."""
    version = current_version(page)
    if version is None:
        return None
    article = (
        Provision.objects.filter(version=version, withdrawn=False, kind="article", anchor=anchor)
        .only("path")
        .first()
    )
    if article is None:
        return None
    nested = _nest(_outline_from_rows(version, provision_filter_for_subtree(article.path)))
    return {"article": nested[0] if nested else None}


def provision_filter_for_subtree(path: str) -> Q:
    """Everything under a provision (itself included), for counts and filters."""
    return Q(path=path) | Q(path__startswith=f"{path}/")
