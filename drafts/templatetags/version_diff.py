"""The word-level diff of two versions' text (drafts.comparison.word_diff) as HTML."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()


@register.filter
def diff_html(segments) -> str:
    """`[(op, text), …]` as text with `<del>` and `<ins>`, each saying in words, hidden from
    the eye but read by screen readers, that it was removed or added."""
    removed = escape(gettext("removed:"))
    added = escape(gettext("added:"))
    parts = []
    for op, text in segments:
        text = _lines(text)
        if op == "delete":
            parts.append(f'<del><span class="vh">{removed} </span>{text}</del>')
        elif op == "insert":
            parts.append(f'<ins><span class="vh">{added} </span>{text}</ins>')
        else:
            parts.append(text)
    return mark_safe("".join(parts))


@register.filter
def whole_text_html(text: str, op: str) -> str:
    """A text wholly added (`op` "insert") or removed ("delete"), marked as such."""
    return diff_html([(op, text)]) if text else ""


def _lines(text: str) -> str:
    return escape(text).replace("\n", "<br>")
