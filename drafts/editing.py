"""Editing a draft's text at any size: the whole text in the page editor for a short draft,
one part at a time (a chapter, or a run of articles) for a long one.

Why not one StreamField form for a whole code. Wagtail's StreamField posts one form field per
block property: a clause is about ten fields (its number, text, points' count, and each list
item's id, order, deleted flag, type), so the 2017 draft Labour Code (220 articles) posted
8,513 fields and the 689-article Civil Code would post about 27,000. Django refuses more than
DATA_UPLOAD_MAX_NUMBER_FIELDS (HTTP 400, the edit lost), and raising that limit only moves the
wall: the browser builds every block of the stream with Wagtail's scripts before the form can
be used (8.3 s for the Labour Code in Chromium, growing with the text), and every "Save draft"
(and Wagtail 8's autosave) sends the whole text again. So:

- a draft of at most `FORM_MAX_PROVISIONS` provisions (a short decree) keeps the whole text
  in the page editor;
- a longer one shows, in place of the body field, its outline (`DraftTextPanel`): one line
  per part with an "Edit" link. The page form then has no `body` field at all, so "Save
  draft", "Publish" and autosave post a few dozen fields, and Wagtail's edit view, which builds
  the form on the latest revision, saves that revision's body unchanged;
- a part (`text_parts`) is a chapter (with the part heading "Phần" before it, if any), or the
  text before the first chapter; a part of more than `FORM_MAX_PROVISIONS` provisions, or a
  text without chapters, is cut into runs of articles of at most that many provisions (an
  article larger than that is a run of its own). Its editor
  (drafts.admin_views.text_part_edit) is a StreamField form of the same blocks
  (DraftBodyBlock) holding that part only; saving splices the blocks back into the latest
  revision's body (`splice`), keeping every block's id, so provisions keep their keys and
  their comments.

A part is named in URLs by the anchor of its first block ("chuong-2", "dieu-31"), read from
the outline of the latest revision (drafts.outline.build_outline). This module imports no
model, so the page models can import its panel.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from drafts.outline import HEADING_KINDS, build_outline

# The most provisions (articles, clauses, points, headings, paragraphs) one StreamField form
# holds: the page editor holds the whole text of a draft this small, and a part of a longer
# one holds at most this many (or one article, whatever its size). Measured with
# bench/editor.py: in headless Chromium a StreamField form becomes usable after about 1 s plus
# 10-15 ms per provision on a busy machine (a 40-article draft of 330 provisions: 5.5-8 s with
# the machine's two cores loaded), so a form of 100 provisions opens in about 1 s on a quiet
# machine and 2.5 s on a busy one.
FORM_MAX_PROVISIONS = 100
# Headings that start a new part.
PART_STARTS = frozenset({"part", "chapter"})
TOP_LEVEL_KINDS = HEADING_KINDS | {"article", "paragraph"}


@dataclass
class TextLine:
    """One line of the outline: a heading, an article or a paragraph of the body."""

    kind: str
    label: str
    title: str
    anchor: str
    size: int = 1  # provisions: the block's own and its clauses' and points'


@dataclass
class TextPart:
    """A run of top-level blocks of the body, `body[start:end]`, edited in one form.

    `anchor` is its first block's anchor (its name in URLs), `label` what the outline shows
    ("Chương II. HỢP ĐỒNG LAO ĐỘNG"), `articles` the labels of its first and last articles.
    """

    anchor: str
    start: int
    end: int
    label: str = ""
    lines: list[TextLine] = field(default_factory=list)
    size: int = 0
    article_count: int = 0
    first_article: str = ""
    last_article: str = ""

    @property
    def articles(self) -> str:
        """ "Điều 13–42", "Điều 5", or "" when the part has no article."""
        if not self.first_article:
            return ""
        if self.first_article == self.last_article:
            return self.first_article
        return f"{self.first_article}–{self.last_article.removeprefix('Điều ')}"


def block_size(block: dict) -> int:
    """Provisions in one top-level block: 1, plus an article's clauses and points."""
    size = 1
    if block.get("type") == "article":
        value = block.get("value") or {}
        size += len(value.get("points") or [])
        for clause in value.get("clauses") or []:
            clause = clause.get("value", clause) if isinstance(clause, dict) else {}
            size += 1 + len(clause.get("points") or [])
    return size


def edits_whole_text(raw_body) -> bool:
    """Whether the page editor holds the whole text (a short draft) rather than its outline:
    at most FORM_MAX_PROVISIONS provisions, counting each clause and point."""
    size = 0
    for block in raw_body:
        size += block_size(block)
        if size > FORM_MAX_PROVISIONS:
            return False
    return True


