"""The text of a draft on its public page: rendered once per publish and cached, with the
feedback figures (counts, stance split, heat strip) filled in on every request."""

import re

from django import template
from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, ngettext

from drafts.models import ConsultationStatus

register = template.Library()

FEEDBACK_MARK = re.compile(r"<!--fb:([a-z0-9-]+)-->")
HEAT_MARK = re.compile(r"heat-@@([a-z0-9-]+)@@")


@register.simple_tag(takes_context=True)
def draft_text(context) -> str:
    text = context["text"]
    key = f"draft-text:{text.cache_key}:{get_language()}" if text.cache_key else None
    html = cache.get(key) if key else None
    if html is None:
        html = render_to_string(
            "drafts/includes/draft_text.html", context.flatten(), request=context.get("request")
        )
        if key:
            cache.set(key, html, settings.DRAFT_TEXT_CACHE_SECONDS)
    if context.get("earlier_version"):
        # An earlier version's text is read, not commented: comments go to the current one.
        return mark_safe(HEAT_MARK.sub("heat-0", FEEDBACK_MARK.sub("", html)))
    page = context["page"]
    accepting = page.status == ConsultationStatus.OPEN
    return mark_safe(fill_feedback(html, text=text, page_url=page.url, accepting=accepting))


def fill_feedback(html: str, *, text, page_url: str, accepting: bool = True) -> str:
    """Put each provision's feedback link, count and stance split where the text marks it.

    While the consultation does not take comments (`accepting` false: not open yet, or
    closed), a provision without comments gets no link: "Góp ý" would invite what the
    conversation page then refuses."""
    figures = {row["anchor"]: row for row in text.commented}
    heat = text.heat
    comment = escape(gettext("Comment"))
    # The links speak the interface's language inside the draft's Vietnamese text (lang="vi").
    lang = escape(get_language() or settings.LANGUAGE_CODE)
    labels = [
        escape(gettext(label)) for label in ("Agree", "Disagree", "Propose a change", "Question")
    ]

    def link(match: re.Match) -> str:
        anchor = match.group(1)
        url = f"{escape(page_url)}gop-y/{anchor}/"
        row = figures.get(anchor)
        if row is None:
            return (
                f'<a class="fb-link" lang="{lang}" href="{url}">{comment}</a>' if accepting else ""
            )
        n = row["feedback_count"]
        counts = (
            row["agree_count"],
            row["disagree_count"],
            row["change_count"],
            row["question_count"],
        )
        words = escape(ngettext("%(n)d comment", "%(n)d comments", n) % {"n": n})
        described = ", ".join(
            f"{label} {count}" for label, count in zip(labels, counts, strict=True)
        )
        # Sized by the width attribute of an <svg>, not by a style="" attribute, which the
        # Content-Security-Policy refuses.
        total = sum(counts) or 1
        bars = "".join(
            f'<svg class="split__{kind}" width="{100 * count / total:.2f}%" height="100%"></svg>'
            for kind, count in zip(("agree", "disagree", "change", "question"), counts, strict=True)
            if count
        )
        return (
            f'<a class="fb-link has-feedback" lang="{lang}" href="{url}">{words}</a>'
            f'<span class="split" role="img" lang="{lang}" aria-label="{described}">{bars}</span>'
        )

    html = FEEDBACK_MARK.sub(link, html)
    return HEAT_MARK.sub(lambda match: f"heat-{heat.get(match.group(1), 0)}", html)
