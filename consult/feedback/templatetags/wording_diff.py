"""A proposed wording's diff (consult.feedback.diff) as accessible HTML."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from consult.feedback.diff import ADDED, REMOVED, Segment

register = template.Library()


@register.filter
def wording_diff_html(segments: list[Segment]) -> str:
    """`segments` as text with `<del>` and `<ins>` (struck through and underlined by the
    style sheet, not told by colour alone), each opened and closed by words hidden from the
    eye but read by screen readers ("[bắt đầu phần xoá]" … "[kết thúc phần xoá]").

    A change of spacing alone shows as the proposal's spacing, unmarked. Line breaks become
    `<br>`. Removing the `<ins>` elements and the hidden words leaves the original text,
    removing the `<del>` ones the proposal (whitespace aside where only spacing changed).
    """
    marks = {
        REMOVED: ("del", gettext("[start of removed text]"), gettext("[end of removed text]")),
        ADDED: ("ins", gettext("[start of added text]"), gettext("[end of added text]")),
    }
    parts = []
    for segment in segments:
        text = _lines(segment.text)
        if segment.op not in marks:
            parts.append(text)
        elif segment.is_space:
            parts.append(text if segment.op == ADDED else "")
        else:
            tag, start, end = marks[segment.op]
            parts.append(
                f'<{tag}><span class="vh">{escape(start)} </span>{text}'
                f'<span class="vh"> {escape(end)}</span></{tag}>'
            )
    return mark_safe("".join(parts))


def _lines(text: str) -> str:
    return escape(text).replace("\n", "<br>")