def text_lines(raw_body) -> list[TextLine]:
    """One line per top-level block of `raw_body` (raw StreamField JSON), in order, with the
    anchor and label the public page gives it and its size in provisions.

    The outline is walked without the articles' clauses and points (their anchors extend
    their article's, so leaving them out changes no top-level anchor), which keeps this cheap
    for a code of thousands of provisions; their count comes from the raw blocks."""
    raw = list(raw_body)
    headings_only = [
        {**block, "value": {**block["value"], "clauses": [], "points": []}}
        if block.get("type") == "article" and isinstance(block.get("value"), dict)
        else block
        for block in raw
    ]
    items = [item for item in build_outline(headings_only) if item.kind in TOP_LEVEL_KINDS]
    return [
        TextLine(
            kind=item.kind,
            label=item.label,
            title=item.title,
            anchor=item.anchor,
            size=block_size(block),
        )
        for item, block in zip(items, raw, strict=True)
    ]


def text_parts(raw_body) -> list[TextPart]:
    """The parts in which a long draft is edited, covering `raw_body` in order, without gaps.

    A part starts at each chapter or part heading (a "Phần" heading and the chapter after it
    stay together), and within a part a new run starts before an article or heading that
    would take the run over FORM_MAX_PROVISIONS provisions. An empty body has no part.
    """
    lines = text_lines(raw_body)
    parts: list[TextPart] = []
    current: TextPart | None = None
    chapter: TextLine | None = None
    for index, line in enumerate(lines):
        if current is None:
            starts_part = True
        elif line.kind in PART_STARTS:
            # The text before the first chapter is a part of its own (a preamble); a bare
            # "Phần" heading goes with the chapter that follows it.
            starts_part = bool(current.article_count) or any(
                other.kind not in HEADING_KINDS for other in current.lines
            )
        else:
            starts_part = (
                line.kind in HEADING_KINDS | {"article"}
                and bool(current.article_count)
                and current.size + line.size > FORM_MAX_PROVISIONS
            )
        if starts_part:
            current = TextPart(anchor=line.anchor, start=index, end=index)
            parts.append(current)
            current.label = _run_label(chapter) if chapter and line.kind not in PART_STARTS else ""
        if line.kind in PART_STARTS:
            chapter = line
            current.label = _heading_label(line)
        current.end = index + 1
        current.size += line.size
        current.lines.append(line)
        if line.kind == "article":
            current.article_count += 1
            current.first_article = current.first_article or line.label
            current.last_article = line.label
    for part in parts:
        if not part.label:
            first = part.lines[0]
            if first.kind == "paragraph":
                part.label = str(_("Text before the first chapter"))
            else:
                part.label = _heading_label(first)
    return parts


def _heading_label(line: TextLine) -> str:
    return f"{line.label}. {line.title}" if line.title else line.label


def _run_label(chapter: TextLine) -> str:
    """The label of a run of a long chapter after its first: "Chương II (continued)"."""
    return str(_("%(chapter)s (continued)") % {"chapter": chapter.label})


def find_part(raw_body, anchor: str) -> TextPart | None:
    return next((part for part in text_parts(raw_body) if part.anchor == anchor), None)


def splice(raw_body, part: TextPart, blocks: list[dict]) -> list[dict]:
    """`raw_body` with `part`'s blocks replaced by `blocks` (raw StreamField JSON, ids kept)."""
    raw = list(raw_body)
    return raw[: part.start] + list(blocks) + raw[part.end :]


class DraftTextPanel(FieldPanel):
    """The body of a draft in the page editor: Wagtail's StreamField for a short draft, the
    outline with a link to each part's editor for a long one (whose page form has no `body`
    field, drafts.admin_forms.DraftPageForm)."""

    def __init__(self, field_name="body", **kwargs):
        super().__init__(field_name, **kwargs)

    class BoundPanel(FieldPanel.BoundPanel):
        outline_template_name = "drafts/admin/text_outline_panel.html"

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            if self.bound_field is None:
                self.heading = self.panel.heading or _("Text of the draft")
                self.help_text = ""

        def id_for_label(self):
            return "" if self.bound_field is None else super().id_for_label()

        def is_shown(self):
            return self.bound_field is not None or getattr(self.instance, "pk", None) is not None

        def render_html(self, parent_context=None):
            if self.bound_field is not None:
                return super().render_html(parent_context)
            from django.template.loader import render_to_string
            from django.urls import reverse

            parts = text_parts(self.instance.body.raw_data)
            for part in parts:
                part.url = reverse("drafts_admin:text_part", args=[self.instance.pk, part.anchor])
            return render_to_string(
                self.outline_template_name,
                {
                    "parts": parts,
                    "articles": sum(part.article_count for part in parts),
                    "form_max_provisions": FORM_MAX_PROVISIONS,
                },
            )
