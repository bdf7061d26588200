"""The comparison of two versions (drafts.comparison) as HTML: the word-level diff with
`<del>` and `<ins>`, and the whole compared text, built in Python because a 300-article
comparison is hundreds of provisions and template includes per provision cost too much."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext, pgettext

from drafts.comparison import CHANGED, NEW, REMOVED, ComparedGroup, ComparedProvision

register = template.Library()


@register.filter
def diff_html(segments) -> str:
    """`[(op, text), …]` as text with `<del>` and `<ins>`, each saying in words, hidden from
    the eye but read by screen readers, that it was removed or added."""
    return mark_safe(_Words().diff(segments))


class _Words:
    """The interface's words for the comparison, translated and escaped once per rendering."""

    def __init__(self) -> None:
        self.removed = escape(gettext("removed:"))
        self.added = escape(gettext("added:"))
        self.renumbered = escape(gettext("renumbered:"))
        self.badges = {
            CHANGED: escape(pgettext("provision", "changed")),
            NEW: escape(gettext("new")),
            REMOVED: escape(gettext("removed")),
        }

    def diff(self, segments) -> str:
        parts = []
        for op, text in segments:
            text = _lines(text)
            if op == "delete":
                parts.append(f'<del><span class="vh">{self.removed} </span>{text}</del>')
            elif op == "insert":
                parts.append(f'<ins><span class="vh">{self.added} </span>{text}</ins>')
            else:
                parts.append(text)
        return "".join(parts)

    def label(self, item: ComparedProvision, *, dot: bool = False) -> str:
        """The provision's label ("Điều 2 → Điều 3" when renumbered), then what happened to
        it; `dot` ends the label with a full stop, before an article's title."""
        if item.renumbered:
            label = (
                f'<span class="cmp-renumbered"><span class="vh">{self.renumbered} </span>'
                f"{escape(item.old_label)} → {escape(item.label)}</span>"
            )
        else:
            label = escape(item.label)
        html = f'<span class="cmp-label">{label}{"." if dot else ""}</span>'
        if item.status in self.badges:
            html += (
                f' <span class="cmp-badge cmp-badge--{item.status}">'
                f"{self.badges[item.status]}</span>"
            )
        if item.moved_from:
            moved = gettext("moved from %(citation)s") % {"citation": item.moved_from}
            html += f' <span class="cmp-badge cmp-badge--moved">{escape(moved)}</span>'
        return html

    def whole(self, field: str, item: ComparedProvision) -> str:
        """The title or text of `item`: its diff, or all of it added, removed or as it was."""
        diff = item.title_diff if field == "title" else item.text_diff
        if diff:
            return self.diff(diff)
        if item.status == NEW:
            value = item.new[field]
            return self.diff([("insert", value)]) if value else ""
        if item.status == REMOVED:
            value = item.old[field]
            return self.diff([("delete", value)]) if value else ""
        return _lines(item.row[field])

    def text(self, item: ComparedProvision) -> str:
        text = self.whole("text", item)
        html = f'<p class="cmp-text">{text}</p>' if text else ""
        if item.new is not None:
            html += f"<!--tr:{item.key}-->"
        return html

    def item(self, item: ComparedProvision) -> str:
        return (
            f'<div class="cmp-item cmp-item--{item.kind} cmp--{item.status}"{_id(item)}>'
            f'<p class="cmp-item__label">{self.label(item)}</p>{self.text(item)}</div>'
        )

    def renumbered_run(self, run: list[ComparedGroup]) -> str:
        """Articles in a row whose number alone changed, on one line: when an article is
        inserted near the start, every later one is renumbered, and a section each would
        bury the real changes."""
        note = escape(
            ngettext(
                "Renumbered, text unchanged (%(n)s article):",
                "Renumbered, text unchanged (%(n)s articles):",
                len(run),
            )
            % {"n": len(run)}
        )
        items = " · ".join(
            f'<span class="cmp-renumbered"{_id(group.head)}>'
            f"{escape(group.head.old_label)} → {escape(group.head.label)}</span>"
            for group in run
        )
        return f'<p class="cmp-renumbered-run"><strong>{note}</strong> {items}</p>'

    def group(self, group: ComparedGroup, *, show_all: bool) -> str:
        head = group.head
        title = self.whole("title", head)
        parts = [
            f'<section class="cmp-group cmp-group--{head.kind} cmp--{head.status}"{_id(head)}>',
            f'<h2 class="cmp-head">{self.label(head, dot=bool(title) and head.kind == "article")}'
            + (f' <span class="cmp-title">{title}</span>' if title else "")
            + "</h2>",
            self.text(head),
        ]
        members = group.members if show_all else group.changed_members
        parts.extend(self.item(item) for item in members)
        hidden = 0 if show_all else group.unchanged_count
        if hidden:
            note = ngettext(
                "%(n)s unchanged provision not shown",
                "%(n)s unchanged provisions not shown",
                hidden,
            ) % {"n": hidden}
            parts.append(f'<p class="cmp-hidden muted">{escape(note)}</p>')
        parts.append("</section>")
        return "".join(parts)


def comparison_html(groups: list[ComparedGroup], *, show_all: bool) -> str:
    """The compared text: every group (`show_all`) or those with a change (articles only
    renumbered summed up in a line per run), each provision marked where the traces of the
    comments go (`<!--tr:KEY-->`, filled per request)."""
    words = _Words()
    shown: list[str] = []
    run: list[ComparedGroup] = []
    for group in groups:
        if not show_all and group.renumbered_only:
            run.append(group)
            continue
        if run:
            shown.append(words.renumbered_run(run))
            run = []
        if show_all or group.changed:
            shown.append(words.group(group, show_all=show_all))
    if run:
        shown.append(words.renumbered_run(run))
    if not shown:
        empty = gettext("No provision changed between these versions.")
        shown = [f'<p class="empty">{escape(empty)}</p>']
    return mark_safe(f'<div class="cmp">{"".join(shown)}</div>')


def _id(item: ComparedProvision) -> str:
    return f' id="{escape(item.anchor)}"' if item.new is not None else ""


def _lines(text: str) -> str:
    return escape(text).replace("\n", "<br>")
