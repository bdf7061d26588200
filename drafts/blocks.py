"""The structure of a draft legal document as StreamField blocks.

The body is a flat stream in reading order: headings (part, chapter, section, subsection),
articles and free paragraphs. An article holds its clauses and a clause its points, as list
blocks, so every article, clause and point carries its own UUID: the key of its provision.

A draft may offer alternative wordings ("Phương án 1", "Phương án 2" …) of an article, a clause
or a point: each is an item of the `alternatives` list of what it rewords, with a number, an
optional title (the note after "Phương án N", e.g. "(hiện hành)") and its own text. An article's
alternative holds its own points and clauses, a clause's its own points. In reading order a
unit's alternatives come after its own text, points and clauses. Every alternative, and every
clause and point inside one, is a list item with its own UUID, so each is a provision.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class HeadingBlock(blocks.StructBlock):
    number = blocks.CharBlock(label=_("Number"), max_length=20)
    title = blocks.TextBlock(label=_("Title"), required=False, rows=2)

    class Meta:
        icon = "title"
        form_classname = "struct-block heading-block"


class PartBlock(HeadingBlock):
    class Meta:
        icon = "folder-inverse"
        label = _("Part (Phần)")
        preview_value = {"number": "thứ nhất", "title": "NHỮNG QUY ĐỊNH CHUNG"}


class ChapterBlock(HeadingBlock):
    class Meta:
        icon = "folder-open-inverse"
        label = _("Chapter (Chương)")
        preview_value = {"number": "I", "title": "NHỮNG QUY ĐỊNH CHUNG"}


class SectionBlock(HeadingBlock):
    class Meta:
        icon = "folder-open-1"
        label = _("Section (Mục)")
        preview_value = {"number": "1", "title": "GIAO KẾT HỢP ĐỒNG LAO ĐỘNG"}


class SubsectionBlock(HeadingBlock):
    class Meta:
        icon = "folder"
        label = _("Subsection (Tiểu mục)")
        preview_value = {"number": "1", "title": "QUY ĐỊNH CHUNG"}


class AlternativeBlock(blocks.StructBlock):
    """An alternative wording ("Phương án N") of a point: its number, note and text."""

    number = blocks.CharBlock(label=_("Number"), max_length=8, help_text=_("1, 2 …"))
    title = blocks.TextBlock(
        label=_("Note"),
        required=False,
        rows=1,
        help_text=_("What follows “Phương án N”, e.g. “(hiện hành)”."),
    )
    text = blocks.TextBlock(label=_("Text"), required=False, rows=2)

    class Meta:
        icon = "resubmit"
        label = _("Alternative (Phương án)")


def _alternatives(child: blocks.Block) -> blocks.ListBlock:
    return blocks.ListBlock(child, label=_("Alternatives (Phương án)"), default=[], collapsed=True)


class PointBlock(blocks.StructBlock):
    letter = blocks.CharBlock(label=_("Letter"), max_length=4, help_text=_("a, b, đ, a1 …"))
    text = blocks.TextBlock(label=_("Text"), required=False, rows=2)
    alternatives = _alternatives(AlternativeBlock())

    class Meta:
        icon = "list-ul"
        label = _("Point (Điểm)")


class ClauseAlternativeBlock(AlternativeBlock):
    """An alternative wording of a clause: with points of its own."""

    points = blocks.ListBlock(PointBlock(), label=_("Points"), default=[], collapsed=True)


class ClauseBlock(blocks.StructBlock):
    number = blocks.CharBlock(label=_("Number"), max_length=8)
    text = blocks.TextBlock(label=_("Text"), required=False, rows=3)
    points = blocks.ListBlock(PointBlock(), label=_("Points"), default=[], collapsed=True)
    alternatives = _alternatives(ClauseAlternativeBlock())

    class Meta:
        icon = "list-ol"
        label = _("Clause (Khoản)")


class ArticleAlternativeBlock(AlternativeBlock):
    """An alternative wording of an article: its own text, points and clauses."""

    points = blocks.ListBlock(PointBlock(), label=_("Points"), default=[], collapsed=True)
    clauses = blocks.ListBlock(ClauseBlock(), label=_("Clauses"), default=[], collapsed=True)


class ArticleBlock(blocks.StructBlock):
    number = blocks.CharBlock(label=_("Number"), max_length=8, help_text=_("5, 5a …"))
    title = blocks.TextBlock(label=_("Title"), required=False, rows=1)
    intro = blocks.TextBlock(
        label=_("Text before the clauses"),
        required=False,
        rows=2,
        help_text=_("The article's own text, when it has no clauses or before the first."),
    )
    clauses = blocks.ListBlock(ClauseBlock(), label=_("Clauses"), default=[], collapsed=True)
    points = blocks.ListBlock(
        PointBlock(),
        label=_("Points directly under the article"),
        default=[],
        collapsed=True,
    )
    alternatives = _alternatives(ArticleAlternativeBlock())

    class Meta:
        icon = "doc-full"
        label = _("Article (Điều)")
        preview_value = {
            "number": "1",
            "title": "Phạm vi điều chỉnh",
            "intro": "Luật này quy định về …",
        }


class ParagraphBlock(blocks.TextBlock):
    class Meta:
        icon = "pilcrow"
        label = _("Paragraph")
        preview_value = "Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;"


class DraftBodyBlock(blocks.StreamBlock):
    paragraph = ParagraphBlock()
    part = PartBlock()
    chapter = ChapterBlock()
    section = SectionBlock()
    subsection = SubsectionBlock()
    article = ArticleBlock()

    class Meta:
        block_counts = {}
